import { FakeServer, type RecordedRequest, type Reply } from './fake-server';

export interface HubCounters {
  /** The hub's rolling 30-day count. */
  downloads?: number;
  downloadsAllTime?: number;
  likes?: number;
  trendingScore?: number;
}

export interface FakeHubModelInput extends HubCounters {
  id: string;
  tags?: string[];
  cardData?: Record<string, unknown>;
  safetensorsTotal?: number;
  pipelineTag?: string;
  createdAt?: string;
  gated?: false | 'auto' | 'manual';
  /** Counters per answer: `call` counts the answers that carried this model, from 1. */
  counters?: (context: { call: number; now: Date }) => HubCounters;
}

interface FakeHubModel extends FakeHubModelInput {
  objectId: string;
  calls: number;
}

const NOT_FOUND = 'Repository not found';

/** A fixed-window request limit: `requests` answered per window of `windowSeconds`, windows aligned on the clock. */
export interface FakeRateLimit {
  requests: number;
  windowSeconds: number;
  /** Whether answers within the quota carry `RateLimit` headers, as the hub's do (default true). */
  announce?: boolean;
}
/** The most the fake hands out per page when no limit is asked for. */
const MAX_PAGE = 1000;

/**
 * The Hugging Face hub's model API with the real shapes: `GET /api/models/{id}`
 * with `expand[]`, the list `GET /api/models?author&sort&direction&limit&expand[]`
 * with a `Link` cursor, a 307 with a relative Location and a text/plain body
 * for a renamed model, 401 "Repository not found" to anonymous callers and
 * 404 to authenticated ones for a missing model. Optionally (`setRateLimit`)
 * a fixed-window limit as the hub's: `RateLimit`/`RateLimit-Policy` headers on
 * every answer, and beyond the window's quota a 429 with `Retry-After` (whole
 * seconds to the window's end) that does not use up quota.
 */
export class FakeHuggingFace extends FakeServer {
  private readonly models = new Map<string, FakeHubModel>();
  private readonly renames = new Map<string, string>();
  private objectIds = 0;
  private limit: FakeRateLimit | null = null;
  private window = { start: 0, used: 0 };
  /** Requests answered 429 by the window limit. */
  refusedByLimit = 0;

  static start(now: () => Date = () => new Date()): Promise<FakeHuggingFace> {
    return new FakeHuggingFace(now).listen();
  }

  addModel(input: FakeHubModelInput): void {
    // As on the hub: a new repository under a renamed one's old id ends the redirect.
    this.renames.delete(input.id.toLowerCase());
    this.objectIds += 1;
    this.models.set(input.id.toLowerCase(), {
      gated: false,
      tags: [],
      ...input,
      objectId: `65a1f0c${String(this.objectIds).padStart(17, '0')}`,
      calls: 0,
    });
  }

  setCounters(id: string, counters: HubCounters): void {
    Object.assign(this.model(id), counters, { counters: undefined });
  }

  /** Counters computed per answer (per call or per clock time). */
  setCountersFn(id: string, counters: FakeHubModelInput['counters']): void {
    this.model(id).counters = counters;
  }

  rename(from: string, to: string): void {
    const model = this.model(from);
    this.models.delete(from.toLowerCase());
    model.id = to;
    this.models.set(to.toLowerCase(), model);
    this.renames.set(from.toLowerCase(), to);
  }

  remove(id: string): void {
    this.models.delete(id.toLowerCase());
  }

  /** From now on at most `limit.requests` answers per fixed window of `limit.windowSeconds`; null lifts it. */
  setRateLimit(limit: FakeRateLimit | null): void {
    this.limit = limit;
    this.window = { start: 0, used: 0 };
  }

  /** The models of the top list by 30-day downloads, in its order (what `sort=downloads&direction=-1` pages through). */
  topList(): string[] {
    return this.sortedModels(null, 'downloads', -1).map((m) => m.id);
  }

  protected route(request: RecordedRequest): Reply {
    if (this.limit === null) return this.answer(request);
    const windowMs = this.limit.windowSeconds * 1000;
    const nowMs = this.now().getTime();
    const start = Math.floor(nowMs / windowMs) * windowMs;
    if (start !== this.window.start) this.window = { start, used: 0 };
    const resetSeconds = Math.max(1, Math.ceil((start + windowMs - nowMs) / 1000));
    const policy = `"fixed window";"api";q=${this.limit.requests};w=${this.limit.windowSeconds}`;
    if (this.window.used >= this.limit.requests) {
      this.refusedByLimit += 1;
      return {
        status: 429,
        headers: {
          'retry-after': String(resetSeconds),
          ratelimit: `"api";r=0;t=${resetSeconds}`,
          'ratelimit-policy': policy,
        },
        body: { error: 'You have exceeded our rate limit. Retry later.' },
      };
    }
    this.window.used += 1;
    const reply = this.answer(request);
    const remaining = this.limit.requests - this.window.used;
    if (this.limit.announce === false) return reply;
    return {
      ...reply,
      headers: { ...reply.headers, ratelimit: `"api";r=${remaining};t=${resetSeconds}`, 'ratelimit-policy': policy },
    };
  }

  private answer(request: RecordedRequest): Reply {
    if (request.method !== 'GET') return { status: 405, body: { error: 'Method not allowed' } };
    if (request.path === '/api/models') return this.list(request);
    const match = /^\/api\/models\/(.+)$/.exec(request.path);
    if (!match) return { status: 404, body: { error: 'Not found' } };
    const id = match[1].toLowerCase();
    const model = this.models.get(id);
    if (model) return { status: 200, body: this.render(model, request.query.getAll('expand[]'), true) };
    const renamed = this.renames.get(id);
    if (renamed) {
      return {
        status: 307,
        headers: { location: `/api/models/${renamed}`, 'content-type': 'text/plain; charset=utf-8' },
        body: `Temporary Redirect. Redirecting to /api/models/${renamed}`,
      };
    }
    const authenticated = /^Bearer \S+/.test(request.headers.authorization ?? '');
    return {
      status: authenticated ? 404 : 401,
      headers: { 'x-error-code': 'RepoNotFound', 'x-error-message': NOT_FOUND },
      body: { error: NOT_FOUND },
    };
  }

  private list(request: RecordedRequest): Reply {
    const { query } = request;
    const author = query.get('author');
    const sort = query.get('sort') ?? 'createdAt';
    const direction = query.get('direction') === '1' ? 1 : -1;
    const limit = Math.min(Number(query.get('limit') ?? MAX_PAGE), MAX_PAGE);
    const offset = query.get('cursor') ? Number(Buffer.from(query.get('cursor')!, 'base64url').toString()) : 0;
    const matching = this.sortedModels(author, sort, direction);
    const page = matching.slice(offset, offset + limit);
    const headers: Record<string, string> = {};
    if (offset + limit < matching.length) {
      const next = new URLSearchParams(query);
      next.set('cursor', Buffer.from(String(offset + limit)).toString('base64url'));
      headers.link = `<${this.url}/api/models?${next.toString()}>; rel="next"`;
    }
    return { status: 200, headers, body: page.map((m) => this.render(m, query.getAll('expand[]'), false)) };
  }

  private sortedModels(author: string | null, sort: string, direction: number): FakeHubModel[] {
    const key = new Map<FakeHubModel, number>();
    for (const model of this.models.values()) {
      if (author !== null && model.id.split('/')[0] !== author) continue;
      const counters = this.countersOf(model, false);
      key.set(
        model,
        sort === 'createdAt'
          ? Date.parse(model.createdAt ?? '2024-01-01T00:00:00Z')
          : Number((counters as Record<string, number | undefined>)[sort] ?? 0),
      );
    }
    return [...key.keys()].sort((a, b) => direction * (key.get(a)! - key.get(b)!) || a.id.localeCompare(b.id));
  }

  private countersOf(model: FakeHubModel, count: boolean): HubCounters {
    if (count) model.calls += 1;
    const base = {
      downloads: model.downloads,
      downloadsAllTime: model.downloadsAllTime,
      likes: model.likes,
      trendingScore: model.trendingScore,
    };
    return model.counters ? { ...base, ...model.counters({ call: model.calls, now: this.now() }) } : base;
  }

  /** The hub's JSON for a model: `_id`, `id` and the expanded properties, or its default set without expand[]. */
  private render(model: FakeHubModel, expand: string[], single: boolean): Record<string, unknown> {
    const counters = this.countersOf(model, true);
    const all: Record<string, unknown> = {
      author: model.id.split('/')[0],
      downloads: counters.downloads,
      downloadsAllTime: counters.downloadsAllTime,
      likes: counters.likes,
      trendingScore: counters.trendingScore,
      tags: model.tags,
      cardData: model.cardData,
      safetensors:
        model.safetensorsTotal === undefined
          ? undefined
          : { parameters: { BF16: model.safetensorsTotal }, total: model.safetensorsTotal },
      pipeline_tag: model.pipelineTag,
      createdAt: model.createdAt ?? '2024-01-01T00:00:00.000Z',
      gated: model.gated,
      private: false,
      library_name: 'transformers',
    };
    const defaults = single
      ? ['author', 'downloads', 'likes', 'tags', 'pipeline_tag', 'gated', 'private', 'cardData', 'createdAt']
      : ['downloads', 'likes', 'tags', 'pipeline_tag', 'private', 'library_name', 'createdAt'];
    const fields = expand.length > 0 ? expand : defaults;
    const body: Record<string, unknown> = { _id: model.objectId, id: model.id };
    if (expand.length === 0) body.modelId = model.id;
    for (const field of fields) if (all[field] !== undefined) body[field] = all[field];
    return body;
  }

  private model(id: string): FakeHubModel {
    const model = this.models.get(id.toLowerCase());
    if (!model) throw new Error(`the fake hub has no model ${id}`);
    return model;
  }
}
