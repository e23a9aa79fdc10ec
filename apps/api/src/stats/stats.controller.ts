import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '@modelpulse/core/auth';
import { BatchResultDto, StatsSeriesDto, StatsService } from '@modelpulse/core/stats';
import { ApiCachedRead } from '../cache/api-cached-read';
import { sendCsvHeaders, toCsv, negotiateCsv } from '../http/csv-reply';
import { SERIES_COLUMNS } from '../http/csv-tables';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { RequireScope } from '../auth/scopes.decorator';
import { ApiModelMovedResponse, ProblemDto } from '../http/problem.dto';
import { RateLimit } from '../http/rate-limit';
import { ModelParams } from '../models/dto/model-params';
import { EventBatchDto, ObservationBatchDto } from './dto/ingest.dto';
import { StatsQuery } from './dto/stats.query';

@ApiTags('stats')
@ApiBadRequestResponse({ type: ProblemDto, description: 'A bad parameter or field, named in `errors`' })
@Controller('v1')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('models/:org/:name/stats')
  @RateLimit('read')
  @ApiOperation({
    summary: 'Daily history of a model',
    description:
      'Downloads sum the independent sources (hub counters, mirror events); tracked-link clicks are their own metric. ' +
      'Days from the first figure to `to` are present: a stored figure (0 where nothing happened), or `value: null` ' +
      'where no source has a figure (unknown, an empty cell in CSV), counted in `unknownDays` and left out of the ' +
      'sums; imputed points say so.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: StatsSeriesDto })
  @ApiCachedRead()
  @ApiModelMovedResponse()
  @ApiNotFoundResponse({ type: ProblemDto })
  async series(
    @Param() params: ModelParams,
    @Query() query: StatsQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StatsSeriesDto | string> {
    const series = await this.stats.series(`${params.org}/${params.name}`, {
      metric: query.metric ?? 'downloads',
      interval: query.interval ?? 'day',
      from: query.from,
      to: query.to,
      source: query.source,
    });
    if (!negotiateCsv(query.format, request, reply)) return series;
    sendCsvHeaders(reply, `${series.model.replace('/', '_')}-${series.metric}`);
    return toCsv(SERIES_COLUMNS, series.points);
  }

  @Post('observations')
  @HttpCode(200)
  @RequireScope('stats:ingest')
  @RateLimit('ingest')
  @ApiOperation({
    summary: 'Post counter readings',
    description:
      'Counters as an upstream reported them at a moment; the path the sync jobs use. Idempotent on ' +
      '(model, source, observedAt): the same reading again is a duplicate, other values for it are rejected. ' +
      'A key writes only the sources it was made for: an item under another source refuses the whole batch (403).',
  })
  @ApiOkResponse({ type: BatchResultDto })
  @ApiForbiddenResponse({ type: ProblemDto, description: 'A source the key was not made for, named in `detail`' })
  observations(@Body() body: ObservationBatchDto, @CurrentPrincipal() principal: Principal): Promise<BatchResultDto> {
    return this.stats.recordObservations(body.observations, 'api', principal.sources);
  }

  @Post('events')
  @HttpCode(200)
  @RequireScope('stats:ingest')
  @RateLimit('ingest')
  @ApiOperation({
    summary: 'Post download events',
    description:
      'Downloads seen by your own mirrors, each counted once per event id and API key; the key must be made for ' +
      'the `events` source.',
  })
  @ApiOkResponse({ type: BatchResultDto })
  @ApiForbiddenResponse({ type: ProblemDto, description: 'The key was not made for the `events` source' })
  events(@Body() body: EventBatchDto, @CurrentPrincipal() principal: Principal): Promise<BatchResultDto> {
    return this.stats.recordEvents(body.events, principal.keyId, principal.sources);
  }
}
