import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Client } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import { isDatabaseUnavailable, withoutDeadlines } from './deadlines';

/** The PostgreSQL channel every modelpulse process of one database listens on. */
export const CHANGE_CHANNEL = 'modelpulse_changes';
/** Waits before each new try of a handler that could not reach the database: about five minutes in all. */
const REDELIVERY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 60_000, 60_000, 60_000];
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
export const MAX_CHANGE_BYTES = 7900;
const RECONNECT_MS = 1000;
const PENDING = 'modelpulseChanges';

/** `local`: published by this process, handed over once its transaction committed (and awaited by it). */
type Handler = (message: unknown, local: boolean) => void | Promise<void>;

/** The channel of each data source, for the transaction adapter that hands over committed messages. */
const CHANNELS = new WeakMap<DataSource, ChangeChannel>();

/**
 * Hands this process's messages of a committed transaction to the channel
 * of its data source. Called by the transaction adapter once the
 * transaction has committed and its connection is back in the pool, so
 * handlers that read the database never wait for a connection held by the
 * write they follow.
 */
export async function deliverCommitted(dataSource: DataSource, runner: QueryRunner | undefined): Promise<void> {
  const pending = runner?.data[PENDING] as object[] | undefined;
  if (!runner || !pending) return;
  delete runner.data[PENDING];
  await CHANNELS.get(dataSource)?.deliverLocally(pending);
}

/**
 * Messages published in a transaction reach every process after it commits
 * and never when it rolls back. In this process the transaction adapter
 * (transaction.module.ts) hands them over once the transaction has committed
 * and released its connection, and the write returns only after its
 * handlers have run (outside the transaction); other
 * processes hear them through PostgreSQL's transactional NOTIFY on a LISTEN
 * connection of their own. Each process skips its own notifications, which
 * it has already delivered.
 */
@Injectable()
export class ChangeChannel implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ChangeChannel');
  private readonly origin = randomUUID();
  private readonly handlers = new Set<Handler>();
  private listener: Client | null = null;
  /** Counts the LISTEN connections opened: what was heard on one may have missed what was said between two. */
  private listenerEpoch = 0;
  private listening: Promise<void> | null = null;
  private closed = false;
  private readonly redeliveries = new Set<NodeJS.Timeout>();

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    CHANNELS.set(this.dataSource, this);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    for (const timer of this.redeliveries) clearTimeout(timer);
    if (CHANNELS.get(this.dataSource) === this) CHANNELS.delete(this.dataSource);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
  }

  /**
   * Publishes a message with the current transaction (or at once, outside
   * one). The message must serialise to less than MAX_CHANGE_BYTES.
   */
  async publish(message: object): Promise<void> {
    const payload = JSON.stringify({ origin: this.origin, message });
    if (Buffer.byteLength(payload) >= MAX_CHANGE_BYTES) {
      throw new Error(
        `a change message of ${Buffer.byteLength(payload)} bytes is over the ${MAX_CHANGE_BYTES} NOTIFY allows`,
      );
    }
    const manager = this.txHost.tx;
    await manager.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, payload]);
    const runner = manager.queryRunner;
    if (runner?.isTransactionActive) {
      const pending = (runner.data[PENDING] ??= []) as object[];
      pending.push(message);
    } else {
      await this.deliverLocally([message]);
    }
  }

  /**
   * Which LISTEN connection this process hears other processes on, or null
   * while it has none. Whatever is derived from messages (a response cache)
   * holds only while this stays the same: a connection that dropped may
   * have missed notifications.
   */
  get epoch(): number | null {
    return this.listener ? this.listenerEpoch : null;
  }

  /**
   * Hands every message, this process's and other processes', to `handler`.
   * Resolves once this process listens, so nothing committed after it is missed.
   */
  subscribe(handler: Handler): Promise<void> {
    this.handlers.add(handler);
    this.listening ??= this.listen();
    return this.listening;
  }

  /**
   * This process's own messages, in order, each to every handler, awaited.
   * The handlers run outside the committed transaction, which the
   * continuation-local store still names until the write returns.
   */
  deliverLocally(messages: object[]): Promise<void> {
    return this.txHost.withoutTransaction(async () => {
      for (const message of messages) await this.deliver(message, true);
    });
  }

  private async deliver(message: unknown, local: boolean): Promise<void> {
    for (const handler of this.handlers) await this.handle(handler, message, local, 0);
  }

  /**
   * A handler that could not reach the database (an outage after the write
   * committed, or past the deadlines of the request that wrote) is tried
   * again later, so what it derives (stale marks) is not lost and the write
   * still answers at once; any other failure is logged and given up.
   */
  private async handle(handler: Handler, message: unknown, local: boolean, attempt: number): Promise<void> {
    try {
      await handler(message, local);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (!isDatabaseUnavailable(error) || attempt >= REDELIVERY_DELAYS_MS.length || this.closed) {
        this.logger.error(`a change handler failed: ${reason}`);
        return;
      }
      if (attempt === 0) this.logger.warn(`a change handler could not reach the database (${reason}); trying again`);
      const timer = setTimeout(() => {
        this.redeliveries.delete(timer);
        // In the background now: no request waits for it, so no request's deadlines bound it.
        void withoutDeadlines(() => this.handle(handler, message, local, attempt + 1));
      }, REDELIVERY_DELAYS_MS[attempt]);
      timer.unref();
      this.redeliveries.add(timer);
    }
  }

  /** Opens the LISTEN connection; when it drops, opens another until the application closes. */
  private async listen(): Promise<void> {
    const { url } = this.dataSource.options as { url?: string };
    const client = new Client({ connectionString: url, application_name: 'modelpulse-listen' });
    client.on('notification', (notification) => {
      if (notification.channel !== CHANGE_CHANNEL || !notification.payload) return;
      const { origin, message } = JSON.parse(notification.payload) as { origin: string; message: unknown };
      if (origin !== this.origin) void this.deliver(message, false);
    });
    let lost = false;
    const reconnect = (error?: Error) => {
      if (lost || this.closed) return;
      lost = true;
      this.listener = null;
      this.logger.warn(`the change listener lost its connection${error ? ` (${error.message})` : ''}; reconnecting`);
      client.end().catch(() => undefined);
      const again = () => {
        if (this.closed) return;
        this.listen().catch(() => setTimeout(again, RECONNECT_MS).unref());
      };
      setTimeout(again, RECONNECT_MS).unref();
    };
    client.on('error', reconnect);
    client.on('end', () => reconnect());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (error) {
      lost = true;
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end();
      return;
    }
    this.listenerEpoch += 1;
    this.listener = client;
  }
}
