import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost, type TransactionalAdapterTypeOrm } from '@modelpulse/database';
import { AliasRepository } from '../alias.repository';
import { DirectoryRepository } from '../directory.repository';
import type { CuratedField } from '../entities/model.entity';
import { ModelRowsRepository, type ModelRow } from '../model-rows.repository';
import { ModelRepository } from '../model.repository';
import { ModelsService, type ModelInput } from '../models.service';
import catalogSeed from './catalog.seed.json';
import type { SeedFile, SeedModel } from './seed-file';
import { SeedRepository } from './seed.repository';

export type { SeedFile, SeedModel };

export interface SeedResult {
  /** False when this seed was applied before and nothing was asked to force it. */
  applied: boolean;
  created: string[];
  updated: string[];
  /** Deleted through the API: the seed leaves them deleted. */
  skippedArchived: string[];
}

const SEED_NAME = 'catalog';

/** The seed shipped with modelpulse, or another file of the same shape. */
export function readSeed(path?: string): { seed: SeedFile; contentHash: string } {
  const seed = (path ? JSON.parse(readFileSync(path, 'utf8')) : catalogSeed) as SeedFile;
  return { seed, contentHash: createHash('sha256').update(JSON.stringify(seed)).digest('hex') };
}

/** Bases before the models made from them, so every base exists when its derivative is written. */
export function inDependencyOrder(models: SeedModel[]): SeedModel[] {
  const byId = new Map(models.map((m) => [m.id.toLowerCase(), m]));
  const done = new Set<string>();
  const ordered: SeedModel[] = [];
  const visit = (model: SeedModel, path: Set<string>) => {
    const key = model.id.toLowerCase();
    if (done.has(key)) return;
    if (path.has(key)) throw new Error(`seed lineage loops through ${model.id}`);
    path.add(key);
    for (const base of model.baseModels) {
      const baseModel = byId.get(base.id.toLowerCase());
      if (baseModel) visit(baseModel, path);
    }
    path.delete(key);
    done.add(key);
    ordered.push(model);
  };
  for (const model of models) visit(model, new Set());
  return ordered;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The fields of the seed entry that differ from the stored model, leaving
 * out every field a person set through the API.
 */
export function seedChanges(seed: SeedModel, row: ModelRow, liveBases: Set<string>): ModelInput {
  const curated = new Set<CuratedField>(row.curatedFields);
  const changes: ModelInput = {};
  const wanted = {
    tasks: seed.tasks.map((t) => t.toLowerCase()),
    tags: seed.tags.map((t) => t.toLowerCase()),
    bases: seed.baseModels.filter((b) => liveBases.has(b.id.toLowerCase())),
  };
  if (!curated.has('description') && row.description !== seed.description) changes.description = seed.description;
  if (!curated.has('license') && (row.license?.id ?? null) !== seed.license) changes.license = seed.license;
  if (!curated.has('parameters') && row.parameters !== seed.parameters) changes.parameters = seed.parameters;
  if (!curated.has('activeParameters') && row.activeParameters !== seed.activeParameters) {
    changes.activeParameters = seed.activeParameters;
  }
  if (!curated.has('releaseDate') && row.releaseDate !== seed.releaseDate) changes.releaseDate = seed.releaseDate;
  if (!curated.has('tasks') && !sameList(row.tasks, wanted.tasks)) changes.tasks = wanted.tasks;
  if (!curated.has('tags') && !sameList(row.tags, wanted.tags)) changes.tags = wanted.tags;
  if (
    !curated.has('papers') &&
    !sameList(
      row.papers.map((p) => p.arxivId),
      seed.papers,
    )
  ) {
    changes.papers = seed.papers.map((arxivId) => ({ arxivId }));
  }
  if (!curated.has('links')) {
    const links: NonNullable<ModelInput['links']> = {};
    if ((row.bindings.huggingface ?? null) !== seed.links.huggingface) links.huggingface = seed.links.huggingface;
    if ((row.bindings.github ?? null) !== seed.links.github) links.github = seed.links.github;
    if (row.homepage !== seed.links.homepage) links.homepage = seed.links.homepage;
    if (Object.keys(links).length) changes.links = links;
  }
  const key = (b: { id: string; relation: string }) => `${b.id.toLowerCase()} ${b.relation}`;
  if (
    !curated.has('baseModels') &&
    !sameList(row.baseModels.map((b) => key({ id: b.slug, relation: b.relation })).sort(), wanted.bases.map(key).sort())
  ) {
    changes.baseModels = wanted.bases;
  }
  return changes;
}

/**
 * Loads the catalogue seed. Runs at start-up when the seed file changed
 * since it was last applied, and on demand (`npm run cli -- seed`). Creates
 * missing models and brings seeded fields up to date, but never touches a
 * field a person set through the API, nor brings back a deleted model.
 */
@Injectable()
export class SeedService {
  private readonly logger = new Logger(SeedService.name);

  constructor(
    private readonly transactions: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly seeds: SeedRepository,
    private readonly directory: DirectoryRepository,
    private readonly models: ModelRepository,
    private readonly rows: ModelRowsRepository,
    private readonly aliases: AliasRepository,
    private readonly modelsService: ModelsService,
  ) {}

  async apply(options: { force?: boolean; path?: string } = {}): Promise<SeedResult> {
    const { seed, contentHash } = readSeed(options.path);
    const result = await this.transactions.withTransaction(async () => {
      await this.seeds.lock();
      const result: SeedResult = { applied: false, created: [], updated: [], skippedArchived: [] };
      if (!options.force && (await this.seeds.appliedHash(SEED_NAME)) === contentHash) return result;
      result.applied = true;
      // The seed writes its reference data and models through their owners, like any other writer.
      await this.directory.upsertReferences(seed);
      for (const model of inDependencyOrder(seed.models)) await this.applyModel(model, result);
      await this.seeds.recordApplied(SEED_NAME, contentHash);
      return result;
    });
    if (result.applied) {
      this.logger.log(
        `seed applied: ${result.created.length} created, ${result.updated.length} updated, ${result.skippedArchived.length} left deleted`,
      );
    }
    return result;
  }

  private async applyModel(model: SeedModel, result: SeedResult): Promise<void> {
    // A seeded model renamed upstream keeps its old id in the seed: the entry is the renamed model's.
    const existing = (await this.models.findAnyBySlug(model.id)) ?? (await this.aliases.findTarget(model.id));
    const live = await this.models.findIdsBySlugs(model.baseModels.map((b) => b.id));
    const liveBases = new Set(live.keys());
    if (!existing) {
      await this.modelsService.insert(
        {
          id: model.id,
          description: model.description,
          license: model.license,
          parameters: model.parameters,
          activeParameters: model.activeParameters,
          releaseDate: model.releaseDate,
          tasks: model.tasks,
          tags: model.tags,
          papers: model.papers.map((arxivId) => ({ arxivId })),
          links: model.links,
          baseModels: model.baseModels.filter((b) => liveBases.has(b.id.toLowerCase())),
        },
        [],
      );
      result.created.push(model.id);
      return;
    }
    if (existing.archived) {
      result.skippedArchived.push(existing.slug);
      return;
    }
    const [row] = await this.rows.loadRows([existing.id]);
    const changes = seedChanges(model, row, liveBases);
    if (Object.keys(changes).length === 0) return;
    await this.modelsService.apply(existing.id, changes, []);
    result.updated.push(existing.slug);
  }
}
