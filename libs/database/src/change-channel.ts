import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Client } from 'pg';
import type { DataSource, EntitySubscriberInterface, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';

/** The PostgreSQL channel every modelpulse process of one database listens on. */
export const CHANGE_CHANNEL = 'modelpulse_changes';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
export const MAX_CHANGE_BYTES = 7900;
const RECONNECT_MS = 1000;
const PENDING = 'modelpulseChanges';

/** `local`: published by this process, handed over once its transaction committed (and awaited by it). */
type Handler = (message: unknown, local: boolean) => void | Promise<void>;

/**
 * Messages published in a transaction reach every process after it commits
 * and never when it rolls back. In this process they are handed over by a
 * TypeORM transaction subscriber once COMMIT has returned and the connection
 * is back in the pool, and the write returns only after its handlers have
 * run (outside the transaction); other
 * processes hear them through PostgreSQL's transactional NOTIFY on a LISTEN
 * connection of their own. Each process skips its own notifications, which
 * it has already delivered.
 */
@Injectable()
export class ChangeChannel implements EntitySubscriberInterface, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ChangeChannel');
  private readonly origin = randomUUID();
  private readonly handlers = new Set<Handler>();
  private listener: Client | null = null;
  private listening: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.dataSource.subscribers.push(this);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    const index = this.dataSource.subscribers.indexOf(this);
    if (index >= 0) this.dataSource.subscribers.splice(index, 1);
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
   * Hands every message, this process's and other processes', to `handler`.
   * Resolves once this process listens, so nothing committed after it is missed.
   */
  subscribe(handler: Handler): Promise<void> {
    this.handlers.add(handler);
    this.listening ??= this.listen();
    return this.listening;
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    // A released savepoint is not a commit: wait for the outermost one.
    const runner = event.queryRunner;
    if (runner.isTransactionActive) return;
    const pending = runner.data[PENDING] as object[] | undefined;
    delete runner.data[PENDING];
    if (!pending) return;
    // Handlers open transactions of their own: delivering while this one still holds its connection
    // lets a pool's worth of concurrent writes wait for connections only they hold. TypeORM releases
    // the runner of every transaction it opened (and awaits it) before the write returns.
    const release = runner.release.bind(runner);
    runner.release = async () => {
      runner.release = release;
      await release();
      await this.deliverLocally(pending);
    };
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) delete event.queryRunner.data[PENDING];
  }

  /**
   * This process's own messages, in order, each to every handler, awaited.
   * The handlers run outside the committed transaction, which the
   * continuation-local store still names until the write returns.
   */
  private deliverLocally(messages: object[]): Promise<void> {
    return this.txHost.withoutTransaction(async () => {
      for (const message of messages) await this.deliver(message, true);
    });
  }

  private async deliver(message: unknown, local: boolean): Promise<void> {
    for (const handler of this.handlers) {
      try {
        await handler(message, local);
      } catch (error) {
        this.logger.error(`a change handler failed: ${error instanceof Error ? error.message : String(error)}`);
      }
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
    this.listener = client;
  }
}
