import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  Matches,
  Max,
  Min,
  Validate,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { isValidModelId } from '@modelpulse/core/catalog';
import {
  CHART_DEFAULT_WIDTH_PX,
  CHART_MAX_WIDTH_PX,
  CHART_METRICS,
  CHART_MIN_WIDTH_PX,
  MAX_COMPARED_MODELS,
  RANK_CHART_MAX_DAYS,
  TRENDING_WIDGET_DEFAULT_LIMIT,
  TRENDING_WIDGET_MAX_LIMIT,
  WIDGET_THEMES,
  type ChartMetric,
  type WidgetTheme,
} from '@modelpulse/core/embeds';
import { RankingQuery } from '../../rankings/dto/rankings.query';

const WIDTH_MESSAGE = `width must be a whole number of pixels from ${CHART_MIN_WIDTH_PX} to ${CHART_MAX_WIDTH_PX}`;

export class ChartQuery {
  @ApiPropertyOptional({
    enum: CHART_METRICS,
    default: 'downloads',
    description: `A figure a day, or \`rank\`: the trending rank each day (1 on top; at most ${RANK_CHART_MAX_DAYS} days)`,
  })
  @IsOptional()
  @IsIn(CHART_METRICS, { message: `metric must be one of ${CHART_METRICS.join(', ')}` })
  metric?: ChartMetric;

  @ApiPropertyOptional({ minimum: 7, maximum: 365, default: 90, description: 'Days drawn, ending with `to`' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'days must be a whole number from 7 to 365' })
  @Min(7, { message: 'days must be a whole number from 7 to 365' })
  @Max(365, { message: 'days must be a whole number from 7 to 365' })
  days?: number;

  @ApiPropertyOptional({
    format: 'date',
    example: '2025-01-27',
    description: 'The last day drawn, not in the future; default today (yesterday for `rank`, whose day must be over)',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be a date like 2025-01-27' })
  @IsISO8601({ strict: true }, { message: 'to must be a real date' })
  to?: string;

  @ApiPropertyOptional({
    minimum: CHART_MIN_WIDTH_PX,
    maximum: CHART_MAX_WIDTH_PX,
    default: CHART_DEFAULT_WIDTH_PX,
    description:
      'The drawing\u2019s width in pixels; text stays the same size, so a narrow chart shown unscaled reads on a phone',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: WIDTH_MESSAGE })
  @Min(CHART_MIN_WIDTH_PX, { message: WIDTH_MESSAGE })
  @Max(CHART_MAX_WIDTH_PX, { message: WIDTH_MESSAGE })
  width?: number;
}

const MODELS_MESSAGE = `models must name 1 to ${MAX_COMPARED_MODELS} model ids as org/name, comma-separated`;

/**
 * `a/b, c/d,` as `['a/b', 'c/d']`: a comma-separated list, or the parameter
 * repeated (as a form of several fields sends it), blanks dropped.
 */
export const toModelList = ({ value }: { value: unknown }) =>
  typeof value === 'string' || (Array.isArray(value) && value.every((part) => typeof part === 'string'))
    ? [value]
        .flat()
        .flatMap((part: string) => part.split(','))
        .map((part) => part.trim())
        .filter(Boolean)
    : value;

/** The ids of a comparison: one to five, each a well-formed model id; the message names the first that is not. */
@ValidatorConstraint({ name: 'comparedModelIds' })
export class ComparedModelIds implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return (
      Array.isArray(value) &&
      value.length > 0 &&
      value.length <= MAX_COMPARED_MODELS &&
      value.every((id) => typeof id === 'string' && isValidModelId(id))
    );
  }
  defaultMessage(args: ValidationArguments): string {
    if (!Array.isArray(args.value) || args.value.length === 0) return MODELS_MESSAGE;
    if (args.value.length > MAX_COMPARED_MODELS) {
      return `models must name at most ${MAX_COMPARED_MODELS} models, not ${args.value.length}`;
    }
    const bad: unknown = args.value.find((id) => typeof id !== 'string' || !isValidModelId(id));
    return `${MODELS_MESSAGE}: "${String(bad)}" is not one`;
  }
}

/** The chart of several models: the single chart's query and the list of models. */
export class CompareChartQuery extends ChartQuery {
  @ApiProperty({
    type: String,
    description:
      `1 to ${MAX_COMPARED_MODELS} model ids, comma-separated: a line each, in this order; an old id of a renamed ` +
      'model draws the model under its new id',
    example: 'deepseek-ai/DeepSeek-R1,Qwen/QwQ-32B',
  })
  @Transform(toModelList)
  @Validate(ComparedModelIds)
  models!: string[];
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
