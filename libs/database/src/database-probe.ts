import { setTimeout as delay } from 'node:timers/promises';
import { Client } from 'pg';
import { redactUrlPasswords } from '@modelpulse/config';

/** A start-up failure a person fixes from its one line (a setting to change): printed without a stack. */
export class StartupError extends Error {}

/** Network states that may pass (a server still starting, a name not yet resolvable): worth another attempt. */
const TRANSIENT = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P03',
]);

export interface ProbeOptions {
  /** Attempts in all, the first included. */
  attempts: number;
  /** The pause after the first failed attempt; doubled after each. */
  firstDelayMs: number;
  /** How long one attempt may wait for the server. */
  connectTimeoutMs: number;
}

/** Five attempts over about 7.5 s, then one line naming DATABASE_URL. */
export const DATABASE_PROBE: ProbeOptions = { attempts: 5, firstDelayMs: 500, connectTimeoutMs: 5000 };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Connects to `url` once and lets go, before Nest and TypeORM try (TypeORM's
 * own retries print a stack trace per attempt for half a minute). Retries
 * network failures a bounded number of times; a refusal (a wrong password,
 * a database that does not exist) fails at once. The error names
 * DATABASE_URL with its password masked.
 */
export async function probeDatabase(url: string, options: ProbeOptions = DATABASE_PROBE): Promise<void> {
  const shown = `DATABASE_URL=${redactUrlPasswords(url)}`;
  let pause = options.firstDelayMs;
  for (let attempt = 1; ; attempt++) {
    const client = new Client({
      connectionString: url,
      connectionTimeoutMillis: options.connectTimeoutMs,
      application_name: 'modelpulse-probe',
    });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      const code = (error as { code?: string }).code;
      const transient = code === undefined ? /timeout/i.test(messageOf(error)) : TRANSIENT.has(code);
      if (!transient) {
        throw new StartupError(
          redactUrlPasswords(`the database at ${shown} refused the connection: ${messageOf(error)}`),
        );
      }
      if (attempt >= options.attempts) {
        throw new StartupError(
          redactUrlPasswords(
            `cannot reach the database at ${shown}: ${messageOf(error)} (${attempt} attempts); ` +
              'check DATABASE_URL, or unset it to use the embedded PostgreSQL',
          ),
        );
      }
      await delay(pause);
      pause *= 2;
    }
  }
}
