import { Controller, Get, Param, Query, Req, Res, UseFilters, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MAX_COMPARED_MODELS, WidgetsService, type ChartOptions } from '@modelpulse/core/embeds';
import { ApiModelMovedResponse, ProblemDto } from '../http/problem.dto';
import { ModelParams } from '../models/dto/model-params';
import { ChartQuery, CompareChartQuery, TrendingWidgetQuery, WidgetThemeQuery } from './dto/widgets.query';
import { sendEmbed } from './embed-response';
import { WidgetsProblemFilter } from './widgets-problem.filter';
import { RateLimit } from '../http/rate-limit';
import { CurrentTrending } from '../rankings/current-trending.interceptor';
import { CurrentFigures } from '../stats/current-figures.interceptor';

const HTML = 'text/html; charset=utf-8';
const SVG = 'image/svg+xml; charset=utf-8';
const EMBED_HEADERS =
  'No auth; CORS `*`; framable by any site (`frame-ancestors *`); `Cache-Control` with a short max-age, ' +
  '`ETag`, and 304 on `If-None-Match`.';

/** Both charts' options, with their defaults. */
const chartOptions = (query: ChartQuery): ChartOptions => ({
  metric: query.metric ?? 'downloads',
  days: query.days ?? 90,
  to: query.to,
  widthPx: query.width,
});

@ApiTags('embeds')
@ApiBadRequestResponse({ type: ProblemDto, description: 'A bad parameter, named in `errors`' })
@UseFilters(WidgetsProblemFilter)
@UseInterceptors(CurrentFigures, CurrentTrending)
@Controller()
export class WidgetsController {
  constructor(private readonly widgets: WidgetsService) {}

  @Get('v1/models/:org/:name/chart.svg')
  @RateLimit('embed')
  @ApiOperation({
    summary: 'Chart of a daily series',
    description:
      'An axis-labelled SVG line chart of downloads, likes or stars a day, or of the trending rank each day, ' +
      `over the \`days\` days up to \`to\`, usable as an <img> anywhere. ${EMBED_HEADERS}`,
  })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'The chart', content: { 'image/svg+xml': { schema: { type: 'string' } } } })
  @ApiModelMovedResponse()
  @ApiNotFoundResponse({ type: ProblemDto })
  async chart(
    @Param() params: ModelParams,
    @Query() query: ChartQuery,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const body = await this.widgets.chart(`${params.org}/${params.name}`, chartOptions(query));
    return sendEmbed(request, reply, { body, contentType: SVG });
  }

  @Get('v1/chart.svg')
  @RateLimit('embed')
  @ApiOperation({
    summary: 'Chart of several models',
    description:
      `The chart of a daily series for up to ${MAX_COMPARED_MODELS} models, a line each in its own colour and dash ` +
      `pattern, with a legend naming them. ${EMBED_HEADERS}`,
  })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'The chart', content: { 'image/svg+xml': { schema: { type: 'string' } } } })
  async compareChart(
    @Query() query: CompareChartQuery,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const body = await this.widgets.compareChart(query.models, chartOptions(query));
    return sendEmbed(request, reply, { body, contentType: SVG });
  }

  @Get('embed/trending')
  @RateLimit('embed')
  @ApiOperation({
    summary: 'Trending widget',
    description:
      'The trending ranking as a self-contained HTML page for an iframe (inline CSS, no script, nothing ' +
      `fetched): rank changes, licences, downloads over 30 days. The ranking's filters apply. ${EMBED_HEADERS}`,
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The widget', content: { 'text/html': { schema: { type: 'string' } } } })
  async trending(
    @Query() query: TrendingWidgetQuery,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const body = await this.widgets.trendingWidget({
      theme: query.theme ?? 'light',
      limit: query.limit ?? 10,
      asOf: query.asOf,
      licenses: query.license,
      task: query.task,
      organizations: query.organization,
      minParams: query.minParams,
      maxParams: query.maxParams,
      collapseFamilies: query.collapse === 'family',
    });
    return sendEmbed(request, reply, { body, contentType: HTML });
  }

  @Get('embed/models/:org/:name')
  @RateLimit('embed')
  @ApiOperation({
    summary: 'Model card widget',
    description:
      'A model as a self-contained HTML card for an iframe: licence, size, release date, downloads over 30 ' +
      `days with a sparkline, trending rank. ${EMBED_HEADERS}`,
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The card', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiModelMovedResponse()
  @ApiNotFoundResponse({ type: ProblemDto })
  async model(
    @Param() params: ModelParams,
    @Query() query: WidgetThemeQuery,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const body = await this.widgets.modelCard(`${params.org}/${params.name}`, query.theme ?? 'light');
    return sendEmbed(request, reply, { body, contentType: HTML });
  }
}
