import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { parseParameterCount } from '@modelpulse/core/catalog';

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

/** Filters shared by the catalogue list and the rankings, and a page size. */
export class CatalogFiltersQuery {
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

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 100' })
  @Min(1, { message: 'limit must be a whole number from 1 to 100' })
  @Max(100, { message: 'limit must be a whole number from 1 to 100' })
  limit?: number;
}
