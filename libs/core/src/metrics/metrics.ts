import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

/** What pg's Pool tells of itself; TypeORM keeps the pool as its Postgres driver's `master`. */
interface PoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options: { max?: number };
}

/** Job run durations run from seconds (the roll-up) to the better part of an hour (a paced stats sync). */
const JOB_SECONDS_BUCKETS = [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];

/** How a run ended in this process; `interrupted` when the process was told to stop. */
export type JobOutcome = 'succeeded' | 'partial' | 'failed' | 'interrupted';

/**
 * The Prometheus series of one process, in a registry of its own (not
 * prom-client's global one), so two applications in one process (tests)
 * keep their figures apart. The default Node process series and the
 * database pool are here; each part of the application adds its own
 * through `counter`, `histogram` and `gauge`.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private readonly jobRuns: Histogram<'kind' | 'outcome'>;

  constructor(@Optional() @InjectDataSource() dataSource?: DataSource) {
    // Unprefixed, as the usual Node.js dashboards expect them.
    collectDefaultMetrics({ register: this.registry });
    if (dataSource) this.poolGauges(dataSource);
    this.jobRuns = this.histogram({
      name: 'modelpulse_job_run_duration_seconds',
      help: 'Job runs this process worked, by kind and how they ended, and how long they took',
      labelNames: ['kind', 'outcome'],
      buckets: JOB_SECONDS_BUCKETS,
    });
  }

  /** The content type of `render()`: Prometheus text format 0.0.4. */
  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  jobRun(kind: string, outcome: JobOutcome, seconds: number): void {
    this.jobRuns.observe({ kind, outcome }, seconds);
  }

  counter<L extends string>(config: {
    name: string;
    help: string;
    labelNames: readonly L[];
    collect?: (this: Counter<L>) => void;
  }): Counter<L> {
    return new Counter({ ...config, registers: [this.registry] });
  }

  histogram<L extends string>(config: {
    name: string;
    help: string;
    labelNames: readonly L[];
    buckets: number[];
    collect?: (this: Histogram<L>) => void;
  }): Histogram<L> {
    return new Histogram({ ...config, registers: [this.registry] });
  }

  /** A series whose value is read at scrape time. */
  gauge(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  private poolGauges(dataSource: DataSource): void {
    const pool = () =>
      dataSource.isInitialized ? (dataSource.driver as unknown as { master?: PoolStats }).master : undefined;
    this.gauge(
      'modelpulse_db_pool_in_use_connections',
      'Connections of the database pool checked out by work in progress',
      () => {
        const p = pool();
        return p ? p.totalCount - p.idleCount : 0;
      },
    );
    this.gauge(
      'modelpulse_db_pool_idle_connections',
      'Open connections of the pool waiting for work',
      () => pool()?.idleCount ?? 0,
    );
    this.gauge(
      'modelpulse_db_pool_waiting_requests',
      'Checkouts waiting for a connection to come free (the pool is exhausted while this is above 0)',
      () => pool()?.waitingCount ?? 0,
    );
    this.gauge(
      'modelpulse_db_pool_max_connections',
      'The most connections the pool opens',
      () => pool()?.options.max ?? 0,
    );
  }
}
