/** How ranking answers show their rows. Pure. */
import type { RankableModel } from '../catalog';
import type { RankedModelDto, TrendingEntryDto } from './dto/ranking.dto';
import type { SnapshotRow } from './rankings.repository';

export function toRankedModel(row: RankableModel): RankedModelDto {
  return {
    id: row.slug,
    name: row.name,
    organization: row.organization,
    license: row.license,
    parameters: row.parameters,
    releaseDate: row.releaseDate,
  };
}

/** A trending row as answers show it, at its rank among the rows shown. */
export function trendingEntry(
  row: Pick<SnapshotRow, 'score' | 'components' | 'flags'>,
  rank: number,
  previousRank: number | null,
  model: RankableModel,
): TrendingEntryDto {
  const { volume, growth, engagement } = row.components;
  return {
    rank,
    previousRank,
    model: toRankedModel(model),
    score: row.score,
    components: { volume, growth, engagement },
    flags: row.flags,
    demo: model.demo,
  };
}
