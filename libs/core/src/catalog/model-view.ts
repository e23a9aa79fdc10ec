/** A model's row as the API shows it. Pure. */
import type { ModelDto } from './dto/model.dto';
import { splitModelId } from './model-id';
import type { ModelRow } from './model-rows.repository';
import { UPSTREAM_SITES } from './upstream-state';

const HUB = UPSTREAM_SITES.huggingface;
const GITHUB = UPSTREAM_SITES.github;

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
      hubDownloads30d: row.stats.hubDownloads30d,
      likes: row.stats.likes,
      stars: row.stats.stars,
      lastSyncedAt: row.stats.lastSyncedAt?.toISOString() ?? null,
      demo: row.stats.demo,
    },
    trending:
      row.stats.trendingRank !== null && row.stats.trendingScore !== null
        ? { rank: row.stats.trendingRank, score: row.stats.trendingScore }
        : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
