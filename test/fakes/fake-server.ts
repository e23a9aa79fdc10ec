import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as it is. */
  body?: unknown;
}

/** Misbehaviour scripted for the next requests. */
export type Fault =
  /** Any answer: a 429 with Retry-After, a 500, a 403 of a spent quota. */
  | { kind: 'reply'; reply: Reply }
  /** The ordinary answer, `delayMs` late (past the client's timeout). */
  | { kind: 'slow'; delayMs: number }
  /** A 200 whose JSON body is cut short. */
  | { kind: 'malformed' };

/**
 * A real `node:http` server on a free port of 127.0.0.1 that records every
 * request and answers through `route`, unless a scripted fault comes first.
 * The clock is the test's, so answers that depend on time (counters, quota
 * resets) follow the test's fake time rather than the wall clock.
 */
export abstract class FakeServer {
  readonly requests: RecordedRequest[] = [];
  url = '';
  private server: Server | null = null;
  private faults: { fault: Fault; pathPrefix: string | null }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  protected constructor(protected readonly now: () => Date) {}

  protected abstract route(request: RecordedRequest): Reply;

  async listen(): Promise<this> {
    const server = createServer((req, res) => {
      const parsed = new URL(req.url ?? '/', 'http://fake.test');
      const request: RecordedRequest = {
        method: req.method ?? 'GET',
        path: decodeURIComponent(parsed.pathname),
        query: parsed.searchParams,
        headers: req.headers,
      };
      this.requests.push(request);
      const index = this.faults.findIndex((f) => f.pathPrefix === null || request.path.startsWith(f.pathPrefix));
      const fault = index === -1 ? null : this.faults.splice(index, 1)[0].fault;
      if (fault?.kind === 'reply') return this.send(res, fault.reply);
      if (fault?.kind === 'malformed') {
        return this.send(res, {
          status: 200,
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: '{"_id":"621ffdc0","id":"x/y","downloads":12',
        });
      }
      const reply = this.route(request);
      if (fault?.kind === 'slow') {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (!res.destroyed) this.send(res, reply);
        }, fault.delayMs);
        this.timers.add(timer);
        return;
      }
      this.send(res, reply);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next `times` requests (only those under `pathPrefix`, when given) get `fault`. */
  failNext(times: number, fault: Fault, pathPrefix: string | null = null): void {
    for (let i = 0; i < times; i += 1) this.faults.push({ fault, pathPrefix });
  }

  /** Drops the faults not used up yet. */
  clearFaults(): void {
    this.faults = [];
  }

  /** Requests whose path starts with `prefix`. */
  requestsTo(prefix: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith(prefix));
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private send(res: ServerResponse, reply: Reply): void {
    const headers = { ...(reply.headers ?? {}) };
    let body = '';
    if (typeof reply.body === 'string') body = reply.body;
    else if (reply.body !== undefined) {
      body = JSON.stringify(reply.body);
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
    res.writeHead(reply.status, headers);
    res.end(body);
  }
}
