/** One answer as a client saw it. */
export interface Answer {
  kind: 'write' | 'read' | 'live' | 'ready';
  status: number;
  ms: number;
  retryAfter: string | null;
  contentType: string | null;
  /** When it was sent, in ms since the traffic began. */
  at: number;
  /** The body of an answer that was neither a 2xx nor a 503, to say what went wrong. */
  body?: string;
}

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Clients that keep writing and reading through a fault: each write posts
 * one event of an id never used before and remembers the ids of every
 * write answered 2xx, so the test can check afterwards that each is stored.
 */
export class Traffic {
  readonly answers: Answer[] = [];
  readonly acknowledged: string[] = [];
  private running = true;
  private readonly loops: Promise<void>[] = [];
  private readonly started = Date.now();
  private next = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly model: string,
    private readonly tag: string,
  ) {}

  start(writers = 4, readers = 2): this {
    for (let i = 0; i < writers; i++) this.loops.push(this.loop(() => this.write()));
    for (let i = 0; i < readers; i++) this.loops.push(this.loop(() => this.read()));
    this.loops.push(this.loop(() => this.probe('live')));
    this.loops.push(this.loop(() => this.probe('ready')));
    return this;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** The answers sent from `from` (ms since start) on. */
  since(from: number): Answer[] {
    return this.answers.filter((answer) => answer.at >= from);
  }

  now(): number {
    return Date.now() - this.started;
  }

  private async loop(step: () => Promise<void>): Promise<void> {
    while (this.running) {
      await step();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async write(): Promise<void> {
    const id = `${this.tag}-${this.next++}`;
    const response = await this.send('write', '/v1/events', {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ events: [{ id, model: this.model }] }),
    });
    if (response && response.status >= 200 && response.status < 300) this.acknowledged.push(id);
  }

  private async read(): Promise<void> {
    await this.send('read', `/v1/models/${this.model}`);
  }

  private async probe(kind: 'live' | 'ready'): Promise<void> {
    await this.send(kind, `/health/${kind}`);
  }

  private async send(kind: Answer['kind'], path: string, init: RequestInit = {}): Promise<Response | null> {
    const at = this.now();
    const begun = Date.now();
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.baseUrl + path, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      text = await response.text();
    } catch {
      // No answer at all (the connection failed or hung past the timeout): status 0.
      this.answers.push({ kind, status: 0, ms: Date.now() - begun, retryAfter: null, contentType: null, at });
      return null;
    }
    this.answers.push({
      kind,
      status: response.status,
      ms: Date.now() - begun,
      retryAfter: response.headers.get('retry-after'),
      contentType: response.headers.get('content-type'),
      at,
      ...(response.status >= 300 && response.status !== 503 ? { body: text.slice(0, 500) } : {}),
    });
    return response;
  }
}

/** Counts by `kind:status`, for the failure message and the figures in docs/operations.md. */
export function tally(answers: readonly Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of answers)
    counts[`${answer.kind}:${answer.status}`] = (counts[`${answer.kind}:${answer.status}`] ?? 0) + 1;
  return counts;
}
