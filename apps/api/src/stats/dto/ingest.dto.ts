import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray } from 'class-validator';

/** Batches hold at most this many items; more is a 400 for the whole request. */
export const MAX_BATCH_ITEMS = 1000;

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

  @ApiPropertyOptional({ description: 'All-time downloads as the source counts them' })
  downloadsAllTime?: number;

  @ApiPropertyOptional({ description: 'Rolling 30-day downloads as the source reports them' })
  downloads30d?: number;

  @ApiPropertyOptional()
  likes?: number;

  @ApiPropertyOptional()
  stars?: number;

  @ApiPropertyOptional()
  forks?: number;
}

export class ObservationBatchDto {
  @ApiProperty({ type: [ObservationInputDto], minItems: 1, maxItems: MAX_BATCH_ITEMS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_ITEMS)
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
