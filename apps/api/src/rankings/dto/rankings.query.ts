import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { PERIODS, type Period } from '@modelpulse/core/rankings';
import { CatalogFiltersQuery } from '../../http/catalog-filters.query';
import { FORMATS, type Format } from '../../http/csv-reply';
import { HubFilterNamesQuery } from '../../http/hub-names';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class RankingQuery extends CatalogFiltersQuery {
  @ApiPropertyOptional({
    description:
      'The UTC day the ranking is as of: everything observed up to its end (default: the latest complete day)',
    example: '2025-01-21',
  })
  @IsOptional()
  @Matches(DATE, { message: 'asOf must be a date like 2025-01-21' })
  @IsISO8601({ strict: true }, { message: 'asOf must be a real date' })
  asOf?: string;

  @ApiPropertyOptional({
    enum: ['family'],
    description: 'family: keep only the best-ranked model of each family (finetunes, quantizations, adapters, merges)',
  })
  @IsOptional()
  @IsIn(['family'], { message: 'collapse must be family' })
  collapse?: 'family';
}

/**
 * A ranking asked of the API, which answers CSV too and takes the Hub's
 * names of its filters (the widget and the site take `RankingQuery`).
 */
export class TrendingQuery extends IntersectionType(RankingQuery, HubFilterNamesQuery) {
  @ApiPropertyOptional({ enum: FORMATS, description: 'CSV (one row per rank) also answers to `Accept: text/csv`' })
  @IsOptional()
  @IsIn(FORMATS, { message: 'format must be json or csv' })
  format?: Format;
}

export class LeaderboardQuery extends TrendingQuery {
  @ApiPropertyOptional({ enum: PERIODS, description: 'Default: 30d for downloads, all for likes; new is always 7d' })
  @IsOptional()
  @IsIn(PERIODS, { message: `period must be one of ${PERIODS.join(', ')}` })
  period?: Period;
}

export class LeaderboardParams {
  @ApiPropertyOptional({ enum: ['downloads', 'likes', 'new'] })
  @IsIn(['downloads', 'likes', 'new'], { message: 'ranking must be downloads, likes or new' })
  ranking!: 'downloads' | 'likes' | 'new';
}

export class RankHistoryQuery {
  @ApiPropertyOptional({ enum: ['trending'], default: 'trending' })
  @IsOptional()
  @IsIn(['trending'], { message: 'ranking must be trending' })
  ranking?: 'trending';

  @ApiPropertyOptional({ description: 'First UTC day, inclusive (default: 29 days before to)' })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date like 2025-01-21' })
  @IsISO8601({ strict: true }, { message: 'from must be a real date' })
  from?: string;

  @ApiPropertyOptional({ description: 'Last UTC day, inclusive (default: the latest complete day)' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date like 2025-01-21' })
  @IsISO8601({ strict: true }, { message: 'to must be a real date' })
  to?: string;

  @ApiPropertyOptional({ enum: FORMATS, description: 'CSV (one row per day) also answers to `Accept: text/csv`' })
  @IsOptional()
  @IsIn(FORMATS, { message: 'format must be json or csv' })
  format?: Format;
}
