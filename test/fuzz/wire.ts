import { Agent, request } from 'node:http';
import type { WireRequest } from './cases';

export interface Answer {
  status: number;
  contentType: string;
  body: Buffer;
  elapsedMs: number;
}

export type Outcome = Answer | { error: string; elapsedMs: number };

/** How long a case may go unanswered before it counts as a hang (the bar itself is 2 s). */
const GIVE_UP_MS = 15_000;

/**
 * One request over a real socket to the app listening in this process, with
 * the bytes exactly as given: no client-side encoding, no retries. A server
 * that answers early (413) and closes mid-upload still counts as answered.
 */
export function send(agent: Agent, port: number, wire: WireRequest): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    let answered: Answer | null = null;
    const chunks: Buffer[] = [];
    const headers = { ...wire.headers, ...(wire.body ? { 'content-length': String(wire.body.length) } : {}) };
    const req = request(
      { host: '127.0.0.1', port, method: wire.method, path: wire.url, headers, agent, timeout: GIVE_UP_MS },
      (res) => {
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          answered = {
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks),
            elapsedMs: performance.now() - started,
          };
          resolve(answered);
        });
        res.on('error', (error) => resolve({ error: error.message, elapsedMs: performance.now() - started }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in ${GIVE_UP_MS} ms`)));
    req.on('error', (error) => {
      if (!answered) resolve({ error: error.message, elapsedMs: performance.now() - started });
    });
    if (wire.body) req.end(wire.body);
    else req.end();
  });
}
