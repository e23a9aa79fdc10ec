import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { PERIODS, type Period } from '@modelpulse/core/rankings';
import { CatalogFiltersQuery } from '../../http/catalog-filters.query';

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

export class LeaderboardQuery extends RankingQuery {
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
}
