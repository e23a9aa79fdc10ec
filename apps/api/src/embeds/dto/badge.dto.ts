import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import {
  BADGE_CACHE_SECONDS,
  BADGE_COLORS,
  BADGE_LOGOS,
  BADGE_MAX_CACHE_SECONDS,
  BADGE_METRICS,
  BADGE_STYLES,
  type BadgeLogo,
  type BadgeStyle,
} from '@modelpulse/core/embeds';
import { ModelParams } from '../../models/dto/model-params';

const COLOR_HINT = 'a named colour (brightgreen, blue, …) or 3 or 6 hex digits';
const CACHE_HINT = `cacheSeconds must be a whole number of seconds up to ${BADGE_MAX_CACHE_SECONDS}`;
const COLOR = new RegExp(`^(?:#?(?:[0-9a-f]{3}|[0-9a-f]{6})|${Object.keys(BADGE_COLORS).join('|')})$`, 'i');

export class BadgeParams extends ModelParams {
  @ApiProperty({ enum: BADGE_METRICS, description: 'Another value answers the grey "not found" badge (404)' })
  // Not checked against the list here: an unknown metric is a 404 badge, never a broken image.
  @IsString()
  metric!: string;
}

export class BadgeQuery {
  @ApiPropertyOptional({ enum: BADGE_STYLES, default: 'flat' })
  @IsOptional()
  @IsIn(BADGE_STYLES, { message: `style must be one of ${BADGE_STYLES.join(', ')}` })
  style?: BadgeStyle;

  @ApiPropertyOptional({ description: 'Replaces the left text; empty leaves the left part out', example: 'downloads' })
  @IsOptional()
  @IsString({ message: 'label must be given once' })
  @MaxLength(100, { message: 'label must be at most 100 characters' })
  label?: string;

  @ApiPropertyOptional({
    description: `The message colour: a named colour (${Object.keys(BADGE_COLORS).join(', ')}) or 3 or 6 hex digits, \`#\` optional`,
    example: 'ff69b4',
  })
  @IsOptional()
  @IsString({ message: 'color must be given once' })
  @Matches(COLOR, { message: `color must be ${COLOR_HINT}` })
  color?: string;

  @ApiPropertyOptional({ description: 'The label colour, as `color` takes it', example: '555' })
  @IsOptional()
  @IsString({ message: 'labelColor must be given once' })
  @Matches(COLOR, { message: `labelColor must be ${COLOR_HINT}` })
  labelColor?: string;

  @ApiPropertyOptional({ enum: BADGE_LOGOS, description: 'A logo before the label: the Hugging Face mark' })
  @IsOptional()
  @IsIn(BADGE_LOGOS, { message: `logo must be one of ${BADGE_LOGOS.join(', ')}` })
  logo?: BadgeLogo;

  @ApiPropertyOptional({
    description: 'The logo colour, as `color` takes it (default white; dark grey on `social`)',
    example: 'yellow',
  })
  @IsOptional()
  @IsString({ message: 'logoColor must be given once' })
  @Matches(COLOR, { message: `logoColor must be ${COLOR_HINT}` })
  logoColor?: string;

  @ApiPropertyOptional({
    type: Number,
    minimum: 0,
    maximum: BADGE_MAX_CACHE_SECONDS,
    description: `How long the badge may be kept; values under ${BADGE_CACHE_SECONDS} count as ${BADGE_CACHE_SECONDS}`,
    example: 3600,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: CACHE_HINT })
  @Min(0, { message: CACHE_HINT })
  @Max(BADGE_MAX_CACHE_SECONDS, { message: CACHE_HINT })
  cacheSeconds?: number;
}

/** The shields.io endpoint schema, version 1: what `https://img.shields.io/endpoint?url=…` reads. */
export class EndpointBadgeDto {
  @ApiProperty({ enum: [1] })
  schemaVersion!: 1;

  @ApiProperty({ example: 'downloads' })
  label!: string;

  @ApiProperty({ example: '1.2M/month' })
  message!: string;

  @ApiProperty({ example: 'brightgreen', description: 'A named colour or hex digits without `#`' })
  color!: string;

  @ApiProperty({ example: BADGE_CACHE_SECONDS })
  cacheSeconds!: number;

  @ApiProperty({ required: false, enum: [true], description: 'Only on the "not found" badge' })
  isError?: true;

  @ApiProperty({ required: false, description: 'When `labelColor` was asked for' })
  labelColor?: string;

  @ApiProperty({ required: false, enum: ['huggingface'], description: 'When `logo` was asked for' })
  namedLogo?: string;

  @ApiProperty({ required: false, description: 'When `logoColor` was asked for' })
  logoColor?: string;

  @ApiProperty({ required: false, enum: BADGE_STYLES, description: 'When `style` was asked for' })
  style?: BadgeStyle;
}
