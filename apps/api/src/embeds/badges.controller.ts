import { Controller, Get, Param, Query, Req, Res, UseFilters, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BADGE_CACHE_SECONDS, BadgesService } from '@modelpulse/core/embeds';
import { ApiModelMovedResponse, ProblemDto } from '../http/problem.dto';
import { RateLimit } from '../http/rate-limit';
import { BadgeProblemFilter } from './badge-problem.filter';
import { BadgeParams, BadgeQuery, EndpointBadgeDto } from './dto/badge.dto';
import { sendEmbed } from './embed-response';
import { CurrentTrending } from '../rankings/current-trending.interceptor';

const METRICS_TEXT =
  '`downloads` (30 days), `downloads-week`, `downloads-total`, `likes`, `trending` (rank), `license`, `parameters`.';
const EMBED_TEXT =
  'No key needed; readable from any origin (CORS `*`), cacheable for ' +
  `${BADGE_CACHE_SECONDS} s with an \`ETag\` (304 on \`If-None-Match\`).`;
const NOT_FOUND = 'An unknown model or metric: the grey "not found" badge, so a README never shows a broken image';

const slugOf = (params: BadgeParams) => `${params.org}/${params.name}`;

@ApiTags('embeds')
@ApiModelMovedResponse()
@UseFilters(BadgeProblemFilter)
@UseInterceptors(CurrentTrending)
@Controller('badges')
export class BadgesController {
  constructor(private readonly badges: BadgesService) {}

  @Get(':org/:name/:metric.svg')
  @RateLimit('embed', { 'image/svg+xml': { schema: { type: 'string' } } })
  @ApiOperation({
    summary: 'A README badge (SVG)',
    description: `A shields.io-style badge of a model: ${METRICS_TEXT} ${EMBED_TEXT}`,
  })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'The badge', content: { 'image/svg+xml': { schema: { type: 'string' } } } })
  @ApiNotFoundResponse({ description: NOT_FOUND, content: { 'image/svg+xml': { schema: { type: 'string' } } } })
  @ApiBadRequestResponse({
    description: 'A bad `style`, `label` or `color`: a grey badge saying "invalid color" (the parameter it names)',
    content: { 'image/svg+xml': { schema: { type: 'string' } } },
  })
  async svg(
    @Param() params: BadgeParams,
    @Query() query: BadgeQuery,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { found, svg } = await this.badges.svg(slugOf(params), params.metric, query);
    sendEmbed(request, reply, {
      body: svg,
      contentType: 'image/svg+xml; charset=utf-8',
      status: found ? 200 : 404,
      maxAgeSeconds: BADGE_CACHE_SECONDS,
    });
  }

  @Get(':org/:name/:metric.json')
  @RateLimit('embed', { 'application/json': { schema: { $ref: getSchemaPath(EndpointBadgeDto) } } })
  @ApiOperation({
    summary: 'A README badge (shields.io endpoint JSON)',
    description:
      `The same badge as JSON in the shields.io endpoint schema (version 1), for ` +
      `\`https://img.shields.io/endpoint?url=…\`: ${METRICS_TEXT} \`style\` is checked and left to shields.io. ${EMBED_TEXT}`,
  })
  @ApiOkResponse({ type: EndpointBadgeDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'A bad `style`, `label` or `color`, named in `errors`' })
  @ApiNotFoundResponse({ type: EndpointBadgeDto, description: `${NOT_FOUND}, with \`isError: true\`` })
  async json(
    @Param() params: BadgeParams,
    @Query() query: BadgeQuery,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { found, json } = await this.badges.endpoint(slugOf(params), params.metric, query);
    sendEmbed(request, reply, {
      body: JSON.stringify(json),
      contentType: 'application/json; charset=utf-8',
      status: found ? 200 : 404,
      maxAgeSeconds: BADGE_CACHE_SECONDS,
    });
  }
}
