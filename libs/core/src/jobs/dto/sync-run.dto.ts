import { ApiProperty } from '@nestjs/swagger';
import { RUN_KINDS, RUN_STATUSES, type RunKind, type RunStatus } from '../sync-run.entity';
import type { RunRow } from '../sync-run.repository';

export class RunErrorDto {
  @ApiProperty({ type: String, nullable: true, example: 'Qwen/QwQ-32B' })
  model!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'huggingface' })
  source!: string | null;

  @ApiProperty({ example: 'HTTP 500 after 4 attempts' })
  error!: string;
}

export class SyncRunDto {
  @ApiProperty({ example: '42' })
  id!: string;

  @ApiProperty({ enum: RUN_KINDS, enumName: 'RunKind' })
  kind!: RunKind;

  @ApiProperty({ example: 'schedule', description: '`schedule`, `api` or `cli`' })
  trigger!: string;

  @ApiProperty({
    enum: RUN_STATUSES,
    enumName: 'RunStatus',
    description:
      '`interrupted`: its process stopped before it ended (a signal, or it died and went silent); ' +
      '`finishedAt` says when it stopped',
  })
  status!: RunStatus;

  @ApiProperty({ description: 'When it was queued, then when it started' })
  startedAt!: string;

  @ApiProperty({ type: String, nullable: true })
  finishedAt!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'When the process running it last said it was alive (every JOB_HEARTBEAT_SECONDS while it runs)',
  })
  heartbeatAt!: string | null;

  @ApiProperty()
  modelsDone!: number;

  @ApiProperty()
  modelsFailed!: number;

  @ApiProperty()
  modelsSkipped!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { huggingface: 9, github: 21 },
    description: 'HTTP requests made to each upstream, retries included',
  })
  upstreamRequests!: Record<string, number>;

  @ApiProperty({ type: [RunErrorDto] })
  errors!: RunErrorDto[];
}

export class SyncRunListDto {
  @ApiProperty({ type: [SyncRunDto], description: 'Newest first' })
  data!: SyncRunDto[];
}

export function toSyncRunDto(run: RunRow): SyncRunDto {
  return {
    id: run.id,
    kind: run.kind,
    trigger: run.trigger,
    status: run.status,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    heartbeatAt: run.heartbeatAt?.toISOString() ?? null,
    modelsDone: run.modelsDone,
    modelsFailed: run.modelsFailed,
    modelsSkipped: run.modelsSkipped,
    upstreamRequests: run.upstreamRequests,
    errors: run.errors,
  };
}
