import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { RunError, RunKind, RunStatus } from './sync-run.entity';

export interface RunRow {
  id: string;
  kind: RunKind;
  trigger: string;
  tickKey: string | null;
  status: RunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  heartbeatAt: Date | null;
  modelsDone: number;
  modelsFailed: number;
  modelsSkipped: number;
  upstreamRequests: Record<string, number>;
  errors: RunError[];
}

export interface RunSummary {
  status: Exclude<RunStatus, 'queued' | 'running' | 'interrupted'>;
  modelsDone: number;
  modelsFailed: number;
  modelsSkipped: number;
  upstreamRequests: Record<string, number>;
  errors: RunError[];
}

const COLUMNS = `id, kind, trigger, tick_key, status, started_at, finished_at, heartbeat_at, models_done, models_failed,
  models_skipped, upstream_requests, errors`;

interface RawRun {
  id: string;
  kind: RunKind;
  trigger: string;
  tick_key: string | null;
  status: RunStatus;
  started_at: Date;
  finished_at: Date | null;
  heartbeat_at: Date | null;
  models_done: number;
  models_failed: number;
  models_skipped: number;
  upstream_requests: Record<string, number>;
  errors: RunError[];
}

const toRun = (r: RawRun): RunRow => ({
  id: r.id,
  kind: r.kind,
  trigger: r.trigger,
  tickKey: r.tick_key,
  status: r.status,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  heartbeatAt: r.heartbeat_at,
  modelsDone: r.models_done,
  modelsFailed: r.models_failed,
  modelsSkipped: r.models_skipped,
  upstreamRequests: r.upstream_requests,
  errors: r.errors,
});

/** A run the sweep found with a stale heartbeat. */
export interface InterruptedRun {
  id: string;
  kind: RunKind;
  finishedAt: Date;
}

/** The last sign of life of a running run: its heartbeat, or its claim for rows older than heartbeats. */
const LAST_SEEN = 'coalesce(heartbeat_at, started_at)';

/** The record of every job run, which `GET /v1/sync/runs` shows. */
@Injectable()
export class SyncRunRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A run asked for through the API or CLI, waiting for a worker. */
  async queue(kind: RunKind, trigger: string, at: Date): Promise<RunRow> {
    const rows: RawRun[] = await this.dataSource.query(
      `INSERT INTO sync_runs (kind, trigger, started_at, status) VALUES ($1, $2, $3, 'queued') RETURNING ${COLUMNS}`,
      [kind, trigger, at],
    );
    return toRun(rows[0]);
  }

  /**
   * Claims a run for this process: a queued run by id, or a scheduled tick by
   * its key. Answers null when another process has it or it already ran; a
   * run whose last attempt failed or was interrupted may be claimed again (a
   * retry), and so may one still `running` with no heartbeat since
   * `staleBefore` (its process died and no sweep has marked it yet).
   */
  async claim(
    kind: RunKind,
    trigger: string,
    at: Date,
    ref: { runId?: string; tickKey?: string },
    staleBefore: Date,
  ): Promise<string | null> {
    if (ref.runId !== undefined) {
      // TypeORM answers an UPDATE with [rows, affected count], where an INSERT or SELECT gives the rows.
      const [rows]: [{ id: string }[], number] = await this.dataSource.query(
        `UPDATE sync_runs SET status = 'running', started_at = $2, heartbeat_at = $2, finished_at = NULL
          WHERE id = $1 AND (status IN ('queued', 'failed', 'interrupted') OR (status = 'running' AND ${LAST_SEEN} < $3))
          RETURNING id`,
        [ref.runId, at, staleBefore],
      );
      return rows[0]?.id ?? null;
    }
    const rows: { id: string }[] = await this.dataSource.query(
      `INSERT INTO sync_runs (kind, trigger, tick_key, started_at, heartbeat_at, status)
         VALUES ($1, $2, $3, $4, $4, 'running')
       ON CONFLICT (tick_key) DO UPDATE SET status = 'running', started_at = excluded.started_at,
         heartbeat_at = excluded.started_at, errors = '[]', finished_at = NULL
         WHERE sync_runs.status IN ('failed', 'interrupted')
           OR (sync_runs.status = 'running' AND coalesce(sync_runs.heartbeat_at, sync_runs.started_at) < $5)
       RETURNING id`,
      [kind, trigger, ref.tickKey ?? null, at, staleBefore],
    );
    return rows[0]?.id ?? null;
  }

  /** The running process's sign of life; a no-op once the run is no longer running. */
  async heartbeat(id: string, at: Date): Promise<void> {
    await this.dataSource.query(`UPDATE sync_runs SET heartbeat_at = $2 WHERE id = $1 AND status = 'running'`, [
      id,
      at,
    ]);
  }

  /** Its process stopped it (a signal): `interrupted` at `at`, keeping the progress it had saved. */
  async interrupt(id: string, at: Date, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE sync_runs SET status = 'interrupted', finished_at = $2, heartbeat_at = $2,
         errors = errors || jsonb_build_array(jsonb_build_object('model', NULL, 'source', NULL, 'error', $3::text))
       WHERE id = $1 AND status = 'running'`,
      [id, at, reason],
    );
  }

  /**
   * Marks every run still `running` with no heartbeat since `staleBefore` as
   * `interrupted` (its process died: SIGKILL, a crash, a lost machine),
   * finished at its last heartbeat, the last moment it was known to work.
   */
  async interruptStale(staleBefore: Date, reason: string): Promise<InterruptedRun[]> {
    const [rows]: [{ id: string; kind: RunKind; finished_at: Date }[], number] = await this.dataSource.query(
      `UPDATE sync_runs SET status = 'interrupted', finished_at = ${LAST_SEEN},
         errors = errors || jsonb_build_array(jsonb_build_object('model', NULL, 'source', NULL, 'error', $2::text))
       WHERE status = 'running' AND ${LAST_SEEN} < $1
       RETURNING id, kind, finished_at`,
      [staleBefore, reason],
    );
    return rows.map((r) => ({ id: r.id, kind: r.kind, finishedAt: r.finished_at }));
  }

  async progress(id: string, done: number, failed: number, skipped: number): Promise<void> {
    await this.dataSource.query(
      'UPDATE sync_runs SET models_done = $2, models_failed = $3, models_skipped = $4 WHERE id = $1',
      [id, done, failed, skipped],
    );
  }

  async finish(id: string, at: Date, summary: RunSummary): Promise<void> {
    await this.dataSource.query(
      `UPDATE sync_runs SET status = $2, finished_at = $3, models_done = $4, models_failed = $5, models_skipped = $6,
         upstream_requests = $7, errors = $8 WHERE id = $1`,
      [
        id,
        summary.status,
        at,
        summary.modelsDone,
        summary.modelsFailed,
        summary.modelsSkipped,
        JSON.stringify(summary.upstreamRequests),
        JSON.stringify(summary.errors),
      ],
    );
  }

  async findById(id: string): Promise<RunRow | null> {
    const rows: RawRun[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM sync_runs WHERE id = $1`, [id]);
    return rows[0] ? toRun(rows[0]) : null;
  }

  /** Newest first. */
  async list(limit: number, kind?: RunKind): Promise<RunRow[]> {
    const rows: RawRun[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM sync_runs WHERE ($2::text IS NULL OR kind = $2) ORDER BY started_at DESC, id DESC LIMIT $1`,
      [limit, kind ?? null],
    );
    return rows.map(toRun);
  }
}
