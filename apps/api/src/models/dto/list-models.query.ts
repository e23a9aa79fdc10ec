import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { MODEL_SORTS, parseParameterCount, type ModelSort, type SortOrder } from '@modelpulse/core/catalog';

const PARAMS_HINT = 'a parameter count such as 7000000000, 7B, 1.5T or 350M';

const toCount = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? (parseParameterCount(value) ?? value) : value;
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
    : value;

export class ListModelsQuery {
  @ApiPropertyOptional({ description: 'Words to find in the id, the description or the tags', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({
    description: 'Organization slugs, comma-separated (any letter case)',
    example: 'deepseek-ai,Qwen',
  })
  @IsOptional()
  @Transform(toList)
  @IsString({ each: true })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/, {
    each: true,
    message: 'organization must be organization slugs, comma-separated',
  })
  organization?: string[];

  @ApiPropertyOptional({ description: 'Licence ids, comma-separated', example: 'mit,apache-2.0' })
  @IsOptional()
  @Transform(toList)
  @IsString({ each: true })
  @Matches(/^[a-z0-9][a-z0-9.+-]{0,63}$/i, { each: true, message: 'license must be licence ids, comma-separated' })
  license?: string[];

  @ApiPropertyOptional({ description: 'A Hugging Face pipeline tag', example: 'text-generation' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/i, { message: 'task must be a task id such as text-generation' })
  task?: string;

  @ApiPropertyOptional({ type: String, description: `Smallest total parameters: ${PARAMS_HINT}`, example: '7B' })
  @IsOptional()
  @Transform(toCount)
  @IsInt({ message: `minParams must be ${PARAMS_HINT}` })
  @Min(0)
  minParams?: number;

  @ApiPropertyOptional({ type: String, description: `Largest total parameters: ${PARAMS_HINT}`, example: '70B' })
  @IsOptional()
  @Transform(toCount)
  @IsInt({ message: `maxParams must be ${PARAMS_HINT}` })
  @Min(0)
  maxParams?: number;

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

  @ApiPropertyOptional({ enum: MODEL_SORTS, default: 'trending' })
  @IsOptional()
  @IsIn(MODEL_SORTS, { message: `sort must be one of ${MODEL_SORTS.join(', ')}` })
  sort?: ModelSort;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], description: 'Default: desc, but asc for name' })
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: 'order must be asc or desc' })
  order?: SortOrder;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 100' })
  @Min(1, { message: 'limit must be a whole number from 1 to 100' })
  @Max(100, { message: 'limit must be a whole number from 1 to 100' })
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page, with the same sort, order and filters' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}
