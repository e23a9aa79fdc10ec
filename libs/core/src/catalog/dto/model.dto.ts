import { ApiProperty } from '@nestjs/swagger';
import { RELATIONS, type Relation } from '../entities/model-relation.entity';
import { UPSTREAM_STATUSES, UPSTREAMS, type Upstream, type UpstreamStatus } from '../entities/upstream-binding.entity';

export class LicenseDto {
  @ApiProperty({ example: 'mit', description: 'Lowercase slug, the hub `license:` tag where one exists' })
  id!: string;

  @ApiProperty({ example: 'MIT License' })
  name!: string;

  @ApiProperty({ type: String, nullable: true, example: 'MIT', description: 'SPDX id; null for custom licences' })
  spdx!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'https://opensource.org/license/mit' })
  url!: string | null;

  @ApiProperty({ type: Boolean, nullable: true, description: 'Whether commercial use is allowed; null when unknown' })
  commercialUse!: boolean | null;
}

export class PaperRefDto {
  @ApiProperty({ example: '2501.12948' })
  arxivId!: string;

  @ApiProperty({ type: String, nullable: true })
  title!: string | null;

  @ApiProperty({ example: 'https://arxiv.org/abs/2501.12948' })
  url!: string;
}

export class ModelLinksDto {
  @ApiProperty({ type: String, nullable: true, example: 'https://huggingface.co/deepseek-ai/DeepSeek-R1' })
  huggingface!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'https://github.com/deepseek-ai/DeepSeek-R1' })
  github!: string | null;

  @ApiProperty({ type: String, nullable: true })
  homepage!: string | null;
}

export class BaseModelRefDto {
  @ApiProperty({ example: 'deepseek-ai/DeepSeek-V3-Base' })
  id!: string;

  @ApiProperty({ enum: RELATIONS, enumName: 'Relation' })
  relation!: Relation;
}

export class ModelStatsDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Downloads since the model was published: each source\u2019s all-time counter as it last reported it ' +
      '(our own download events counted to now), summed; as fresh as `lastSyncedAt`, the day in progress included',
  })
  downloadsAllTime!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Downloads over the 30 complete UTC days ending yesterday: the daily series summed over the independent ' +
      'sources (never tracked-link clicks), the day in progress left out. The same figure as the 30-day ' +
      'downloads leaderboard of the latest complete day. Null when no day of the window has a figure',
  })
  downloads30d!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Downloads over the 7 complete UTC days ending yesterday, summed like `downloads30d`; the same figure as ' +
      'the 7-day downloads leaderboard of the latest complete day',
  })
  downloads7d!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 72376843,
    description:
      'What the hub\u2019s own rolling 30-day counter last said (Hugging Face\u2019s `downloads`), summed over the ' +
      'sources that keep one: the hub\u2019s window up to when it was read, the day in progress included, so not ' +
      '`downloads30d`. Null when no source reports one',
  })
  hubDownloads30d!: number | null;

  @ApiProperty({ type: Number, nullable: true })
  likes!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Stars of the GitHub repository' })
  stars!: number | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastSyncedAt!: string | null;

  @ApiProperty({
    example: false,
    description:
      'True when the figures are demo data (`npm run cli -- demo`), which stands in only for models no other ' +
      'source counts',
  })
  demo!: boolean;
}

export class TrendingRefDto {
  @ApiProperty()
  rank!: number;

  @ApiProperty()
  score!: number;
}

export class ModelDto {
  @ApiProperty({ example: 'deepseek-ai/DeepSeek-R1', description: 'Canonical `org/name`' })
  id!: string;

  @ApiProperty({ example: 'deepseek-ai', description: 'The hub slug of the organization' })
  organization!: string;

  @ApiProperty({ example: 'DeepSeek-R1' })
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ type: LicenseDto, nullable: true })
  license!: LicenseDto | null;

  @ApiProperty({ type: Number, nullable: true, example: 671000000000, description: 'Total parameters' })
  parameters!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 37000000000,
    description: 'Parameters active per token (mixture-of-experts models)',
  })
  activeParameters!: number | null;

  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2025-01-20' })
  releaseDate!: string | null;

  @ApiProperty({ type: [String], example: ['text-generation'] })
  tasks!: string[];

  @ApiProperty({ type: [String], example: ['reasoning', 'moe'] })
  tags!: string[];

  @ApiProperty({ type: [PaperRefDto] })
  papers!: PaperRefDto[];

  @ApiProperty({ type: ModelLinksDto })
  links!: ModelLinksDto;

  @ApiProperty({ type: [BaseModelRefDto] })
  baseModels!: BaseModelRefDto[];

  @ApiProperty({ type: ModelStatsDto })
  stats!: ModelStatsDto;

  @ApiProperty({ type: TrendingRefDto, nullable: true })
  trending!: TrendingRefDto | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: string;
}

/** The catalogue fields an import compares with what the upstream says. */
export const IMPORTED_FIELDS = ['license', 'parameters', 'tasks', 'papers', 'baseModels'] as const;
export type ImportedField = (typeof IMPORTED_FIELDS)[number];

export class ImportedValuesDto {
  @ApiProperty({ type: String, nullable: true, example: 'mit', description: 'The licence the upstream states' })
  license!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 684531386000, description: 'Every tensor the upstream counts' })
  parameters!: number | null;

  @ApiProperty({ type: [String], example: ['text-generation'] })
  tasks!: string[];

  @ApiProperty({ type: [String], example: ['2501.12948'], description: 'arXiv ids' })
  papers!: string[];

  @ApiProperty({
    type: [BaseModelRefDto],
    description: 'As the upstream names them; the catalogue links only the models it has',
  })
  baseModels!: BaseModelRefDto[];

  @ApiProperty({
    enum: IMPORTED_FIELDS,
    enumName: 'ImportedField',
    isArray: true,
    example: ['parameters'],
    description: 'The fields where the catalogue shows another value (one a person set, say)',
  })
  differs!: ImportedField[];
}

export class ModelUpstreamDto {
  @ApiProperty({ enum: UPSTREAMS, enumName: 'Upstream' })
  upstream!: Upstream;

  @ApiProperty({ example: 'deepseek-ai/DeepSeek-R1', description: 'The repository on the upstream' })
  id!: string;

  @ApiProperty({ example: 'https://huggingface.co/deepseek-ai/DeepSeek-R1' })
  url!: string;

  @ApiProperty({
    enum: UPSTREAM_STATUSES,
    enumName: 'UpstreamStatus',
    description:
      'What the last sync found: `ok`; `renamed` (followed, under `id` now); `gone` (deleted upstream, no longer ' +
      'synced); `gated` (no counters without access); `failing` (no trustworthy answer, see `lastError`)',
  })
  status!: UpstreamStatus;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The last sync that read it' })
  lastSyncedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why the last sync failed; null after a success' })
  lastError!: string | null;

  @ApiProperty({
    type: ImportedValuesDto,
    nullable: true,
    description: 'What the upstream last said of the catalogue fields; null when nothing was imported from it',
  })
  imported!: ImportedValuesDto | null;
}

/** One model as its own page shows it: the list item plus its upstreams. */
export class ModelDetailDto extends ModelDto {
  @ApiProperty({
    type: [ModelUpstreamDto],
    description: 'The model\u2019s repositories upstream (Hugging Face first), their sync state and imported values',
  })
  upstreams!: ModelUpstreamDto[];
}

export class RenamedIdDto {
  @ApiProperty({ example: 'acme/old-name', description: 'The id as asked' })
  from!: string;

  @ApiProperty({ example: 'acme/new-name', description: 'The id the model answers under' })
  to!: string;
}

export class ModelPageDto {
  @ApiProperty({ type: [ModelDto], description: 'With `ids`: the models found, in the order asked' })
  data!: ModelDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last (and always with `ids`)',
  })
  nextCursor!: string | null;

  @ApiProperty({ required: false, type: [String], description: 'Only with `ids`: the ids asked that name no model' })
  missing?: string[];

  @ApiProperty({
    required: false,
    type: [RenamedIdDto],
    description: 'Only with `ids`: old ids asked, left by an upstream rename, and the id each model answers under',
  })
  renamed?: RenamedIdDto[];
}
