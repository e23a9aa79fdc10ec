import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { INTERVALS, METRICS, type Interval, type Metric } from '@modelpulse/core/stats';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class StatsQuery {
  @ApiPropertyOptional({ enum: METRICS, default: 'downloads' })
  @IsOptional()
  @IsIn(METRICS, { message: `metric must be one of ${METRICS.join(', ')}` })
  metric?: Metric;

  @ApiPropertyOptional({ enum: INTERVALS, default: 'day', description: 'Weeks are ISO weeks (Monday to Sunday)' })
  @IsOptional()
  @IsIn(INTERVALS, { message: `interval must be one of ${INTERVALS.join(', ')}` })
  interval?: Interval;

  @ApiPropertyOptional({ description: 'First UTC day, inclusive (default: 90 days, 26 weeks or 2 years before to)' })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date like 2025-01-20' })
  @IsISO8601({ strict: true }, { message: 'from must be a real date' })
  from?: string;

  @ApiPropertyOptional({ description: 'Last UTC day, inclusive (default and upper bound: today)' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date like 2025-01-20' })
  @IsISO8601({ strict: true }, { message: 'to must be a real date' })
  to?: string;

  @ApiPropertyOptional({
    description: 'One source only (`huggingface`, `events`, a mirror…); default: every independent source summed',
  })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: 'source must be a source name like huggingface' })
  source?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'CSV also answers to `Accept: text/csv`' })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format?: 'json' | 'csv';
}
