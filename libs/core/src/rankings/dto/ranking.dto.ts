import { ApiProperty } from '@nestjs/swagger';

export const LEADERBOARDS = ['downloads', 'likes', 'new'] as const;
export type Leaderboard = (typeof LEADERBOARDS)[number];
export const PERIODS = ['7d', '30d', 'all'] as const;
export type Period = (typeof PERIODS)[number];

export class RankedModelDto {
  @ApiProperty({ example: 'deepseek-ai/DeepSeek-R1' })
  id!: string;

  @ApiProperty({ example: 'DeepSeek-R1' })
  name!: string;

  @ApiProperty({ example: 'deepseek-ai' })
  organization!: string;

  @ApiProperty({ type: String, nullable: true, example: 'mit', description: 'Licence id (GET /v1/licenses)' })
  license!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 671_000_000_000 })
  parameters!: number | null;

  @ApiProperty({ type: String, nullable: true, example: '2025-01-20' })
  releaseDate!: string | null;
}

export class TrendingComponentsDto {
  @ApiProperty({ description: 'log10(1 + downloads over 7 days)', example: 5.2 })
  volume!: number;

  @ApiProperty({ description: 'Clipped log2 of the short-term over the baseline download rate, after the surge cut' })
  growth!: number;

  @ApiProperty({ description: 'log10(1 + likes + 0.5 × stars over 7 days)' })
  engagement!: number;
}

export class TrendingEntryDto {
  @ApiProperty({ description: 'From 1, within the filtered list' })
  rank!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Rank the day before, in the same filtered list; null when unranked then',
  })
  previousRank!: number | null;

  @ApiProperty({ type: RankedModelDto })
  model!: RankedModelDto;

  @ApiProperty({ description: 'volumeWeight·volume + growthWeight·growth + engagementWeight·engagement' })
  score!: number;

  @ApiProperty({ type: TrendingComponentsDto })
  components!: TrendingComponentsDto;

  @ApiProperty({
    type: [String],
    example: ['new'],
    description:
      '`new`, `uncorroborated_surge`, `imputed_days`, `unknown_days`, `insufficient_history` (docs/trending.md)',
  })
  flags!: string[];

  @ApiProperty({
    example: false,
    description: 'True when the model is ranked on demo data (`npm run cli -- demo`), no other source counting it',
  })
  demo!: boolean;
}

export class AlgorithmDto {
  @ApiProperty({ example: 'trending' })
  name!: string;

  @ApiProperty({ example: 'trending-v1-eb8ee1f8', description: 'Names the formula and its parameters' })
  version!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'Every parameter of the formula',
  })
  params!: Record<string, number>;
}

export class TrendingRankingDto {
  @ApiProperty({ example: 'trending' })
  ranking!: string;

  @ApiProperty({ example: '2025-01-21', description: 'Everything observed up to the end of this UTC day' })
  asOf!: string;

  @ApiProperty({ type: AlgorithmDto })
  algorithm!: AlgorithmDto;

  @ApiProperty({
    description:
      'True when data touching this day (or the day before, for previousRank) landed after its stored ranking ' +
      'was computed and it could not be recomputed for this answer; a job recomputes it',
  })
  stale!: boolean;

  @ApiProperty({ example: false, description: 'True when any entry is ranked on demo data (`npm run cli -- demo`)' })
  demo!: boolean;

  @ApiProperty({ type: [TrendingEntryDto] })
  data!: TrendingEntryDto[];
}

export class LeaderboardEntryDto {
  @ApiProperty()
  rank!: number;

  @ApiProperty({ type: Number, nullable: true })
  previousRank!: number | null;

  @ApiProperty({ type: RankedModelDto })
  model!: RankedModelDto;

  @ApiProperty({
    description:
      '7d and 30d: the daily series summed over the independent sources and the period\u2019s UTC days ending ' +
      'with `asOf` (for the latest complete day, the model\u2019s `stats.downloads7d` or `downloads30d`); ' +
      'all: each source\u2019s counter as last reported by the end of `asOf`, summed',
  })
  value!: number;

  @ApiProperty({
    example: false,
    description: 'True when the value is demo data (`npm run cli -- demo`), no other source counting the model',
  })
  demo!: boolean;
}

export class LeaderboardDto {
  @ApiProperty({ enum: LEADERBOARDS, enumName: 'Leaderboard' })
  ranking!: Leaderboard;

  @ApiProperty({ enum: PERIODS, enumName: 'Period', description: 'For `new`: downloads over 7 days' })
  period!: Period;

  @ApiProperty({
    example: '2025-01-21',
    description: 'The last UTC day of the period; default the latest complete day (yesterday)',
  })
  asOf!: string;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 30,
    description:
      'For `new`: the release window, in days; a model is listed when its release date is one of the ' +
      '`releaseWindowDays` UTC days ending with `asOf`. Null for the other leaderboards',
  })
  releaseWindowDays!: number | null;

  @ApiProperty({ example: false, description: 'True when any entry\u2019s value is demo data (`npm run cli -- demo`)' })
  demo!: boolean;

  @ApiProperty({ type: [LeaderboardEntryDto] })
  data!: LeaderboardEntryDto[];
}

export class RankPointDto {
  @ApiProperty({ example: '2025-01-21' })
  date!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'Null on days the model was not ranked' })
  rank!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  score!: number | null;

  @ApiProperty({
    description:
      "True when data touching the day landed after its stored ranking was computed: this is the day's last " +
      'answer, which a job recomputes; at most two days are recomputed for one request',
  })
  stale!: boolean;
}

export class RankHistoryDto {
  @ApiProperty({ example: 'deepseek-ai/DeepSeek-R1' })
  model!: string;

  @ApiProperty({ example: 'trending' })
  ranking!: string;

  @ApiProperty({ example: 'trending-v1-eb8ee1f8' })
  version!: string;

  @ApiProperty({ type: [RankPointDto] })
  points!: RankPointDto[];
}
