import { Injectable } from '@nestjs/common';
import { TransactionHost, type TransactionalAdapterTypeOrm } from '@modelpulse/database';
import { ChangeFeed } from '../changes';
import { AliasRepository } from './alias.repository';
import { BindingRepository } from './binding.repository';
import { CatalogQueries } from './catalog-queries';
import {
  DomainError,
  InvalidReferenceError,
  ModelExistsError,
  ModelIdIsAliasError,
  ModelMovedError,
  ModelIsLiveError,
  ModelNotFoundError,
  RepositoryTakenError,
} from './catalog.errors';
import type { LineageDto } from './dto/lineage.dto';
import type { ModelDetailDto, ModelDto, ModelPageDto } from './dto/model.dto';
import type { CuratedField } from './entities/model.entity';
import type { Relation } from './entities/model-relation.entity';
import { DirectoryRepository } from './directory.repository';
import { LineageRepository } from './lineage.repository';
import { decodeCursor, encodeCursor, InvalidCursorError, type ModelListQuery } from './model-list';
import { isValidModelId, splitModelId } from './model-id';
import { ModelRowsRepository } from './model-rows.repository';
import { toModelDto } from './model-view';
import { ModelRepository, type ModelFields } from './model.repository';
import { toUpstreamDto, UPSTREAM_SITES } from './upstream-state';

export interface ModelInput {
  description?: string | null;
  license?: string | null;
  parameters?: number | null;
  activeParameters?: number | null;
  releaseDate?: string | null;
  tasks?: string[];
  tags?: string[];
  papers?: { arxivId: string; title?: string | null }[];
  links?: { huggingface?: string | null; github?: string | null; homepage?: string | null };
  baseModels?: { id: string; relation: Relation }[];
}

export interface CreateModelInput extends ModelInput {
  id: string;
}

export class InvalidCursorInputError extends DomainError {
  readonly kind = 'invalid';
  override readonly field = 'cursor';
}

const HUB = UPSTREAM_SITES.huggingface;
const GITHUB = UPSTREAM_SITES.github;

/** `org/name` from a repo id or a repository URL on the given host. */
function repoId(value: string, host: string): string | null {
  const bare = value.startsWith(host) ? value.slice(host.length).replace(/\/+$/, '') : value;
  return isValidModelId(bare) ? bare : null;
}

/** The fields of `input` that are present, as curated-field names. */
function presentFields(input: ModelInput): CuratedField[] {
  const fields: CuratedField[] = [];
  const names: [keyof ModelInput, CuratedField][] = [
    ['description', 'description'],
    ['license', 'license'],
    ['parameters', 'parameters'],
    ['activeParameters', 'activeParameters'],
    ['releaseDate', 'releaseDate'],
    ['tasks', 'tasks'],
    ['tags', 'tags'],
    ['papers', 'papers'],
    ['links', 'links'],
    ['baseModels', 'baseModels'],
  ];
  for (const [key, field] of names) if (input[key] !== undefined) fields.push(field);
  return fields;
}

/** The catalogue's models: reads, writes with their rules, and lineage. */
@Injectable()
export class ModelsService {
  constructor(
    private readonly transactions: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly models: ModelRepository,
    private readonly rows: ModelRowsRepository,
    private readonly aliases: AliasRepository,
    private readonly bindings: BindingRepository,
    private readonly directory: DirectoryRepository,
    private readonly lineageRepository: LineageRepository,
    private readonly changes: ChangeFeed,
    private readonly queries: CatalogQueries,
  ) {}

  async list(query: ModelListQuery): Promise<ModelPageDto> {
    await this.queries.assertKnownFilters(query.filters);
    let after;
    if (query.cursor) {
      try {
        after = decodeCursor(query, query.cursor);
      } catch (error) {
        if (error instanceof InvalidCursorError) throw new InvalidCursorInputError(error.message);
        throw error;
      }
    }
    const page = await this.rows.listPage(query.filters, query.sort, query.order, query.limit, after);
    return {
      data: page.rows.map(toModelDto),
      nextCursor: page.last ? encodeCursor(query, page.last) : null,
    };
  }

  /**
   * The live model an id in a request names, in any letter case. An old id
   * left by an upstream rename is a `ModelMovedError` for reads (the API
   * redirects) and a not-found naming the new id for writes, so a write never
   * lands on a model the client did not name.
   */
  async resolve(slug: string, access: 'read' | 'write' = 'read'): Promise<{ id: string; slug: string }> {
    const resolved = await this.models.resolveSlug(slug);
    switch (resolved.kind) {
      case 'live':
        return { id: resolved.id, slug: resolved.slug };
      case 'moved':
        if (access === 'read') throw new ModelMovedError(slug, resolved.slug);
        throw new ModelNotFoundError(slug, resolved.slug);
      case 'missing':
        throw new ModelNotFoundError(slug);
    }
  }

  async get(slug: string): Promise<ModelDetailDto> {
    return this.detail((await this.resolve(slug)).id);
  }

  /**
   * Several models by id, in the order asked, in one answer: an id in any
   * letter case; an old id of a renamed model answers as the new one and is
   * noted in `renamed`; an id that names no live model is listed in
   * `missing`. A model asked for twice (by two spellings) is listed once.
   */
  async batch(ids: string[]): Promise<ModelPageDto> {
    const live = await this.models.findIdsBySlugs(ids);
    const moved = await this.models.findMovedBySlugs(ids.filter((id) => !live.has(id.toLowerCase())));
    const rows = await this.rows.loadRows([...new Set([...live.values(), ...moved.values()].map((m) => m.id))]);
    const byId = new Map(rows.map((row) => [row.id, toModelDto(row)]));
    const data: ModelDto[] = [];
    const missing: string[] = [];
    const renamed: { from: string; to: string }[] = [];
    const listed = new Set<string>();
    for (const id of ids) {
      const found = live.get(id.toLowerCase()) ?? moved.get(id.toLowerCase());
      const model = found && byId.get(found.id);
      if (!found || !model) {
        missing.push(id);
        continue;
      }
      if (!live.has(id.toLowerCase())) renamed.push({ from: id, to: model.id });
      if (listed.has(found.id)) continue;
      listed.add(found.id);
      data.push(model);
    }
    return { data, nextCursor: null, missing, renamed };
  }

  /** Live models by canonical id, as list items, in one read; ids that name no live model are left out. */
  async getMany(slugs: string[]): Promise<Map<string, ModelDto>> {
    const found = await this.models.findIdsBySlugs(slugs);
    const rows = await this.rows.loadRows([...found.values()].map((m) => m.id));
    return new Map(rows.map((row) => [row.slug, toModelDto(row)]));
  }

  async create(input: CreateModelInput): Promise<ModelDetailDto> {
    const id = await this.transactions.withTransaction(async () => {
      const existing = await this.models.findAnyBySlug(input.id);
      if (existing) throw new ModelExistsError(existing.slug, existing.archived);
      const aliasOf = await this.aliases.findTarget(input.id);
      if (aliasOf) throw new ModelIdIsAliasError(input.id, aliasOf.slug, aliasOf.archived);
      return this.insert(input, presentFields(input));
    });
    return this.detail(id);
  }

  async update(slug: string, input: ModelInput): Promise<ModelDetailDto> {
    const id = await this.transactions.withTransaction(async () => {
      const { id: modelId } = await this.resolve(slug, 'write');
      await this.apply(modelId, input, presentFields(input));
      return modelId;
    });
    return this.detail(id);
  }

  async archive(slug: string): Promise<void> {
    await this.transactions.withTransaction(async () => {
      const { id } = await this.resolve(slug, 'write');
      await this.models.archive(id);
      await this.changes.publish({ type: 'model.archived', modelIds: [id] });
    });
  }

  private async detail(id: string): Promise<ModelDetailDto> {
    const [[row], bindings] = await Promise.all([this.rows.loadRows([id]), this.bindings.bindingsOf(id)]);
    return { ...toModelDto(row), upstreams: bindings.map((binding) => toUpstreamDto(binding, row)) };
  }

  /** The model `purge` would remove, deleted (archived) or live: the CLI asks before it acts. */
  async purgeTarget(slug: string): Promise<{ id: string; archived: boolean }> {
    const existing = await this.models.findAnyBySlug(slug);
    if (!existing) throw new ModelNotFoundError(slug);
    return { id: existing.slug, archived: existing.archived };
  }

  /**
   * Removes a model and its history for good (CLI only). A live model only
   * with `evenIfLive`: the ordinary way out is DELETE, which keeps the history.
   */
  async purge(slug: string, options: { evenIfLive: boolean }): Promise<string> {
    return this.transactions.withTransaction(async () => {
      const existing = await this.models.findAnyBySlug(slug);
      if (!existing) throw new ModelNotFoundError(slug);
      if (!existing.archived && !options.evenIfLive) throw new ModelIsLiveError(existing.slug);
      await this.models.purge(existing.id);
      await this.changes.publish({ type: 'model.purged', modelIds: [existing.id] });
      return existing.slug;
    });
  }

  async lineage(slug: string): Promise<LineageDto> {
    const [row] = await this.rows.loadRows([(await this.resolve(slug)).id]);
    const [ancestors, descendants, family] = await Promise.all([
      this.lineageRepository.ancestors(row.id),
      this.lineageRepository.descendants(row.id),
      this.lineageRepository.family(row.id),
    ]);
    const known = family.filter((member) => member.downloads30d !== null);
    return {
      model: row.slug,
      ancestors: ancestors.map((a) => ({ id: a.slug, relation: a.relation, depth: a.depth, via: a.via })),
      descendants: descendants.map((d) => ({ id: d.slug, relation: d.relation, depth: d.depth, via: d.via })),
      family: family.map((member) => member.slug),
      downloads30d: {
        model: row.stats.downloads30d,
        // Held, like every figure, to 2^53 - 1 (stats' MAX_DOWNLOADS): a JSON number is exact no further.
        family: known.length
          ? Math.min(
              known.reduce((sum, member) => sum + (member.downloads30d ?? 0), 0),
              Number.MAX_SAFE_INTEGER,
            )
          : null,
        demo: row.stats.demo || family.some((member) => member.demo),
      },
    };
  }

  /**
   * Inserts a new model, in the caller's transaction or one of its own;
   * `curated` names the fields a person set. An alias with the id is
   * dropped: a POST refused one before, so only an import gets here with
   * one, when the hub has a new repository under a renamed model's old id,
   * and the id is that one's now.
   */
  insert(input: CreateModelInput, curated: CuratedField[]): Promise<string> {
    return this.transactions.withTransaction(async () => {
      const { organization, name } = splitModelId(input.id);
      const organizationId = await this.directory.ensureOrganization(organization);
      await this.aliases.drop(input.id);
      const modelId = await this.models.insertModel({
        slug: `${organizationId}/${name}`,
        organizationId,
        name,
        curatedFields: curated,
      });
      await this.apply(modelId, input, curated);
      return modelId;
    });
  }

  /**
   * Writes the present fields of `input` to the model, checking every
   * reference, in the caller's transaction or one of its own; `curated` are
   * added to the fields a person set.
   */
  apply(modelId: string, input: ModelInput, curated: CuratedField[]): Promise<void> {
    return this.transactions.withTransaction(() => this.write(modelId, input, curated));
  }

  private async write(modelId: string, input: ModelInput, curated: CuratedField[]): Promise<void> {
    const fields: ModelFields = {
      description: input.description,
      parameters: input.parameters,
      activeParameters: input.activeParameters,
      releaseDate: input.releaseDate,
      tasks: input.tasks?.map((task) => task.toLowerCase()),
      tags: input.tags?.map((tag) => tag.toLowerCase()),
      homepage: input.links?.homepage,
    };
    if (input.license !== undefined) {
      const license = input.license === null ? null : input.license.toLowerCase();
      if (license !== null && !(await this.directory.licenseExists(license))) {
        throw new InvalidReferenceError('license', `unknown licence "${input.license}"; GET /v1/licenses lists them`);
      }
      fields.licenseId = license;
    }
    await this.models.updateModel(modelId, fields, curated);
    const { parameters, activeParameters } = await this.models.sizes(modelId);
    if (parameters !== null && activeParameters !== null && activeParameters > parameters) {
      throw new InvalidReferenceError('activeParameters', 'must not exceed parameters');
    }
    if (input.papers !== undefined) {
      await this.directory.ensurePapers(input.papers);
      await this.models.replacePapers(
        modelId,
        input.papers.map((paper) => paper.arxivId),
      );
    }
    if (input.baseModels !== undefined) await this.setBaseModels(modelId, input.baseModels);
    if (input.links?.huggingface !== undefined) {
      await this.bind(modelId, 'huggingface', input.links.huggingface, HUB);
    }
    if (input.links?.github !== undefined) {
      await this.bind(modelId, 'github', input.links.github, GITHUB);
    }
    await this.changes.publish({ type: 'catalog.changed', modelIds: [modelId] });
  }

  private async setBaseModels(modelId: string, bases: { id: string; relation: Relation }[]): Promise<void> {
    const found = await this.models.findIdsBySlugs(bases.map((b) => b.id));
    const descendants = await this.lineageRepository.descendantIds(modelId);
    const seen = new Set<string>();
    const resolved = bases.map((base, index) => {
      const model = found.get(base.id.toLowerCase());
      const field = `baseModels[${index}].id`;
      if (!model) throw new InvalidReferenceError(field, `unknown model "${base.id}"`);
      if (model.id === modelId) throw new InvalidReferenceError(field, 'a model cannot be its own base');
      if (descendants.has(model.id)) {
        throw new InvalidReferenceError(field, `"${model.slug}" is derived from this model; lineage cannot loop`);
      }
      if (seen.has(model.id)) throw new InvalidReferenceError(field, `"${model.slug}" is listed twice`);
      seen.add(model.id);
      return { id: model.id, relation: base.relation };
    });
    await this.lineageRepository.replaceBases(modelId, resolved);
  }

  private async bind(
    modelId: string,
    upstream: 'huggingface' | 'github',
    value: string | null,
    host: string,
  ): Promise<void> {
    const field = `links.${upstream}`;
    if (value === null) {
      await this.bindings.set(modelId, upstream, null);
      return;
    }
    const externalId = repoId(value, host);
    if (externalId === null) throw new InvalidReferenceError(field, `must be owner/name or a ${host} URL`);
    const other = upstream === 'huggingface' ? await this.bindings.findBound(upstream, externalId) : null;
    if (other && other.modelId !== modelId) {
      throw new RepositoryTakenError(externalId, other.slug);
    }
    await this.bindings.set(modelId, upstream, externalId);
  }
}
