import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  CHART_METRICS,
  TRENDING_WIDGET_DEFAULT_LIMIT,
  TRENDING_WIDGET_MAX_LIMIT,
  WIDGET_THEMES,
  type ChartMetric,
  type WidgetTheme,
} from '@modelpulse/core/embeds';
import { RankingQuery } from '../../rankings/dto/rankings.query';

export class ChartQuery {
  @ApiPropertyOptional({ enum: CHART_METRICS, default: 'downloads' })
  @IsOptional()
  @IsIn(CHART_METRICS, { message: `metric must be one of ${CHART_METRICS.join(', ')}` })
  metric?: ChartMetric;

  @ApiPropertyOptional({ minimum: 7, maximum: 365, default: 90, description: 'Days drawn, today included' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'days must be a whole number from 7 to 365' })
  @Min(7, { message: 'days must be a whole number from 7 to 365' })
  @Max(365, { message: 'days must be a whole number from 7 to 365' })
  days?: number;
}

export class WidgetThemeQuery {
  @ApiPropertyOptional({ enum: WIDGET_THEMES, default: 'light' })
  @IsOptional()
  @IsIn(WIDGET_THEMES, { message: `theme must be one of ${WIDGET_THEMES.join(', ')}` })
  theme?: WidgetTheme;
}

const LIMIT_MESSAGE = `limit must be a whole number from 1 to ${TRENDING_WIDGET_MAX_LIMIT}`;

/** The trending ranking's filters, a theme, and fewer rows than the API allows: a widget is a glance. */
export class TrendingWidgetQuery extends OmitType(RankingQuery, ['limit'] as const) {
  @ApiPropertyOptional({ minimum: 1, maximum: TRENDING_WIDGET_MAX_LIMIT, default: TRENDING_WIDGET_DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  @Max(TRENDING_WIDGET_MAX_LIMIT, { message: LIMIT_MESSAGE })
  limit?: number;

  @ApiPropertyOptional({ enum: WIDGET_THEMES, default: 'light' })
  @IsOptional()
  @IsIn(WIDGET_THEMES, { message: `theme must be one of ${WIDGET_THEMES.join(', ')}` })
  theme?: WidgetTheme;
}
