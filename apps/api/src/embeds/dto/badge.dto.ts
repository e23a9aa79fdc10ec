import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import {
  BADGE_CACHE_SECONDS,
  BADGE_COLORS,
  BADGE_METRICS,
  BADGE_STYLES,
  type BadgeStyle,
} from '@modelpulse/core/embeds';
import { ModelParams } from '../../models/dto/model-params';

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
  @Matches(COLOR, { message: 'color must be a named colour (brightgreen, blue, …) or 3 or 6 hex digits' })
  color?: string;
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
}
