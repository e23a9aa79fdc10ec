import { ApiProperty } from '@nestjs/swagger';
import { INTERVALS, type Interval } from '../series';

export const METRICS = ['downloads', 'likes', 'stars', 'clicks', 'uniqueDownloaders'] as const;
export type Metric = (typeof METRICS)[number];

export class SeriesPointDto {
  @ApiProperty({
    description: 'First day of the period (the day, the ISO week Monday, the 1st)',
    example: '2025-01-20',
  })
  date!: string;

  @ApiProperty({ description: 'The period: `2025-01-20`, `2025-W04` or `2025-01`', example: '2025-W04' })
  period!: string;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 20000,
    description:
      'Sum of the known days of the period; likes and stars are net changes and may be negative. ' +
      'Null when none of its days has a figure (unknown, not 0: a sync that has not caught up, a source that ' +
      'gave no such figure). A 0 is a day of nothing, or a counter dip that `flags` names',
  })
  value!: number | null;

  @ApiProperty({ description: 'Some days in it were estimated by spreading an increment over missed days' })
  imputed!: boolean;

  @ApiProperty({
    type: [String],
    example: ['decrease'],
    description:
      'What differencing the downloads counter noticed: `decrease` (a small dip, counted as 0), ' +
      '`held_back` (a large drop not yet confirmed), `reset` (a confirmed drop, the new base)',
  })
  flags!: string[];

  @ApiProperty({
    example: 0,
    description: 'How many days of the period have no figure: 0 or 1 for a day; their figures are left out of `value`',
  })
  unknownDays!: number;
}

export class StatsSeriesDto {
  @ApiProperty({ example: 'deepseek-ai/DeepSeek-R1' })
  model!: string;

  @ApiProperty({ enum: METRICS, enumName: 'Metric' })
  metric!: Metric;

  @ApiProperty({ enum: INTERVALS, enumName: 'Interval' })
  interval!: Interval;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The one source summed, or null when every independent source is summed',
  })
  source!: string | null;

  @ApiProperty({ example: '2025-01-01' })
  from!: string;

  @ApiProperty({ example: '2025-01-31' })
  to!: string;

  @ApiProperty({
    type: [SeriesPointDto],
    description:
      'Periods from the first figure to `to`; days before the first figure are absent. A day after it without a ' +
      'figure is `value: null`. Our own counts (events, link clicks) are known every day from their first one: ' +
      'a day without any is 0',
  })
  points!: SeriesPointDto[];

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 20000,
    description: 'Sum of the known days; null when no day is known (and for `points: []`)',
  })
  total!: number | null;

  @ApiProperty({ example: 1, description: 'How many days of the answer have no figure, left out of `total`' })
  unknownDays!: number;

  @ApiProperty({
    example: false,
    description:
      'True when the figures are demo data (`npm run cli -- demo`), which stands in only for models that no ' +
      'other source counts',
  })
  demo!: boolean;
}
