import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { RunError, RunKind, RunStatus } from './sync-run.entity';
import { JOB_EXPIRE_HOURS } from './job-queue';

export interface RunRow {
  id: string;
  kind: RunKind;
  trigger: string;
  tickKey: string | null;
  status: RunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  modelsDone: number;
  modelsFailed: number;
  modelsSkipped: number;
  upstreamRequests: Record<string, number>;
  errors: RunError[];
}

export interface RunSummary {
  status: Exclude<RunStatus, 'queued' | 'running'>;
  modelsDone: number;
  modelsFailed: number;
  modelsSkipped: number;
  upstreamRequests: Record<string, number>;
  errors: RunError[];
}

const COLUMNS = `id, kind, trigger, tick_key, status, started_at, finished_at, models_done, models_failed,
  models_skipped, upstream_requests, errors`;

interface RawRun {
  id: string;
  kind: RunKind;
  trigger: string;
  tick_key: string | null;
  status: RunStatus;
  started_at: Date;
  finished_at: Date | null;
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
  modelsDone: r.models_done,
  modelsFailed: r.models_failed,
  modelsSkipped: r.models_skipped,
  upstreamRequests: r.upstream_requests,
  errors: r.errors,
});

/** A run still `running` after a job's lifetime in the queue was abandoned by a worker that died. */
export const ABANDONED_AFTER_MS = JOB_EXPIRE_HOURS * 3_600_000;
const abandonedBefore = (at: Date) => new Date(at.getTime() - ABANDONED_AFTER_MS);

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
   * run whose last attempt failed may be claimed again (a retry), and so may
   * one left `running` longer than a job may live (its worker died).
   */
  async claim(
    kind: RunKind,
    trigger: string,
    at: Date,
    ref: { runId?: string; tickKey?: string },
  ): Promise<string | null> {
    if (ref.runId !== undefined) {
      // TypeORM answers an UPDATE with [rows, affected count], where an INSERT or SELECT gives the rows.
      const [rows]: [{ id: string }[], number] = await this.dataSource.query(
        `UPDATE sync_runs SET status = 'running', started_at = $2
          WHERE id = $1 AND (status IN ('queued', 'failed') OR (status = 'running' AND started_at < $3))
          RETURNING id`,
        [ref.runId, at, abandonedBefore(at)],
      );
      return rows[0]?.id ?? null;
    }
    const rows: { id: string }[] = await this.dataSource.query(
      `INSERT INTO sync_runs (kind, trigger, tick_key, started_at, status) VALUES ($1, $2, $3, $4, 'running')
       ON CONFLICT (tick_key) DO UPDATE SET status = 'running', started_at = excluded.started_at,
         errors = '[]', finished_at = NULL
         WHERE sync_runs.status = 'failed' OR (sync_runs.status = 'running' AND sync_runs.started_at < $5)
       RETURNING id`,
      [kind, trigger, ref.tickKey ?? null, at, abandonedBefore(at)],
    );
    return rows[0]?.id ?? null;
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
