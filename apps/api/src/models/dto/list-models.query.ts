import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { MODEL_SORTS, type ModelSort, type SortOrder } from '@modelpulse/core/catalog';
import { CatalogFiltersQuery } from '../../http/catalog-filters.query';

export class ListModelsQuery extends CatalogFiltersQuery {
  @ApiPropertyOptional({ description: 'Words to find in the id, the description or the tags', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

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

  @ApiPropertyOptional({ description: 'nextCursor of the previous page, with the same sort, order and filters' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}
