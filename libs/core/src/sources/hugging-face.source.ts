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
import {
  UpstreamSource,
  type FetchOutcome,
  type HubMetadata,
  type RefreshTarget,
  type UpstreamReading,
} from './upstream-source';

export interface HuggingFaceSourceOptions extends SourceOptions {
  /** Models per page of `GET /api/models`. */
  listPageSize: number;
  /** Pages read per author before the ids still missing are fetched one by one. */
  listMaxPages: number;
  /** Models per page of the top list by downloads that `refresh` reads first (the hub answers at most 1000); default 1000. */
  topListPageSize?: number;
  /** The most top-list pages one `refresh` reads; 0 reads none. Default 20. */
  topListMaxPages?: number;
}

export const HUB_LIST_DEFAULTS = { listPageSize: 100, listMaxPages: 3 } as const;
export const HUB_TOP_LIST_DEFAULTS = { topListPageSize: 1000, topListMaxPages: 20 } as const;

/**
 * A top-list page is read only when at least this many targets are expected
 * on it: a page costs one request, and so does fetching one model alone,
 * which is certain to find it, where the page may not.
 */
const TOP_LIST_WORTH = 2;

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
  override async fetchMany(
    externalIds: string[],
    onOutcome: (externalId: string, outcome: FetchOutcome) => void = () => undefined,
  ): Promise<Map<string, FetchOutcome>> {
    const unique = [...new Set(externalIds)];
    const byAuthor = new Map<string, string[]>();
    for (const id of unique) {
      const author = id.includes('/') ? id.slice(0, id.indexOf('/')) : null;
      if (author === null) continue;
      const key = author.toLowerCase();
      byAuthor.set(key, [...(byAuthor.get(key) ?? []), id]);
    }
    const outcomes = new Map<string, FetchOutcome>();
    const record = (id: string, outcome: FetchOutcome) => {
      outcomes.set(id, outcome);
      onOutcome(id, outcome);
    };
    const groups = [...byAuthor.values()].filter((ids) => ids.length >= 2);
    await Promise.all(groups.map((ids) => this.refreshAuthor(ids, record)));
    const rest = unique.filter((id) => !outcomes.has(id));
    await Promise.all(rest.map(async (id) => record(id, await this.fetchOne(id))));
    return new Map(unique.map((id) => [id, outcomes.get(id)!]));
  }

  /**
   * The hub's top list by 30-day downloads first, then, for the targets it
   * did not answer, the author lists and per-model calls of `fetchMany`, in
   * batches of `REFRESH_BATCH`. Each top-list page is handed over as one
   * batch of the targets it listed.
   */
  override async refresh(
    targets: RefreshTarget[],
    onBatch: (outcomes: Map<string, FetchOutcome>) => Promise<void>,
    onOutcome: (externalId: string, outcome: FetchOutcome) => void = () => undefined,
  ): Promise<void> {
    // A top-list page answers its targets all at once: its batch is the bar's step.
    const rest = await this.refreshFromTopList(targets, onBatch);
    await super.refresh(rest, onBatch, onOutcome);
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

  private async refreshAuthor(ids: string[], record: (id: string, outcome: FetchOutcome) => void): Promise<void> {
    const wanted = new Map(ids.map((id) => [id.toLowerCase(), id]));
    const author = ids[0].slice(0, ids[0].indexOf('/'));
    let url: URL | null = this.listUrl({ author, sort: 'downloads' }, this.options.listPageSize, HUB_EXPAND);
    for (let page = 0; url && page < this.options.listMaxPages && wanted.size > 0; page += 1) {
      let result: { models: HubModel[]; next: URL | null };
      try {
        result = await this.listPage(url);
      } catch (error) {
        // The hub is failing: asking again per model would only multiply the load.
        for (const id of wanted.values()) record(id, failure(error));
        return;
      }
      for (const model of result.models) {
        const asked = wanted.get(model.id.toLowerCase());
        if (asked === undefined) continue;
        const outcome = this.outcomeOf(asked, model);
        if (outcome.status !== 'ok') continue;
        record(asked, outcome);
        wanted.delete(model.id.toLowerCase());
      }
      url = result.next;
    }
  }

  /**
   * Reads `GET /api/models?sort=downloads&direction=-1&limit=…&expand[]=…`
   * page after page (the `Link` cursor), taking every target a page lists
   * with its counters (the same reading a per-model call makes), and answers
   * the targets still missing. The list is ordered by the hub's current
   * 30-day count, and a target's last reading says where it should be: so
   * after each page the next one is read only while at least
   * `TOP_LIST_WORTH` missing targets have a last count that falls in the
   * range the next page is expected to cover: from this page's smallest
   * count `s` down to `s × s / p`, `p` being the previous page's smallest
   * (the first page's largest, for the first page), i.e. the next page is
   * taken to shrink the counts by the same ratio as this one did. That is
   * exact on a geometric list and wider than the real next page on a
   * heavy-tailed (Zipf) list like the hub's, and on a linear one, so the
   * guess errs towards reading. Missing targets whose last count is above
   * this page's smallest should already have been listed: they dropped, were
   * renamed or removed, and the per-model calls find out which. Targets with
   * no reading yet never make a page worth reading (they are taken if
   * listed). `topListMaxPages` bounds the walk whatever the counts say (a
   * tracked model with 0 downloads would otherwise be expected to the end
   * of the list). A page that cannot be read fails every missing target, as
   * an author list does: a failing hub is not asked again once per model.
   */
  private async refreshFromTopList(
    targets: RefreshTarget[],
    onBatch: (outcomes: Map<string, FetchOutcome>) => Promise<void>,
  ): Promise<RefreshTarget[]> {
    const maxPages = this.options.topListMaxPages ?? HUB_TOP_LIST_DEFAULTS.topListMaxPages;
    const pageSize = this.options.topListPageSize ?? HUB_TOP_LIST_DEFAULTS.topListPageSize;
    const wanted = new Map<string, RefreshTarget[]>();
    for (const target of targets) {
      const key = target.externalId.toLowerCase();
      const same = wanted.get(key) ?? [];
      if (!same.some((t) => t.externalId === target.externalId)) wanted.set(key, [...same, target]);
    }
    const known = targets.filter((t) => t.lastDownloads30d !== null).length;
    if (maxPages === 0 || known < TOP_LIST_WORTH) return targets;
    let url: URL | null = this.listUrl({ sort: 'downloads' }, pageSize, HUB_EXPAND);
    let previousSmallest: number | null = null;
    for (let page = 0; url !== null && page < maxPages && wanted.size > 0; page += 1) {
      let result: { models: HubModel[]; next: URL | null };
      try {
        result = await this.listPage(url);
      } catch (error) {
        const failed = new Map<string, FetchOutcome>();
        for (const same of wanted.values()) for (const target of same) failed.set(target.externalId, failure(error));
        await onBatch(failed);
        return [];
      }
      const batch = new Map<string, FetchOutcome>();
      for (const model of result.models) {
        const same = wanted.get(model.id.toLowerCase());
        if (same === undefined) continue;
        const outcomes = same.map((target) => this.outcomeOf(target.externalId, model));
        // Anything but a plain reading (a gated model without counters) is for the per-model call to say.
        if (outcomes.some((outcome) => outcome.status !== 'ok')) continue;
        same.forEach((target, i) => batch.set(target.externalId, outcomes[i]));
        wanted.delete(model.id.toLowerCase());
      }
      if (batch.size > 0) await onBatch(batch);
      const counts = result.models.flatMap((model) => (model.downloads30d === null ? [] : [model.downloads30d]));
      if (counts.length === 0) break;
      const smallest = Math.min(...counts);
      const previous = previousSmallest ?? Math.max(...counts);
      const nextSmallest = previous > 0 ? smallest * (smallest / previous) : 0;
      if (!this.expectedOnNextPage(wanted, nextSmallest, smallest)) break;
      previousSmallest = smallest;
      url = result.next;
    }
    return [...wanted.values()].flat();
  }

  /** Whether at least TOP_LIST_WORTH missing targets have a last count in [low, high]. */
  private expectedOnNextPage(wanted: Map<string, RefreshTarget[]>, low: number, high: number): boolean {
    let expected = 0;
    for (const same of wanted.values()) {
      const last = same[0].lastDownloads30d;
      if (last !== null && last >= low && last <= high) expected += 1;
      if (expected >= TOP_LIST_WORTH) return true;
    }
    return false;
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
