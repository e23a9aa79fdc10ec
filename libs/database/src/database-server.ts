import { Logger } from '@nestjs/common';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './embedded-postgres';

/**
 * The PostgreSQL the process talks to: DATABASE_URL when set, otherwise the
 * embedded server kept in MODELPULSE_DATA_DIR. Stopped by the entry point
 * after the application has closed.
 */
export class DatabaseServer {
  private constructor(
    readonly url: string,
    readonly embedded: boolean,
    private readonly handle: EmbeddedPostgresHandle | null,
  ) {}

  static async open(settings: { url: string | null; dataDir: string }): Promise<DatabaseServer> {
    if (settings.url) return new DatabaseServer(settings.url, false, null);
    const logger = new Logger('EmbeddedPostgres');
    const handle = await startEmbeddedPostgres({ dataDir: settings.dataDir, log: (message) => logger.log(message) });
    return new DatabaseServer(handle.url, true, handle);
  }

  async stop(): Promise<void> {
    await this.handle?.stop();
  }
}
