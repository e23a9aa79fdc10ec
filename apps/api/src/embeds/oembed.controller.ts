import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OembedDto, WidgetsService } from '@modelpulse/core/embeds';
import { ProblemDto } from '../http/problem.dto';
import { Problem } from '../http/problems';
import { OembedQuery } from './dto/oembed.query';
import { EMBED_MAX_AGE_SECONDS, sendEmbed } from './embed-response';
import { WidgetsProblemFilter } from './widgets-problem.filter';
import { RateLimit } from '../http/rate-limit';

@ApiTags('embeds')
@UseFilters(WidgetsProblemFilter)
@Controller('oembed')
export class OembedController {
  constructor(private readonly widgets: WidgetsService) {}

  @Get()
  @RateLimit('embed')
  @ApiOperation({
    summary: 'oEmbed',
    description:
      'oEmbed 1.0 (https://oembed.com) for pages of this site: the leaderboard (`/`, with its filters) gives ' +
      'the trending widget, a model page (`/models/{org}/{name}`) its card, each as a `rich` iframe within ' +
      'maxwidth × maxheight. CORS `*`, cacheable with `ETag`.',
  })
  @ApiOkResponse({ type: OembedDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'A malformed url, maxwidth or maxheight, named in `errors`' })
  @ApiNotFoundResponse({
    type: ProblemDto,
    description: 'The url is not a page of this site with an embed, or no such model',
  })
  @ApiResponse({ status: 501, type: ProblemDto, description: 'A format other than json' })
  async oembed(
    @Query() query: OembedQuery,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    // The spec's answer to a format the provider does not speak (XML, here).
    if (query.format !== undefined && query.format !== 'json') {
      throw new Problem('not-implemented', `format ${query.format} is not served; ask for format=json`);
    }
    const body = await this.widgets.oembed(query.url, {
      maxWidthPx: query.maxwidth,
      maxHeightPx: query.maxheight,
      cacheAgeSeconds: EMBED_MAX_AGE_SECONDS,
    });
    return sendEmbed(request, reply, { body: JSON.stringify(body), contentType: 'application/json; charset=utf-8' });
  }
}
