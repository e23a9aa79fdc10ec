import type { GatedMode, Relation, Upstream } from '../catalog';
import type { UpstreamHttp } from './upstream-http';

export type { GatedMode };

/** Counters as an upstream reported them at one moment; null where it gave none. */
export interface UpstreamReading {
  /** The repository the counters belong to, as the upstream spells it now. */
  externalId: string;
  observedAt: Date;
  downloadsAllTime: number | null;
  /** The hub's rolling 30-day count (its `downloads` field). */
  downloads30d: number | null;
  likes: number | null;
  stars: number | null;
  forks: number | null;
}

/** What the hub says a model is, mapped to our words; plain data, no entity. */
export interface HubMetadata {
  /** The licence slug: `cardData.license` (or its `license_name` for `other`), else a `license:` tag. */
  license: string | null;
  /** `safetensors.total`: every tensor, so more than the announced count at times. */
  parametersTotal: number | null;
  /** From the `arxiv:` tags, in the hub's order. */
  arxivIds: string[];
  baseModels: { id: string; relation: Relation }[];
  /** `pipeline_tag`. */
  task: string | null;
  tags: string[];
  /** When the repository was made: not a release date (floored at 2022-03-02 for old repositories). */
  createdAt: Date | null;
  gated: GatedMode;
}

/**
 * What one fetch learned. Known upstream states (`renamed`, `gone`, `gated`)
 * are outcomes, not errors, so a sync records them instead of retrying
 * forever; `failed` means nothing trustworthy came back and nothing is to be
 * written as data.
 */
export type FetchOutcome =
  | { status: 'ok'; externalId: string; reading: UpstreamReading; metadata?: HubMetadata }
  | {
      status: 'renamed';
      from: string;
      to: string;
      /** The ids the upstream redirected through from `from` to `to`, in order; absent when it went straight there. */
      via?: string[];
      reading: UpstreamReading;
      metadata?: HubMetadata;
    }
  | { status: 'gone' }
  | { status: 'gated' }
  | { status: 'failed'; error: string };

/** A repository a sync refreshes, with what its last reading said. */
export interface RefreshTarget {
  externalId: string;
  /** The rolling 30-day downloads of its last reading from this upstream; null when there is none. */
  lastDownloads30d: number | null;
}

/** Ids per `fetchMany` call of the default `refresh`: a caller stores each batch before the next is read. */
export const REFRESH_BATCH = 100;

/**
 * One upstream (a hub or a code host): pure HTTP, no database. Each
 * implementation is rate-limited on its own and counts the requests it
 * makes, so a sync run can record what it cost.
 */
export abstract class UpstreamSource {
  abstract readonly upstream: Upstream;

  /** The source's own paced, retrying HTTP client, which also counts what it sends. */
  protected constructor(protected readonly http: UpstreamHttp) {}

  /** The current counters of one repository (`org/name`, `owner/repo`). */
  abstract fetchOne(externalId: string): Promise<FetchOutcome>;

  /** HTTP requests made since the source was built or last reset, retries and redirects included. */
  get requestCount(): number {
    return this.http.requestCount;
  }

  resetRequestCount(): void {
    this.http.resetRequestCount();
  }

  /** Requests made since the source was built, by HTTP status, `timeout` or `error`; never reset. */
  get requestOutcomes(): ReadonlyMap<string, number> {
    return this.http.requestOutcomes;
  }

  /** Abandons the requests waiting for their turn and aborts those in flight (the process is stopping). */
  close(): Promise<void> {
    return this.http.close();
  }

  /**
   * Many repositories at once, keyed by the ids asked for. The default asks
   * for each on its own (the limiter bounds the pace); a source with a
   * cheaper bulk answer overrides it. `onOutcome` hears each id's outcome
   * as soon as it is known, so progress can move per model, not per batch.
   */
  async fetchMany(
    externalIds: string[],
    onOutcome: (externalId: string, outcome: FetchOutcome) => void = () => undefined,
  ): Promise<Map<string, FetchOutcome>> {
    const unique = [...new Set(externalIds)];
    const outcomes = await Promise.all(
      unique.map(async (id) => {
        const outcome = await this.fetchOne(id);
        onOutcome(id, outcome);
        return outcome;
      }),
    );
    return new Map(unique.map((id, i) => [id, outcomes[i]]));
  }

  /**
   * Every target's outcome, handed to `onBatch` in batches as they come
   * (keyed by the ids asked for), so the caller stores each before the next
   * is read; a throw from `onBatch` (the run was stopped) ends the refresh.
   * The default reads `REFRESH_BATCH` ids at a time through `fetchMany`; a
   * source with a cheaper bulk answer for many targets overrides it.
   * `onOutcome` hears each id's outcome as soon as it is known, before its
   * batch is handed over (a progress bar moves per model, not per batch).
   */
  async refresh(
    targets: RefreshTarget[],
    onBatch: (outcomes: Map<string, FetchOutcome>) => Promise<void>,
    onOutcome: (externalId: string, outcome: FetchOutcome) => void = () => undefined,
  ): Promise<void> {
    const ids = [...new Set(targets.map((target) => target.externalId))];
    for (let start = 0; start < ids.length; start += REFRESH_BATCH) {
      await onBatch(await this.fetchMany(ids.slice(start, start + REFRESH_BATCH), onOutcome));
    }
  }
}
