import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost, type TransactionalAdapterTypeOrm } from '@modelpulse/database';
import {
  BindingsService,
  CatalogQueries,
  DomainError,
  ModelsService,
  readSeed,
  RenamesService,
  type CuratedField,
  type ImportTarget,
  type ModelInput,
  type Relation,
} from '../catalog';
import { HuggingFaceSource, type DiscoveryOutcome, type HubMetadata, type HubRanking } from '../sources';
import {
  importChanges,
  importedRecord,
  inLineageOrder,
  seedStatedFields,
  type ImportableFields,
} from './import-changes';

export type ImportStatus = 'created' | 'updated' | 'unchanged' | 'gone' | 'gated' | 'failed';

export interface ImportResult {
  /** The hub id as asked for (or as the hub listed it). */
  id: string;
  status: ImportStatus;
  /** The model's id in the catalogue after the import; null when nothing was written. */
  model: string | null;
  /** The id the hub answered under, when it renamed the repository. */
  renamedTo?: string;
  error?: string;
}

export interface ImportSummary {
  results: ImportResult[];
  /** Hub requests made during the import, retries and redirects included. */
  upstreamRequests: number;
}

export interface DiscoveryResult {
  /** Ids of the models discovery started tracking. */
  created: string[];
  /** Listed models the catalogue already had (deleted ones too: discovery does not bring them back). */
  alreadyTracked: number;
  /** A model that could not be written, or `top:downloads` / `top:trending` when a list could not be read. */
  failed: { model: string; error: string }[];
  upstreamRequests: number;
}

/** The most models `importAuthor` reads when not told otherwise: ten pages of the hub's list. */
export const AUTHOR_IMPORT_LIMIT = 1000;

/** One model as the hub described it, with what it was asked as. */
interface HubItem {
  asked: string;
  externalId: string;
  renamedFrom: string | null;
  /** The ids the hub redirected through between `renamedFrom` and `externalId`. */
  renamedVia?: string[];
  metadata: HubMetadata;
}

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function uniqueIds(ids: string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => !seen.has(id.toLowerCase()) && seen.add(id.toLowerCase()));
}

function asInput(fields: ImportableFields): ModelInput {
  return {
    license: fields.license,
    parameters: fields.parameters,
    tasks: fields.tasks,
    papers: fields.papers.map((arxivId) => ({ arxivId })),
    baseModels: fields.baseModels,
  };
}

/**
 * Metadata import from the Hugging Face hub, and discovery of the hub's top
 * models. An import creates a model the catalogue lacks (nothing marked as
 * set by a person, so later imports keep it current) or brings an existing
 * one up to date, never overwriting a field a person set: one listed in the
 * model's `curated_fields` (POST, PATCH) or stated by the seed. What the hub
 * said is always kept in the binding's `imported`, beside curated values.
 * Upstream states (gone, gated, failing) are results, never exceptions.
 */
@Injectable()
export class ImportService {
  private readonly logger = new Logger(ImportService.name);
  private readonly seedStated = seedStatedFields(readSeed().seed);

  constructor(
    private readonly transactions: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly hub: HuggingFaceSource,
    private readonly models: ModelsService,
    private readonly renames: RenamesService,
    private readonly bindings: BindingsService,
    private readonly catalog: CatalogQueries,
  ) {}

  /** Imports hub models by id, one hub request each (two for a renamed one). */
  async importModels(ids: string[]): Promise<ImportSummary> {
    const before = this.hub.requestCount;
    const asked = uniqueIds(ids);
    const outcomes = await Promise.all(asked.map((id) => this.hub.fetchOne(id)));
    const results = new Map<string, ImportResult>();
    const fetched: HubItem[] = [];
    asked.forEach((id, i) => {
      const outcome = outcomes[i];
      switch (outcome.status) {
        case 'ok':
        case 'renamed': {
          const externalId = outcome.status === 'ok' ? outcome.externalId : outcome.to;
          const renamedFrom = outcome.status === 'renamed' ? outcome.from : null;
          const renamedVia = outcome.status === 'renamed' ? outcome.via : undefined;
          if (outcome.metadata) {
            fetched.push({ asked: id, externalId, renamedFrom, renamedVia, metadata: outcome.metadata });
          } else results.set(id, { id, status: 'failed', model: null, error: 'the hub answer has no metadata' });
          break;
        }
        case 'gone':
        case 'gated':
          results.set(id, { id, status: outcome.status, model: null });
          break;
        case 'failed':
          results.set(id, { id, status: 'failed', model: null, error: outcome.error });
          break;
      }
    });
    for (const item of inLineageOrder(fetched)) results.set(item.asked, await this.write(item));
    return this.summary(
      asked.map((id) => results.get(id)!),
      before,
    );
  }

  /**
   * Imports every model of a hub author (most downloaded first, up to
   * `limit`) from the author's list pages: one request per hundred models.
   */
  async importAuthor(author: string, limit: number = AUTHOR_IMPORT_LIMIT): Promise<ImportSummary> {
    const before = this.hub.requestCount;
    const listed = await this.hub.listByAuthor(author, limit);
    if (listed.status === 'failed') {
      const error = `the hub's model list of ${author} could not be read: ${listed.error}`;
      return this.summary([{ id: author, status: 'failed', model: null, error }], before);
    }
    const items = this.listedItems([listed]);
    const results = new Map<HubItem, ImportResult>();
    for (const item of inLineageOrder(items)) results.set(item, await this.write(item));
    return this.summary(
      items.map((item) => results.get(item)!),
      before,
    );
  }

  /**
   * Starts tracking the hub's top `limit` models by downloads and by
   * trending score that the catalogue does not have yet. The list answers
   * carry each model's metadata, so discovery costs the list pages only.
   */
  async discover(limit: number): Promise<DiscoveryResult> {
    const before = this.hub.requestCount;
    const result: DiscoveryResult = { created: [], alreadyTracked: 0, failed: [], upstreamRequests: 0 };
    if (limit <= 0) return result;
    const rankings: HubRanking[] = ['downloads', 'trending'];
    const lists = await Promise.all(rankings.map((ranking) => this.hub.listTop(ranking, limit)));
    lists.forEach((list, i) => {
      if (list.status === 'failed') result.failed.push({ model: `top:${rankings[i]}`, error: list.error });
    });
    const items = this.listedItems(lists);
    const known = await this.bindings.knownHubIds(items.map((item) => item.externalId));
    const untracked = items.filter((item) => !known.has(item.externalId.toLowerCase()));
    result.alreadyTracked = items.length - untracked.length;
    for (const item of inLineageOrder(untracked)) {
      const written = await this.write(item);
      if (written.status === 'created') result.created.push(written.model!);
      else if (written.status === 'failed') result.failed.push({ model: item.externalId, error: written.error! });
      // Tracked meanwhile (a concurrent import): it was updated instead.
      else result.alreadyTracked += 1;
    }
    result.upstreamRequests = this.hub.requestCount - before;
    this.logger.log(
      `discovery: ${result.created.length} new, ${result.alreadyTracked} already tracked, ${result.failed.length} failed; ${result.upstreamRequests} hub requests`,
    );
    return result;
  }

  private listedItems(lists: DiscoveryOutcome[]): HubItem[] {
    const items = new Map<string, HubItem>();
    for (const list of lists) {
      if (list.status !== 'ok') continue;
      for (const model of list.models) {
        const key = model.externalId.toLowerCase();
        if (items.has(key)) continue;
        items.set(key, {
          asked: model.externalId,
          externalId: model.externalId,
          renamedFrom: null,
          metadata: model.metadata,
        });
      }
    }
    return [...items.values()];
  }

  private summary(results: ImportResult[], requestsBefore: number): ImportSummary {
    const upstreamRequests = this.hub.requestCount - requestsBefore;
    const count = (status: ImportStatus) => results.filter((r) => r.status === status).length;
    this.logger.log(
      `import: ${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged, ` +
        `${count('gone')} gone, ${count('gated')} gated, ${count('failed')} failed; ${upstreamRequests} hub requests`,
    );
    return { results, upstreamRequests };
  }

  /** Creates or updates the model of one hub answer in a transaction of its own: a bad item never sinks the others. */
  private async write(item: HubItem): Promise<ImportResult> {
    const result = { id: item.asked, ...(item.renamedFrom ? { renamedTo: item.externalId } : {}) };
    try {
      return await this.transactions.withTransaction(async (): Promise<ImportResult> => {
        await this.bindings.lockHubId(item.externalId);
        let target = await this.bindings.findImportTarget(item.externalId);
        let renamedFrom: ImportTarget | null = null;
        if (!target && item.renamedFrom !== null) {
          const old = await this.bindings.findImportTarget(item.renamedFrom);
          if (old && !old.archived) {
            renamedFrom = old;
            const renamed = await this.renames.followUpstreamRenames({
              modelId: old.id,
              upstream: 'huggingface',
              from: item.renamedFrom,
              via: item.renamedVia,
              to: item.externalId,
              seenAt: null,
            });
            target = { ...old, slug: renamed.slug, hubRepo: renamed.bindingMoved ? item.externalId : old.hubRepo };
          }
        }
        if (target?.archived) {
          const error = `${target.slug} was deleted from the catalogue; purge it (npm run cli -- purge) to import it again`;
          return { ...result, status: 'failed', model: null, error };
        }
        if (target?.hubRepo && !renamedFrom && !sameId(target.hubRepo, item.externalId)) {
          const error = `${target.slug} is bound to the hub repository ${target.hubRepo}`;
          return { ...result, status: 'failed', model: null, error };
        }
        const upstream = await this.upstreamFields(item.externalId, item.metadata);
        const imported = importedRecord(item.metadata);

        if (!target) {
          const modelId = await this.models.insert(
            { id: item.externalId, ...asInput(upstream), links: { huggingface: item.externalId } },
            [],
          );
          await this.bindings.saveImported(modelId, imported);
          await this.linkAwaitingDerivatives(item.externalId);
          const created = await this.bindings.findImportTarget(item.externalId);
          return { ...result, status: 'created', model: created!.slug };
        }

        const personSet = this.personSet(target.curatedFields, renamedFrom?.slug ?? target.slug);
        const changes = importChanges(upstream, await this.catalog.importableFields(target.id), personSet);
        // The binding follows the hub's spelling and renames; it is how later syncs find the repository.
        if (target.hubRepo !== item.externalId) changes.links = { huggingface: item.externalId };
        if (Object.keys(changes).length > 0) await this.models.apply(target.id, changes, []);
        const importedChanged = await this.bindings.saveImported(target.id, imported);
        if (renamedFrom) await this.linkAwaitingDerivatives(item.externalId);
        const changed = renamedFrom !== null || Object.keys(changes).length > 0 || importedChanged;
        return { ...result, status: changed ? 'updated' : 'unchanged', model: target.slug };
      });
    } catch (error) {
      return { ...result, status: 'failed', model: null, error: message(error) };
    }
  }

  /** Fields set through the API, and for a seeded model the fields its seed entry states. */
  private personSet(curatedFields: CuratedField[], slug: string): Set<CuratedField> {
    return new Set([...curatedFields, ...(this.seedStated.get(slug.toLowerCase()) ?? [])]);
  }

  /** The hub's values in the catalogue's terms: a licence we know (or none), bases we track. */
  private async upstreamFields(hubId: string, metadata: HubMetadata): Promise<ImportableFields> {
    const license = metadata.license?.toLowerCase() ?? null;
    const known = license !== null && (await this.catalog.licenseExists(license));
    return {
      license: known ? license : null,
      parameters: metadata.parametersTotal,
      tasks: metadata.task ? [metadata.task.toLowerCase()] : [],
      papers: metadata.arxivIds,
      baseModels: await this.trackedBases(hubId, metadata.baseModels),
    };
  }

  /** The hub's bases that the catalogue has; the others stay in `imported` until they are imported. */
  private async trackedBases(
    hubId: string,
    bases: { id: string; relation: Relation }[],
  ): Promise<{ id: string; relation: Relation }[]> {
    const live = await this.catalog.liveSlugs(bases.map((b) => b.id));
    const seen = new Set<string>([hubId.toLowerCase()]);
    return bases.flatMap((base) => {
      const slug = live.get(base.id.toLowerCase());
      if (slug === undefined || seen.has(slug.toLowerCase())) return [];
      seen.add(slug.toLowerCase());
      return [{ id: slug, relation: base.relation }];
    });
  }

  /**
   * Links models imported earlier to a base that has just arrived, so the
   * lineage does not depend on the order models were imported in.
   */
  private async linkAwaitingDerivatives(baseHubId: string): Promise<void> {
    for (const derived of await this.bindings.awaitingBase(baseHubId)) {
      const personSet = this.personSet(derived.curatedFields, derived.slug);
      if (personSet.has('baseModels')) continue;
      const stored = await this.catalog.importableFields(derived.id);
      const bases = await this.trackedBases(derived.slug, derived.imported.baseModels);
      const changes = importChanges({ ...stored, baseModels: bases }, stored, personSet);
      if (changes.baseModels === undefined) continue;
      try {
        await this.models.apply(derived.id, { baseModels: changes.baseModels }, []);
      } catch (error) {
        // A loop in the hub's lineage tags: the derivative keeps the links it had.
        if (!(error instanceof DomainError)) throw error;
        this.logger.warn(`lineage of ${derived.slug} left as it was: ${error.message}`);
      }
    }
  }
}
