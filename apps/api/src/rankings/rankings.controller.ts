import { Controller, Get, Param, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  LeaderboardDto,
  LeaderboardsService,
  RankHistoryDto,
  RankingsService,
  TrendingRankingDto,
} from '@modelpulse/core/rankings';
import { ApiCachedRead } from '../cache/api-cached-read';
import { sendCsvHeaders, toCsv, negotiateCsv } from '../http/csv-reply';
import { LEADERBOARD_COLUMNS, RANK_HISTORY_COLUMNS, TRENDING_COLUMNS } from '../http/csv-tables';
import { hubFilters } from '../http/hub-names';
import { ProblemDto } from '../http/problem.dto';
import { ModelParams } from '../models/dto/model-params';
import { LeaderboardParams, LeaderboardQuery, RankHistoryQuery, TrendingQuery } from './dto/rankings.query';
import { RateLimit } from '../http/rate-limit';
import { CurrentFigures } from '../stats/current-figures.interceptor';

const filtersOf = (query: TrendingQuery) => ({
  asOf: query.asOf,
  limit: query.limit ?? 20,
  licenses: query.license,
  ...hubFilters(query),
  minParams: query.minParams,
  maxParams: query.maxParams,
  collapseFamilies: query.collapse === 'family',
});

@ApiTags('rankings')
@ApiBadRequestResponse({
  type: ProblemDto,
  description: 'A bad parameter, named in `errors`: an unknown licence, organization or task too; a future asOf',
})
@Controller('v1')
@UseInterceptors(CurrentFigures)
export class RankingsController {
  constructor(
    private readonly rankings: RankingsService,
    private readonly leaderboards: LeaderboardsService,
  ) {}

  @Get('rankings/trending')
  @RateLimit('read')
  @ApiOperation({
    summary: 'What is taking off',
    description:
      'The published, versioned trending score (docs/trending.md) with its components and flags for every rank, ' +
      'as of any past day. With filters, ranks are renumbered within the filtered list. CSV (one row per rank) ' +
      'with `format=csv` or `Accept: text/csv`.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: TrendingRankingDto })
  @ApiCachedRead()
  async trending(
    @Query() query: TrendingQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TrendingRankingDto | string> {
    const ranking = await this.rankings.trending(filtersOf(query));
    if (!negotiateCsv(query.format, request, reply)) return ranking;
    sendCsvHeaders(reply, `trending-${ranking.asOf}`);
    return toCsv(TRENDING_COLUMNS, ranking.data);
  }

  @Get('rankings/:ranking')
  @RateLimit('read')
  @ApiOperation({
    summary: 'Leaderboards',
    description:
      'downloads (7d, 30d or all time), likes (new likes over 7d or 30d, or all), new (released in the 30 days ' +
      'up to asOf, `releaseWindowDays`, by downloads over 7 days); as of any past day. Equal figures rank by the ' +
      "model's id in code-point order. CSV (one row per rank) " +
      'with `format=csv` or `Accept: text/csv`.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: LeaderboardDto })
  @ApiCachedRead()
  async leaderboard(
    @Param() params: LeaderboardParams,
    @Query() query: LeaderboardQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeaderboardDto | string> {
    const board = await this.leaderboards.leaderboard(params.ranking, { ...filtersOf(query), period: query.period });
    if (!negotiateCsv(query.format, request, reply)) return board;
    sendCsvHeaders(reply, `${board.ranking}-${board.period}-${board.asOf}`);
    return toCsv(LEADERBOARD_COLUMNS, board.data);
  }

  @Get('models/:org/:name/rankings')
  @RateLimit('read')
  @ApiOperation({
    summary: 'Rank history of a model',
    description: 'Its trending rank each day; null where unranked. CSV with `format=csv` or `Accept: text/csv`.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: RankHistoryDto })
  @ApiCachedRead()
  @ApiNotFoundResponse({ type: ProblemDto })
  async history(
    @Param() params: ModelParams,
    @Query() query: RankHistoryQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RankHistoryDto | string> {
    const history = await this.rankings.rankHistory(`${params.org}/${params.name}`, { from: query.from, to: query.to });
    if (!negotiateCsv(query.format, request, reply)) return history;
    sendCsvHeaders(reply, `${history.model.replace('/', '_')}-${history.ranking}`);
    return toCsv(RANK_HISTORY_COLUMNS, history.points);
  }
}
