import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { RELATIONS, type Relation } from '@modelpulse/core/catalog';

export const MODEL_ID_PATTERN =
  /^(?!.*(?:--|\.\.))[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9_])?\/(?!.*(?:--|\.\.))[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9_])?$/;
const ARXIV_ID = /^\d{4}\.\d{4,5}$/;
const present = (field: string) => (object: Record<string, unknown>) => object[field] !== undefined;

export class PaperInputDto {
  @ApiProperty({ example: '2501.12948' })
  @IsString()
  @Matches(ARXIV_ID, { message: 'arxivId must be an arXiv id such as 2501.12948' })
  arxivId!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'Used only for a paper new to the catalogue: a stored paper is shared by every model citing it and keeps its ' +
      'title, which the answer shows',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  title?: string | null;
}

export class LinksInputDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'deepseek-ai/DeepSeek-R1',
    description: 'Hub repo id or URL',
  })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  huggingface?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'deepseek-ai/DeepSeek-R1',
    description: 'owner/repo or URL',
  })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  github?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'https://www.deepseek.com' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'homepage must be an http(s) URL' })
  @MaxLength(500)
  homepage?: string | null;
}

export class BaseModelInputDto {
  @ApiProperty({ example: 'deepseek-ai/DeepSeek-V3-Base' })
  @IsString()
  @Matches(MODEL_ID_PATTERN, { message: 'id must be a model id as org/name' })
  id!: string;

  @ApiProperty({ enum: RELATIONS, enumName: 'Relation' })
  @IsIn(RELATIONS, { message: `relation must be one of ${RELATIONS.join(', ')}` })
  relation!: Relation;
}

export class CreateModelDto {
  @ApiProperty({ example: 'deepseek-ai/DeepSeek-R1', description: 'Hugging Face style org/name' })
  @IsString()
  @Matches(MODEL_ID_PATTERN, { message: 'id must be a model id as org/name (letters, digits, - _ .)' })
  id!: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'mit',
    description: 'A licence id from GET /v1/licenses',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  license?: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 671000000000, description: 'Total parameters' })
  @IsOptional()
  @IsInt({ message: 'parameters must be a whole number' })
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  parameters?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 37000000000,
    description: 'Active parameters (mixture of experts)',
  })
  @IsOptional()
  @IsInt({ message: 'activeParameters must be a whole number' })
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  activeParameters?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'date', example: '2025-01-20' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'releaseDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'releaseDate must be a real date as YYYY-MM-DD' })
  releaseDate?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['text-generation'] })
  @ValidateIf(present('tasks'))
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/i, { each: true, message: 'tasks must be task ids such as text-generation' })
  tasks?: string[];

  @ApiPropertyOptional({ type: [String], example: ['reasoning'] })
  @ValidateIf(present('tags'))
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ type: [PaperInputDto] })
  @ValidateIf(present('papers'))
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PaperInputDto)
  papers?: PaperInputDto[];

  @ApiPropertyOptional({ type: LinksInputDto })
  @ValidateIf(present('links'))
  @ValidateNested()
  @Type(() => LinksInputDto)
  links?: LinksInputDto;

  @ApiPropertyOptional({ type: [BaseModelInputDto] })
  @ValidateIf(present('baseModels'))
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => BaseModelInputDto)
  baseModels?: BaseModelInputDto[];
}

export class UpdateModelDto extends PartialType(OmitType(CreateModelDto, ['id'] as const)) {}
