import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, registerDecorator, type ValidationArguments } from 'class-validator';
import { MAX_DOWNLOADS, MAX_LIKES } from '@modelpulse/core/stats';

/** Batches hold at most this many items; more is a 400 for the whole request. */
export const MAX_BATCH_ITEMS = 1000;

const COUNTERS = ['downloadsAllTime', 'downloads30d', 'likes', 'stars', 'forks'] as const;

/** `[index].counter` of the first item whose counter no figure can hold (beyond 2^53 - 1), else null. */
function counterBeyondRange(items: unknown): string | null {
  if (!Array.isArray(items)) return null;
  for (const [index, item] of items.entries()) {
    if (item === null || typeof item !== 'object') continue;
    for (const name of COUNTERS) {
      const value = (item as Record<string, unknown>)[name];
      if (typeof value === 'number' && value > MAX_DOWNLOADS) return `[${index}].${name}`;
    }
  }
  return null;
}

/**
 * A counter beyond 2^53 - 1 refuses the whole batch (400), unlike the other
 * faults of an item: JSON numbers lose digits past it, so the request does
 * not say what was counted. The message starts with the item's path, which
 * names the field in the problem's `errors`.
 */
function CountersWithinRange(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'countersWithinRange',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => counterBeyondRange(value) === null,
        defaultMessage: (args: ValidationArguments) =>
          `${args.property}${counterBeyondRange(args.value)} must be at most ${MAX_DOWNLOADS} (2^53 - 1)`,
      },
    });
}

/** An item as documented; items are checked one by one, so a bad one is rejected alone. */
export class ObservationInputDto {
  @ApiProperty({ example: 'deepseek-ai/DeepSeek-R1' })
  model!: string;

  @ApiProperty({
    example: 'huggingface',
    description: 'Who counted: `huggingface`, `github` or a mirror name (lower case; not `events` or `link`)',
  })
  source!: string;

  @ApiProperty({ example: '2025-01-21T06:00:00Z', description: 'When the counters were read, with a time zone' })
  observedAt!: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_DOWNLOADS,
    description: 'All-time downloads as the source counts them',
  })
  downloadsAllTime?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_DOWNLOADS,
    description: 'Rolling 30-day downloads as the source reports them',
  })
  downloads30d?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_LIKES })
  likes?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_LIKES })
  stars?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_LIKES })
  forks?: number;
}

export class ObservationBatchDto {
  @ApiProperty({
    type: [ObservationInputDto],
    minItems: 1,
    maxItems: MAX_BATCH_ITEMS,
    description:
      'Items are checked one by one; a counter beyond 2^53 - 1, or a source the key was not made for, refuses the batch',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_ITEMS)
  @CountersWithinRange()
  observations!: unknown[];
}

export class EventInputDto {
  @ApiProperty({ description: 'Your id for the event; one id counts once per API key', example: 'mirror-eu-000123' })
  id!: string;

  @ApiProperty({ example: 'Qwen/QwQ-32B' })
  model!: string;

  @ApiPropertyOptional({ example: '2025-03-06T10:15:00Z', description: 'When it happened (default: now)' })
  occurredAt?: string;

  @ApiPropertyOptional({ example: 'Q4_K_M', description: 'A file or quantization name' })
  variant?: string;
}

export class EventBatchDto {
  @ApiProperty({ type: [EventInputDto], minItems: 1, maxItems: MAX_BATCH_ITEMS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_ITEMS)
  events!: unknown[];
}
