/** The bench's database: DATABASE_URL when set, else an embedded PostgreSQL of its own, never the dev one. */
export const BENCH_DATA_DIR = '.modelpulse-bench';

export function benchDatabaseEnv(): void {
  if (!process.env.DATABASE_URL) process.env.MODELPULSE_DATA_DIR ??= BENCH_DATA_DIR;
  process.env.LOG_LEVEL ??= 'error';
}
