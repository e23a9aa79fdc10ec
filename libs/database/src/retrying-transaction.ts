import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';

/**
 * The SQLSTATEs of a transaction PostgreSQL aborted to let another go on
 * (`deadlock_detected`, `serialization_failure`): it was rolled back whole,
 * so running it again from the start is safe and likely to succeed.
 */
export const RETRYABLE_SQLSTATES: ReadonlySet<string> = new Set(['40P01', '40001']);
/** How many times an aborted transaction is run again before its error is thrown. */
export const TRANSACTION_RETRIES = 3;
/** The first wait before running again; each later one doubles, all jittered by ±50%. */
export const TRANSACTION_BACKOFF_MS = 20;

const logger = new Logger('Transactions');

/** Whether an error is PostgreSQL aborting the transaction for a deadlock or a serialization failure. */
export function isRetryableTransactionError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  // TypeORM's QueryFailedError keeps pg's error as driverError.
  const { driverError, code } = error as { driverError?: { code?: unknown }; code?: unknown };
  const sqlState = driverError?.code ?? code;
  return typeof sqlState === 'string' && RETRYABLE_SQLSTATES.has(sqlState);
}

/**
 * Runs `fn` in a transaction of `txHost` and, when PostgreSQL aborts it for a
 * deadlock or a serialization failure, runs the whole transaction again, up to
 * `retries` more times after a short jittered wait. Only an outermost
 * transaction is retried: inside an active one `fn` joins it and an abort
 * goes up to whoever opened it. `fn` must start from nothing each time
 * (change-feed messages of an aborted attempt are dropped with its rollback).
 */
export async function retryingTransaction<T>(
  txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  fn: () => Promise<T>,
  { retries = TRANSACTION_RETRIES, backoffMs = TRANSACTION_BACKOFF_MS } = {},
): Promise<T> {
  if (txHost.isTransactionActive()) return txHost.withTransaction(fn);
  for (let attempt = 0; ; attempt++) {
    try {
      return await txHost.withTransaction(fn);
    } catch (error) {
      if (attempt >= retries || !isRetryableTransactionError(error)) throw error;
      const waitMs = Math.round(backoffMs * 2 ** attempt * (0.5 + Math.random()));
      logger.warn(`transaction aborted (${(error as Error).message}); running it again in ${waitMs} ms`);
      await sleep(waitMs);
    }
  }
}
