import { HUB_EXPAND, readHubModel, type HubModel } from './hub-model';
import { parseNextLink } from './rate-limit-headers';
import {
  errorText,
  MalformedAnswerError,
  parseJson,
  UpstreamHttp,
  USER_AGENT,
  type UpstreamResponse,
} from './upstream-http';
import { systemRuntime, type SourceOptions, type SourceRuntime } from './source-options';
import { UpstreamSource, type FetchOutcome, type HubMetadata, type UpstreamReading } from './upstream-source';

export interface HuggingFaceSourceOptions extends SourceOptions {
  /** Models per page of `GET /api/models`. */
  listPageSize: number;
  /** Pages read per author before the ids still missing are fetched one by one. */
  listMaxPages: number;
}

export const HUB_LIST_DEFAULTS = { listPageSize: 100, listMaxPages: 3 } as const;

/** Discovery rankings and the hub's `sort` value for each. */
const HUB_SORTS = { downloads: 'downloads', trending: 'trendingScore' } as const;
export type HubRanking = keyof typeof HUB_SORTS;

export interface HubListedModel {
  externalId: string;
  reading: UpstreamReading;
  metadata: HubMetadata;
  trendingScore: number | null;
}

export type DiscoveryOutcome = { status: 'ok'; models: HubListedModel[] } | { status: 'failed'; error: string };

/** A rename chain longer than this is a loop. */
const MAX_REDIRECTS = 3;

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const failure = (error: unknown): FetchOutcome => ({
  status: 'failed',
  error: error instanceof Error ? error.message : String(error),
});

/**
 * The Hugging Face hub. A model is `GET /api/models/{id}` with `expand[]`;
 * many models of one author are pages of `GET /api/models?author=…`, which
 * costs one request per page instead of one per model.
 *
 * Outcomes: a 307 to another id is `renamed` (followed, with the new id's
 * counters); 404, and the 401 "Repository not found" the hub answers to
 * anonymous requests, are `gone`. A gated model still shows its counters to
 * everyone, so it is `ok` with `metadata.gated` set; only a gated answer
 * without counters, or a 403 `GatedRepo`, is `gated`.
 */
export class HuggingFaceSource extends UpstreamSource {
  readonly upstream = 'huggingface' as const;

  constructor(
    private readonly options: HuggingFaceSourceOptions,
    private readonly runtime: SourceRuntime = systemRuntime,
  ) {
    super(
      new UpstreamHttp(options, runtime, {
        Accept: 'application/json',
        'User-Agent': USER_AGENT,
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      }),
    );
  }

  async fetchOne(externalId: string): Promise<FetchOutcome> {
    try {
      return await this.fetchModel(externalId);
    } catch (error) {
      return failure(error);
    }
  }

  /**
   * Ids of authors with two or more tracked models are refreshed through
   * the author's list pages (most downloaded first, so tracked models come
   * early); what the pages did not answer (renamed, gone, gated, further
   * down) and authors with a single id get one call per model.
   */
  override async fetchMany(externalIds: string[]): Promise<Map<string, FetchOutcome>> {
    const unique = [...new Set(externalIds)];
    const byAuthor = new Map<string, string[]>();
    for (const id of unique) {
      const author = id.includes('/') ? id.slice(0, id.indexOf('/')) : null;
      if (author === null) continue;
      const key = author.toLowerCase();
      byAuthor.set(key, [...(byAuthor.get(key) ?? []), id]);
    }
    const outcomes = new Map<string, FetchOutcome>();
    const groups = [...byAuthor.values()].filter((ids) => ids.length >= 2);
    await Promise.all(groups.map((ids) => this.refreshAuthor(ids, outcomes)));
    const rest = unique.filter((id) => !outcomes.has(id));
    const single = await Promise.all(rest.map((id) => this.fetchOne(id)));
    rest.forEach((id, i) => outcomes.set(id, single[i]));
    return new Map(unique.map((id) => [id, outcomes.get(id)!]));
  }

  /** The hub's top `limit` models by 30-day downloads or by its trending score, for discovery. */
  listTop(ranking: HubRanking, limit: number): Promise<DiscoveryOutcome> {
    return this.listModels({ sort: HUB_SORTS[ranking] }, limit, [...HUB_EXPAND, 'trendingScore']);
  }

  /**
   * Every model of `author` as the list pages give them (most downloaded
   * first), up to `limit`: one request per page of `listPageSize`, whatever
   * the number of models, and each item carries the same metadata a
   * `fetchOne` would.
   */
  listByAuthor(author: string, limit: number): Promise<DiscoveryOutcome> {
    return this.listModels({ author, sort: 'downloads' }, limit, HUB_EXPAND);
  }

  /** Up to `limit` models of a list query, following the `Link` cursor page by page. */
  private async listModels(
    query: Record<string, string>,
    limit: number,
    expand: readonly string[],
  ): Promise<DiscoveryOutcome> {
    const models: HubListedModel[] = [];
    try {
      let url: URL | null = this.listUrl(query, Math.min(limit, this.options.listPageSize), expand);
      while (url && models.length < limit) {
        const page: { models: HubModel[]; next: URL | null } = await this.listPage(url);
        for (const model of page.models.slice(0, limit - models.length)) {
          models.push({ ...this.readingOf(model), trendingScore: model.trendingScore });
        }
        if (page.models.length === 0) break;
        url = page.next;
      }
    } catch (error) {
      return { status: 'failed', error: error instanceof Error ? error.message : String(error) };
    }
    return { status: 'ok', models };
  }

  private async fetchModel(asked: string): Promise<FetchOutcome> {
    let url = this.http.endpoint(`api/models/${asked.split('/').map(encodeURIComponent).join('/')}`);
    url.search = this.expandQuery(HUB_EXPAND).toString();
    /** The ids the redirects named, in order: a model renamed twice since we last asked goes through both. */
    const hops: string[] = [];
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const response = await this.http.get(url);
      if ([301, 302, 307, 308].includes(response.status)) {
        const location = response.headers.get('location');
        if (!location) throw new MalformedAnswerError(`HTTP ${response.status} without a Location`);
        const next = this.http.follow(location, url);
        // The hub's Location names the new path only; the expand[] list still applies.
        if (next.search === '') next.search = url.search;
        const id = /\/api\/models\/(.+)$/.exec(next.pathname);
        if (id) hops.push(id[1].split('/').map(decodeURIComponent).join('/'));
        url = next;
        continue;
      }
      if (response.status === 200) return this.outcomeOf(asked, readHubModel(parseJson(response.body)), hops);
      if (this.isGone(response)) return { status: 'gone' };
      if (response.status === 403 && response.headers.get('x-error-code') === 'GatedRepo') return { status: 'gated' };
      return { status: 'failed', error: `HTTP ${response.status}: ${errorText(response)}` };
    }
    return { status: 'failed', error: `more than ${MAX_REDIRECTS} redirects from ${asked}` };
  }

  private outcomeOf(asked: string, model: HubModel, hops: string[] = []): FetchOutcome {
    if (model.downloads30d === null && model.downloadsAllTime === null && model.likes === null) {
      return model.metadata.gated ? { status: 'gated' } : { status: 'failed', error: 'the answer has no counters' };
    }
    const { reading, metadata } = this.readingOf(model);
    if (sameId(model.id, asked)) return { status: 'ok', externalId: model.id, reading, metadata };
    const via = hops.filter(
      (id, i) => !sameId(id, asked) && !sameId(id, model.id) && !hops.slice(0, i).some((seen) => sameId(seen, id)),
    );
    return { status: 'renamed', from: asked, to: model.id, ...(via.length > 0 ? { via } : {}), reading, metadata };
  }

  private readingOf(model: HubModel): { externalId: string; reading: UpstreamReading; metadata: HubMetadata } {
    return {
      externalId: model.id,
      reading: {
        externalId: model.id,
        observedAt: this.runtime.now(),
        downloadsAllTime: model.downloadsAllTime,
        downloads30d: model.downloads30d,
        likes: model.likes,
        stars: null,
        forks: null,
      },
      metadata: model.metadata,
    };
  }

  /** 404; the 401 the hub gives anonymous callers for a repository that does not exist; a disabled repository. */
  private isGone(response: UpstreamResponse): boolean {
    if (response.status === 404 || response.status === 410 || response.status === 451) return true;
    const code = response.headers.get('x-error-code');
    if (code === 'RepoNotFound') return true;
    const message = response.headers.get('x-error-message') ?? errorText(response);
    if (response.status === 401) return /repository not found/i.test(message);
    return response.status === 403 && /access to this resource is disabled/i.test(message);
  }

  private async refreshAuthor(ids: string[], outcomes: Map<string, FetchOutcome>): Promise<void> {
    const wanted = new Map(ids.map((id) => [id.toLowerCase(), id]));
    const author = ids[0].slice(0, ids[0].indexOf('/'));
    let url: URL | null = this.listUrl({ author, sort: 'downloads' }, this.options.listPageSize, HUB_EXPAND);
    for (let page = 0; url && page < this.options.listMaxPages && wanted.size > 0; page += 1) {
      let result: { models: HubModel[]; next: URL | null };
      try {
        result = await this.listPage(url);
      } catch (error) {
        // The hub is failing: asking again per model would only multiply the load.
        for (const id of wanted.values()) outcomes.set(id, failure(error));
        return;
      }
      for (const model of result.models) {
        const asked = wanted.get(model.id.toLowerCase());
        if (asked === undefined) continue;
        const outcome = this.outcomeOf(asked, model);
        if (outcome.status !== 'ok') continue;
        outcomes.set(asked, outcome);
        wanted.delete(model.id.toLowerCase());
      }
      url = result.next;
    }
  }

  private listUrl(filters: Record<string, string>, limit: number, expand: readonly string[]): URL {
    const url = this.http.endpoint('api/models');
    const query = new URLSearchParams({ ...filters, direction: '-1', limit: String(limit) });
    for (const [name, value] of this.expandQuery(expand)) query.append(name, value);
    url.search = query.toString();
    return url;
  }

  private expandQuery(expand: readonly string[]): URLSearchParams {
    return new URLSearchParams(expand.map((property): [string, string] => ['expand[]', property]));
  }

  /** One page of the list: its models (an item that does not read is skipped) and the next page's URL. */
  private async listPage(url: URL): Promise<{ models: HubModel[]; next: URL | null }> {
    const response = await this.http.get(url);
    if (response.status !== 200) {
      throw new MalformedAnswerError(`HTTP ${response.status} from the model list: ${errorText(response)}`);
    }
    const json = parseJson(response.body);
    if (!Array.isArray(json)) throw new MalformedAnswerError('the model list is not a JSON array');
    const models: HubModel[] = [];
    for (const item of json) {
      try {
        models.push(readHubModel(item));
      } catch (error) {
        if (!(error instanceof MalformedAnswerError)) throw error;
      }
    }
    const next = parseNextLink(response.headers.get('link'));
    return { models, next: next ? this.http.follow(next, url) : null };
  }
}
