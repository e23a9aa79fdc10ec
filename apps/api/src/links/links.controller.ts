import { Controller, Get, Header, Param, Query, Redirect, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiFoundResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { LinksService } from '@modelpulse/core/links';
import { ApiModelMovedResponse, ProblemDto } from '../http/problem.dto';
import { RateLimit } from '../http/rate-limit';
import { ModelParams } from '../models/dto/model-params';
import { DownloadLinkQuery } from './dto/download-link.query';

@ApiTags('links')
@Controller('dl')
export class LinksController {
  constructor(private readonly links: LinksService) {}

  @Get(':org/:name')
  @Redirect()
  // Every click must reach us to be counted, so no browser or proxy may keep the redirect.
  @Header('Cache-Control', 'no-store')
  // The hub needs neither this link nor the page it was embedded in.
  @Header('Referrer-Policy', 'no-referrer')
  @RateLimit('dl')
  @ApiOperation({
    summary: 'Tracked download link',
    description:
      'Counts one click (`metric=clicks` and `uniqueDownloaders` of the stats, never added to downloads) and ' +
      'redirects to the file on the model\u2019s Hugging Face repository, or to the repository page without `file`. ' +
      'The visitor is kept only as a hash salted with a daily salt that is later deleted. No key needed.',
  })
  @ApiFoundResponse({
    description: 'To `{hub}/{repo}/resolve/{revision}/{file}`, or `{hub}/{repo}` without a file',
    headers: {
      Location: { description: 'The upstream URL', schema: { type: 'string' } },
      'Cache-Control': { description: '`no-store`: each click is counted', schema: { type: 'string' } },
    },
  })
  @ApiModelMovedResponse()
  @ApiBadRequestResponse({ type: ProblemDto, description: 'A bad `file` or `revision`, named in `errors`' })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'No such model, or it has no Hugging Face repository' })
  follow(
    @Param() params: ModelParams,
    @Query() query: DownloadLinkQuery,
    @Req() request: FastifyRequest,
  ): Promise<{ url: string }> {
    return this.links.follow(`${params.org}/${params.name}`, {
      file: query.file ?? null,
      revision: query.revision ?? null,
      visitor: `${request.ip}\n${request.headers['user-agent'] ?? ''}`,
    });
  }
}
