import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LeaderboardDto, RankHistoryDto, RankingsService, TrendingRankingDto } from '@modelpulse/core/rankings';
import { ApiCachedRead } from '../cache/api-cached-read';
import { ProblemDto } from '../http/problem.dto';
import { ModelParams } from '../models/dto/model-params';
import { LeaderboardParams, LeaderboardQuery, RankHistoryQuery, RankingQuery } from './dto/rankings.query';
import { RateLimit } from '../http/rate-limit';

const filtersOf = (query: RankingQuery) => ({
  asOf: query.asOf,
  limit: query.limit ?? 20,
  licenses: query.license,
  task: query.task,
  organizations: query.organization,
  minParams: query.minParams,
  maxParams: query.maxParams,
  collapseFamilies: query.collapse === 'family',
});

@ApiTags('rankings')
@ApiBadRequestResponse({ type: ProblemDto, description: 'A bad parameter, named in `errors`; a future asOf' })
@Controller('v1')
export class RankingsController {
  constructor(private readonly rankings: RankingsService) {}

  @Get('rankings/trending')
  @RateLimit('read')
  @ApiOperation({
    summary: 'What is taking off',
    description:
      'The published, versioned trending score (docs/trending.md) with its components and flags for every rank, ' +
      'as of any past day. With filters, ranks are renumbered within the filtered list.',
  })
  @ApiOkResponse({ type: TrendingRankingDto })
  @ApiCachedRead()
  trending(@Query() query: RankingQuery): Promise<TrendingRankingDto> {
    return this.rankings.trending(filtersOf(query));
  }

  @Get('rankings/:ranking')
  @RateLimit('read')
  @ApiOperation({
    summary: 'Leaderboards',
    description:
      'downloads (7d, 30d or all time), likes (new likes over 7d or 30d, or all), new (released in the 30 days ' +
      'up to asOf, `releaseWindowDays`, by downloads over 7 days); as of any past day.',
  })
  @ApiOkResponse({ type: LeaderboardDto })
  @ApiCachedRead()
  leaderboard(@Param() params: LeaderboardParams, @Query() query: LeaderboardQuery): Promise<LeaderboardDto> {
    return this.rankings.leaderboard(params.ranking, { ...filtersOf(query), period: query.period });
  }

  @Get('models/:org/:name/rankings')
  @RateLimit('read')
  @ApiOperation({ summary: 'Rank history of a model', description: 'Its trending rank each day; null where unranked.' })
  @ApiOkResponse({ type: RankHistoryDto })
  @ApiCachedRead()
  @ApiNotFoundResponse({ type: ProblemDto })
  history(@Param() params: ModelParams, @Query() query: RankHistoryQuery): Promise<RankHistoryDto> {
    return this.rankings.rankHistory(`${params.org}/${params.name}`, { from: query.from, to: query.to });
  }
}
