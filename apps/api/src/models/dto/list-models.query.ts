import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Validate,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import {
  isValidModelId,
  MAX_SEARCH_WORDS,
  MODEL_SORTS,
  type ModelSort,
  type SortOrder,
} from '@modelpulse/core/catalog';
import { CatalogFiltersQuery } from '../../http/catalog-filters.query';
import { HubFilterNamesQuery } from '../../http/hub-names';
import { FORMATS, type Format } from '../../http/csv-reply';

/** The Hub's sort names beside ours: `createdAt` (newest first) is our `releaseDate`. */
export const LIST_SORTS = [...MODEL_SORTS, 'createdAt'] as const;
export type ListSort = ModelSort | 'createdAt';

/** The most ids one batch lookup takes. */
export const MAX_BATCH_IDS = 100;

const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
    : value;

const TAG = /^[a-z0-9][a-z0-9:._+-]{0,63}$/i;

@ValidatorConstraint({ name: 'modelIds' })
class ModelIds implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return (
      Array.isArray(value) && value.length > 0 && value.every((id) => typeof id === 'string' && isValidModelId(id))
    );
  }
  defaultMessage(args: ValidationArguments): string {
    const bad = Array.isArray(args.value)
      ? args.value.find((id) => typeof id !== 'string' || !isValidModelId(id))
      : null;
    return bad === undefined || bad === null
      ? 'ids must be model ids as org/name, comma-separated'
      : `ids must be model ids as org/name, comma-separated: "${String(bad)}" is not one`;
  }
}

export class ListModelsQuery extends IntersectionType(CatalogFiltersQuery, HubFilterNamesQuery) {
  @ApiPropertyOptional({
    description:
      `Words the model must all hold, in any order and letter case, at the start of a word of its id, name, tags ` +
      `or description (ids split at - . / and the like: \`deepseek distill\` finds the DeepSeek-R1 distills); ` +
      `up to ${MAX_SEARCH_WORDS} words. Without \`sort\`, the best matches come first`,
    maxLength: 200,
    example: 'deepseek distill',
  })
  @IsOptional()
  @IsString({ message: 'q must be given once' })
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'The Hugging Face Hub\u2019s name for `q`', maxLength: 200 })
  @IsOptional()
  @IsString({ message: 'search must be given once' })
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ description: 'Tags the model must all carry, comma-separated', example: 'reasoning,moe' })
  @IsOptional()
  @Transform(toList)
  @IsString({ each: true })
  @Matches(TAG, { each: true, message: 'tag must be tags, comma-separated' })
  tag?: string[];

  @ApiPropertyOptional({ description: 'The Hugging Face Hub\u2019s name for `tag`', example: 'reasoning' })
  @IsOptional()
  @Transform(toList)
  @IsString({ each: true })
  @Matches(TAG, { each: true, message: 'filter must be tags, comma-separated' })
  filter?: string[];

  @ApiPropertyOptional({ description: 'Released on or after this day (YYYY-MM-DD)', example: '2025-01-01' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'releasedAfter must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'releasedAfter must be a real date as YYYY-MM-DD' })
  releasedAfter?: string;

  @ApiPropertyOptional({ description: 'Released on or before this day (YYYY-MM-DD)', example: '2025-12-31' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'releasedBefore must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'releasedBefore must be a real date as YYYY-MM-DD' })
  releasedBefore?: string;

  @ApiPropertyOptional({
    enum: LIST_SORTS,
    default: 'trending',
    description:
      '`downloads` is over 30 days; `createdAt` (the Hub\u2019s name) is `releaseDate`; `relevance` (best matches ' +
      'of `q` first, the default when `q` is given) needs `q`',
  })
  @IsOptional()
  @IsIn(LIST_SORTS, { message: `sort must be one of ${LIST_SORTS.join(', ')}` })
  sort?: ListSort;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], description: 'Default: desc, but asc for name' })
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: 'order must be asc or desc' })
  order?: SortOrder;

  @ApiPropertyOptional({
    enum: ['-1', '1'],
    description: 'The Hugging Face Hub\u2019s name for `order`: -1 desc, 1 asc',
  })
  @IsOptional()
  @IsIn(['-1', '1'], { message: 'direction must be -1 (descending) or 1 (ascending)' })
  direction?: '-1' | '1';

  @ApiPropertyOptional({
    description:
      `Up to ${MAX_BATCH_IDS} model ids, comma-separated: those models in this order, in one answer ` +
      '(with `missing` and `renamed`); takes no filter, sort or cursor',
    example: 'deepseek-ai/DeepSeek-R1,Qwen/Qwen3-8B',
  })
  @IsOptional()
  @Transform(toList)
  @ArrayMaxSize(MAX_BATCH_IDS, { message: `ids must name at most ${MAX_BATCH_IDS} models` })
  @Validate(ModelIds)
  ids?: string[];

  @ApiPropertyOptional({ description: 'nextCursor of the previous page, with the same sort, order and filters' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;

  @ApiPropertyOptional({ enum: FORMATS, description: 'CSV also answers to `Accept: text/csv`' })
  @IsOptional()
  @IsIn(FORMATS, { message: 'format must be json or csv' })
  format?: Format;
}
