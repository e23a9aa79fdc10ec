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
import { BADGE_CACHE_SECONDS, BADGE_STYLES, BadgesService } from '@modelpulse/core/embeds';
import { ApiModelMovedResponse, ProblemDto } from '../http/problem.dto';
import { RateLimit } from '../http/rate-limit';
import { BadgeProblemFilter } from './badge-problem.filter';
import { BadgeParams, BadgeQuery, EndpointBadgeDto } from './dto/badge.dto';
import { sendEmbed } from './embed-response';
import { KnownBadgeOptions } from './known-badge-options.interceptor';
import { CurrentTrending } from '../rankings/current-trending.interceptor';
import { CurrentFigures } from '../stats/current-figures.interceptor';

const METRICS_TEXT =
  '`downloads` (30 days), `downloads-week`, `downloads-total`, `likes`, `trending` (rank), `license`, `parameters`.';
const EMBED_TEXT =
  'No key needed; readable from any origin (CORS `*`), cacheable for ' +
  `${BADGE_CACHE_SECONDS} s (longer with \`cacheSeconds\`) with an \`ETag\` (304 on \`If-None-Match\`).`;
const OPTIONS_TEXT = `Styles ${BADGE_STYLES.map((s) => `\`${s}\``).join(', ')}; \`label\`, \`color\`, \`labelColor\`, \`logo\`, \`logoColor\` and \`cacheSeconds\` as on shields.io.`;
const NOT_FOUND = 'An unknown model or metric: the grey "not found" badge, so a README never shows a broken image';

const slugOf = (params: BadgeParams) => `${params.org}/${params.name}`;

@ApiTags('embeds')
@ApiModelMovedResponse()
@UseFilters(BadgeProblemFilter)
@UseInterceptors(CurrentFigures, CurrentTrending)
@Controller('badges')
export class BadgesController {
  constructor(private readonly badges: BadgesService) {}

  @Get(':org/:name/:metric.svg')
  @UseInterceptors(KnownBadgeOptions)
  @RateLimit('embed', { 'image/svg+xml': { schema: { type: 'string' } } })
  @ApiOperation({
    summary: 'A README badge (SVG)',
    description:
      `A shields.io badge of a model, drawn by shields.io's own renderer: ${METRICS_TEXT} ${OPTIONS_TEXT} ` +
      `Other query parameters are ignored, as shields.io ignores them; every error is a grey SVG badge. ${EMBED_TEXT}`,
  })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'The badge', content: { 'image/svg+xml': { schema: { type: 'string' } } } })
  @ApiNotFoundResponse({ description: NOT_FOUND, content: { 'image/svg+xml': { schema: { type: 'string' } } } })
  @ApiBadRequestResponse({
    description:
      'A bad value of an option (`style`, `color`, …): a grey badge saying "invalid color" (the parameter it names)',
    content: { 'image/svg+xml': { schema: { type: 'string' } } },
  })
  async svg(
    @Param() params: BadgeParams,
    @Query() query: BadgeQuery,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { found, svg, cacheSeconds } = await this.badges.svg(slugOf(params), params.metric, query);
    sendEmbed(request, reply, {
      body: svg,
      contentType: 'image/svg+xml; charset=utf-8',
      status: found ? 200 : 404,
      maxAgeSeconds: cacheSeconds,
    });
  }

  @Get(':org/:name/:metric.json')
  @RateLimit('embed', { 'application/json': { schema: { $ref: getSchemaPath(EndpointBadgeDto) } } })
  @ApiOperation({
    summary: 'A README badge (shields.io endpoint JSON)',
    description:
      `The same badge as JSON in the shields.io endpoint schema (version 1), for ` +
      `\`https://img.shields.io/endpoint?url=…\`: ${METRICS_TEXT} The options are checked as on \`.svg\` (an unknown one is a 400 ` +
      `here) and passed on in the schema's own keys (\`labelColor\`, \`namedLogo\`, \`logoColor\`, \`style\`, \`cacheSeconds\`). ${EMBED_TEXT}`,
  })
  @ApiOkResponse({ type: EndpointBadgeDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'A bad or unknown option, named in `errors`' })
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
      maxAgeSeconds: json.cacheSeconds,
    });
  }
}
