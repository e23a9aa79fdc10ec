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

  @ApiProperty({ description: 'Sum over the period; likes and stars are net changes and may be negative' })
  value!: number;

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
    description: 'Days from the first reading to `to`; days before the first reading are absent',
  })
  points!: SeriesPointDto[];

  @ApiProperty({ description: 'Sum of the points' })
  total!: number;
}
