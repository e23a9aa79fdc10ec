import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  DomainError,
  InvalidReferenceError,
  ModelExistsError,
  ModelIdIsAliasError,
  ModelMovedError,
  ModelNotFoundError,
  RepositoryTakenError,
} from './catalog.errors';
import type { LineageDto } from './dto/lineage.dto';
import type { ModelDetailDto, ModelDto, ModelPageDto } from './dto/model.dto';
import type { CuratedField } from './entities/model.entity';
import type { Relation } from './entities/model-relation.entity';
import { LineageRepository } from './lineage.repository';
import { decodeCursor, encodeCursor, InvalidCursorError, type ModelListQuery } from './model-list';
import { isValidModelId, splitModelId } from './model-id';
import { ModelRepository, type ModelFields, type ModelRow, type UpstreamRename } from './model.repository';
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

export function toModelDto(row: ModelRow): ModelDto {
  const { organization, name } = splitModelId(row.slug);
  return {
    id: row.slug,
    organization,
    name,
    description: row.description,
    license: row.license,
    parameters: row.parameters,
    activeParameters: row.activeParameters,
    releaseDate: row.releaseDate,
    tasks: row.tasks,
    tags: row.tags,
    papers: row.papers.map((p) => ({ arxivId: p.arxivId, title: p.title, url: `https://arxiv.org/abs/${p.arxivId}` })),
    links: {
      huggingface: row.bindings.huggingface ? HUB + row.bindings.huggingface : null,
      github: row.bindings.github ? GITHUB + row.bindings.github : null,
      homepage: row.homepage,
    },
    baseModels: row.baseModels.map((b) => ({ id: b.slug, relation: b.relation })),
    stats: {
      downloadsAllTime: row.stats.downloadsAllTime,
      downloads30d: row.stats.downloads30d,
      downloads7d: row.stats.downloads7d,
      likes: row.stats.likes,
      stars: row.stats.stars,
      lastSyncedAt: row.stats.lastSyncedAt?.toISOString() ?? null,
    },
    trending:
      row.stats.trendingRank !== null && row.stats.trendingScore !== null
        ? { rank: row.stats.trendingRank, score: row.stats.trendingScore }
        : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
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
    private readonly models: ModelRepository,
    private readonly lineageRepository: LineageRepository,
  ) {}

  async list(query: ModelListQuery): Promise<ModelPageDto> {
    let after;
    if (query.cursor) {
      try {
        after = decodeCursor(query, query.cursor);
      } catch (error) {
        if (error instanceof InvalidCursorError) throw new InvalidCursorInputError(error.message);
        throw error;
      }
    }
    const page = await this.models.listPage(query.filters, query.sort, query.order, query.limit, after);
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
  async resolve(
    slug: string,
    access: 'read' | 'write' = 'read',
    manager?: EntityManager,
  ): Promise<{ id: string; slug: string }> {
    const resolved = await this.models.resolveSlug(slug, manager);
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

  /** Live models by canonical id, as list items, in one read; ids that name no live model are left out. */
  async getMany(slugs: string[]): Promise<Map<string, ModelDto>> {
    const found = await this.models.findIdsBySlugs(slugs);
    const rows = await this.models.loadRows([...found.values()].map((m) => m.id));
    return new Map(rows.map((row) => [row.slug, toModelDto(row)]));
  }

  async create(input: CreateModelInput): Promise<ModelDetailDto> {
    const id = await this.models.transaction(async (manager) => {
      const existing = await this.models.findAnyBySlug(input.id, manager);
      if (existing) throw new ModelExistsError(existing.slug, existing.archived);
      const aliasOf = await this.models.findAliasTarget(input.id, manager);
      if (aliasOf) throw new ModelIdIsAliasError(input.id, aliasOf.slug, aliasOf.archived);
      return this.insert(manager, input, presentFields(input));
    });
    return this.detail(id);
  }

  async update(slug: string, input: ModelInput): Promise<ModelDetailDto> {
    const id = await this.models.transaction(async (manager) => {
      const { id: modelId } = await this.resolve(slug, 'write', manager);
      const curated = presentFields(input);
      await this.apply(manager, modelId, input, curated);
      return modelId;
    });
    return this.detail(id);
  }

  async archive(slug: string): Promise<void> {
    const { id } = await this.resolve(slug, 'write');
    await this.models.archive(id);
  }

  /**
   * Follows an upstream's rename of a model's repository (stats sync and
   * import alike): see `ModelRepository.followUpstreamRename`. Runs in
   * `manager`'s transaction, or in one of its own.
   */
  followUpstreamRename(
    rename: UpstreamRename,
    manager?: EntityManager,
  ): Promise<{ slug: string; modelRenamed: boolean; bindingMoved: boolean }> {
    if (manager) return this.models.followUpstreamRename(manager, rename);
    return this.models.transaction((own) => this.models.followUpstreamRename(own, rename));
  }

  private async detail(id: string): Promise<ModelDetailDto> {
    const [[row], bindings] = await Promise.all([this.models.loadRows([id]), this.models.bindingsOf(id)]);
    return { ...toModelDto(row), upstreams: bindings.map((binding) => toUpstreamDto(binding, row)) };
  }

  /** Removes a model, archived or not, and its history for good (CLI only). */
  async purge(slug: string): Promise<string> {
    const existing = await this.models.findAnyBySlug(slug);
    if (!existing) throw new ModelNotFoundError(slug);
    await this.models.purge(existing.id);
    return existing.slug;
  }

  async lineage(slug: string): Promise<LineageDto> {
    const [row] = await this.models.loadRows([(await this.resolve(slug)).id]);
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
        family: known.length ? known.reduce((sum, member) => sum + (member.downloads30d ?? 0), 0) : null,
      },
    };
  }

  /**
   * Inserts a new model inside `manager`'s transaction; `curated` names the
   * fields a person set. An alias with the id is dropped: a POST refused one
   * before, so only an import gets here with one, when the hub has a new
   * repository under a renamed model's old id, and the id is that one's now.
   */
  async insert(manager: EntityManager, input: CreateModelInput, curated: CuratedField[]): Promise<string> {
    const { organization, name } = splitModelId(input.id);
    const organizationId = await this.models.ensureOrganization(manager, organization);
    await this.models.dropAlias(manager, input.id);
    const modelId = await this.models.insertModel(manager, {
      slug: `${organizationId}/${name}`,
      organizationId,
      name,
      curatedFields: curated,
    });
    await this.apply(manager, modelId, input, curated);
    return modelId;
  }

  /**
   * Writes the present fields of `input` to the model, checking every
   * reference; `curated` are added to the fields a person set.
   */
  async apply(manager: EntityManager, modelId: string, input: ModelInput, curated: CuratedField[]): Promise<void> {
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
      if (license !== null && !(await this.models.licenseExists(manager, license))) {
        throw new InvalidReferenceError('license', `unknown licence "${input.license}"; GET /v1/licenses lists them`);
      }
      fields.licenseId = license;
    }
    await this.models.updateModel(manager, modelId, fields, curated);
    const sizes: { parameters: string | null; active_parameters: string | null }[] = await manager.query(
      'SELECT parameters, active_parameters FROM models WHERE id = $1',
      [modelId],
    );
    const { parameters, active_parameters: active } = sizes[0];
    if (parameters !== null && active !== null && Number(active) > Number(parameters)) {
      throw new InvalidReferenceError('activeParameters', 'must not exceed parameters');
    }
    if (input.papers !== undefined) await this.models.replacePapers(manager, modelId, input.papers);
    if (input.baseModels !== undefined) await this.setBaseModels(manager, modelId, input.baseModels);
    if (input.links?.huggingface !== undefined) {
      await this.bind(manager, modelId, 'huggingface', input.links.huggingface, HUB);
    }
    if (input.links?.github !== undefined) {
      await this.bind(manager, modelId, 'github', input.links.github, GITHUB);
    }
  }

  private async setBaseModels(
    manager: EntityManager,
    modelId: string,
    bases: { id: string; relation: Relation }[],
  ): Promise<void> {
    const found = await this.models.findIdsBySlugs(
      bases.map((b) => b.id),
      manager,
    );
    const descendants = await this.models.descendantIds(manager, modelId);
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
    await this.models.replaceBaseModels(manager, modelId, resolved);
  }

  private async bind(
    manager: EntityManager,
    modelId: string,
    upstream: 'huggingface' | 'github',
    value: string | null,
    host: string,
  ): Promise<void> {
    const field = `links.${upstream}`;
    if (value === null) {
      await this.models.setBinding(manager, modelId, upstream, null);
      return;
    }
    const externalId = repoId(value, host);
    if (externalId === null) throw new InvalidReferenceError(field, `must be owner/name or a ${host} URL`);
    const other = upstream === 'huggingface' ? await this.models.findBinding(manager, upstream, externalId) : null;
    if (other && other.modelId !== modelId) {
      throw new RepositoryTakenError(externalId, other.slug);
    }
    await this.models.setBinding(manager, modelId, upstream, externalId);
  }
}
