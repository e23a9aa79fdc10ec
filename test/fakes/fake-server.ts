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
  /** A 200 whose JSON body is cut short: a fixed one, or the ordinary answer cut to `keep` (0 to 1) of its bytes. */
  | { kind: 'malformed'; keep?: number }
  /** The ordinary answer's status and headers, its full length announced, then the connection dropped after `keep` (0 to 1) of the body. */
  | { kind: 'cut'; keep: number };

/** Chooses a fault for a request that no scripted fault took (null: answer it as usual), for random misbehaviour. */
export type Chaos = (request: RecordedRequest) => Fault | null;

/** A request, the fault it met, and what was sent back: null until an answer reached a socket still open. */
export interface Exchange {
  request: RecordedRequest;
  /** The fake's clock when the request came. */
  at: Date;
  fault: Fault['kind'] | null;
  answer: { status: number; headers: Record<string, string>; body: string } | null;
}

/**
 * A real `node:http` server on a free port of 127.0.0.1 that records every
 * request and answers through `route`, unless a scripted fault comes first.
 * The clock is the test's, so answers that depend on time (counters, quota
 * resets) follow the test's fake time rather than the wall clock.
 */
export abstract class FakeServer {
  readonly requests: RecordedRequest[] = [];
  /** Every request with its fault and its answer, in the order they came. */
  readonly exchanges: Exchange[] = [];
  url = '';
  private server: Server | null = null;
  private faults: { fault: Fault; pathPrefix: string | null }[] = [];
  private chaos: Chaos | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Added to every answer, as the network and the upstream's own work would. */
  private latencyMs = 0;

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
      const fault = index === -1 ? (this.chaos?.(request) ?? null) : this.faults.splice(index, 1)[0].fault;
      const exchange: Exchange = { request, at: this.now(), fault: fault?.kind ?? null, answer: null };
      this.exchanges.push(exchange);
      if (fault?.kind === 'reply') return this.send(res, fault.reply, exchange);
      if (fault?.kind === 'malformed' && fault.keep === undefined) {
        return this.send(
          res,
          {
            status: 200,
            headers: { 'content-type': 'application/json; charset=utf-8' },
            body: '{"_id":"621ffdc0","id":"x/y","downloads":12',
          },
          exchange,
        );
      }
      const reply = this.route(request);
      if (fault?.kind === 'slow') {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (!res.destroyed) this.send(res, reply, exchange);
        }, fault.delayMs);
        this.timers.add(timer);
        return;
      }
      if (fault?.kind === 'malformed' || fault?.kind === 'cut') return this.send(res, reply, exchange, fault);
      this.send(res, reply, exchange);
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

  /** From now on, every request no scripted fault takes asks `chaos` for one; null stops it. */
  setChaos(chaos: Chaos | null): void {
    this.chaos = chaos;
  }

  /** From now on every answer leaves `ms` after its request came (0: at once). */
  setLatency(ms: number): void {
    this.latencyMs = ms;
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
    this.exchanges.length = 0;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Sends `reply`, or a part of its body when `cut` says so (a complete message, or a connection dropped mid-body). */
  private send(
    res: ServerResponse,
    reply: Reply,
    exchange: Exchange,
    cut?: { kind: 'malformed' | 'cut'; keep?: number },
  ): void {
    if (this.latencyMs > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!res.destroyed) this.sendNow(res, reply, exchange, cut);
      }, this.latencyMs);
      this.timers.add(timer);
      return;
    }
    this.sendNow(res, reply, exchange, cut);
  }

  private sendNow(
    res: ServerResponse,
    reply: Reply,
    exchange: Exchange,
    cut?: { kind: 'malformed' | 'cut'; keep?: number },
  ): void {
    const headers = { ...(reply.headers ?? {}) };
    let body = '';
    if (typeof reply.body === 'string') body = reply.body;
    else if (reply.body !== undefined) {
      body = JSON.stringify(reply.body);
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
    const sent = cut ? body.slice(0, Math.floor(body.length * (cut.keep ?? 1))) : body;
    exchange.answer = { status: reply.status, headers, body: sent };
    if (cut?.kind === 'cut') {
      res.writeHead(reply.status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
      res.write(sent, () => res.destroy());
      return;
    }
    res.writeHead(reply.status, headers);
    res.end(sent);
  }
}
