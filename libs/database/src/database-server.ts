import { Logger } from '@nestjs/common';
import { redactUrlPasswords } from '@modelpulse/config';
import { probeDatabase } from './database-probe';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './embedded-postgres';
import { startupStep } from './startup-steps';

/**
 * The PostgreSQL the process talks to: DATABASE_URL when set, otherwise the
 * embedded server kept in MODELPULSE_DATA_DIR. Stopped by the entry point
 * after the application has closed.
 */
export class DatabaseServer {
  /** Opened by this process and not stopped yet. */
  private static readonly running = new Set<DatabaseServer>();

  private constructor(
    readonly url: string,
    readonly embedded: boolean,
    private readonly handle: EmbeddedPostgresHandle | null,
  ) {}

  static async open(settings: { url: string | null; dataDir: string }): Promise<DatabaseServer> {
    if (settings.url) {
      startupStep(`connecting to PostgreSQL at DATABASE_URL=${redactUrlPasswords(settings.url)}`);
      await probeDatabase(settings.url);
      return new DatabaseServer(settings.url, false, null);
    }
    startupStep(`starting PostgreSQL (embedded, its files in ${settings.dataDir})`);
    const logger = new Logger('EmbeddedPostgres');
    const handle = await startEmbeddedPostgres({ dataDir: settings.dataDir, log: (message) => logger.log(message) });
    const server = new DatabaseServer(handle.url, true, handle);
    DatabaseServer.running.add(server);
    return server;
  }

  async stop(): Promise<void> {
    DatabaseServer.running.delete(this);
    await this.handle?.stop();
  }

  /**
   * Stops every server this process opened and has not stopped: after a
   * start that failed half-way (Nest never built the app that would have
   * stopped it), so no embedded PostgreSQL outlives the process.
   */
  static async stopAll(): Promise<void> {
    await Promise.all([...DatabaseServer.running].map((server) => server.stop().catch(() => undefined)));
  }
}
