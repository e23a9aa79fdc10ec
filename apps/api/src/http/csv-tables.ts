import type { ModelDto } from '@modelpulse/core/catalog';
import type { LeaderboardEntryDto, RankedModelDto, RankPointDto, TrendingEntryDto } from '@modelpulse/core/rankings';
import type { SeriesPointDto } from '@modelpulse/core/stats';
import type { Column } from './csv-reply';

/**
 * The columns of each CSV answer: the JSON's figures, one row per item,
 * nested objects flattened with dotted headers (`stats.downloads30d`).
 */
export const MODEL_COLUMNS: readonly Column<ModelDto>[] = [
  { header: 'id', cell: (m) => m.id },
  { header: 'organization', cell: (m) => m.organization },
  { header: 'name', cell: (m) => m.name },
  { header: 'license', cell: (m) => m.license?.id },
  { header: 'parameters', cell: (m) => m.parameters },
  { header: 'activeParameters', cell: (m) => m.activeParameters },
  { header: 'releaseDate', cell: (m) => m.releaseDate },
  { header: 'tasks', cell: (m) => m.tasks },
  { header: 'tags', cell: (m) => m.tags },
  { header: 'stats.downloadsAllTime', cell: (m) => m.stats.downloadsAllTime },
  { header: 'stats.downloads30d', cell: (m) => m.stats.downloads30d },
  { header: 'stats.downloads7d', cell: (m) => m.stats.downloads7d },
  { header: 'stats.likes', cell: (m) => m.stats.likes },
  { header: 'stats.stars', cell: (m) => m.stats.stars },
  { header: 'trending.rank', cell: (m) => m.trending?.rank },
  { header: 'trending.score', cell: (m) => m.trending?.score },
  { header: 'description', cell: (m) => m.description },
];

const RANKED_MODEL_COLUMNS: readonly Column<RankedModelDto>[] = [
  { header: 'model.id', cell: (m) => m.id },
  { header: 'model.organization', cell: (m) => m.organization },
  { header: 'model.name', cell: (m) => m.name },
  { header: 'model.license', cell: (m) => m.license },
  { header: 'model.parameters', cell: (m) => m.parameters },
  { header: 'model.releaseDate', cell: (m) => m.releaseDate },
];

const ofModel = <Row extends { model: RankedModelDto }>(): Column<Row>[] =>
  RANKED_MODEL_COLUMNS.map((column) => ({ header: column.header, cell: (row: Row) => column.cell(row.model) }));

export const TRENDING_COLUMNS: readonly Column<TrendingEntryDto>[] = [
  { header: 'rank', cell: (e) => e.rank },
  { header: 'previousRank', cell: (e) => e.previousRank },
  ...ofModel<TrendingEntryDto>(),
  { header: 'score', cell: (e) => e.score },
  { header: 'components.volume', cell: (e) => e.components.volume },
  { header: 'components.growth', cell: (e) => e.components.growth },
  { header: 'components.engagement', cell: (e) => e.components.engagement },
  { header: 'flags', cell: (e) => e.flags },
];

export const LEADERBOARD_COLUMNS: readonly Column<LeaderboardEntryDto>[] = [
  { header: 'rank', cell: (e) => e.rank },
  { header: 'previousRank', cell: (e) => e.previousRank },
  ...ofModel<LeaderboardEntryDto>(),
  { header: 'value', cell: (e) => e.value },
];

/** An unranked day has empty rank and score cells. */
export const RANK_HISTORY_COLUMNS: readonly Column<RankPointDto>[] = [
  { header: 'date', cell: (p) => p.date },
  { header: 'rank', cell: (p) => p.rank },
  { header: 'score', cell: (p) => p.score },
  { header: 'stale', cell: (p) => p.stale },
];

/** An unknown value is an empty cell, never 0. */
export const SERIES_COLUMNS: readonly Column<SeriesPointDto>[] = [
  { header: 'date', cell: (p) => p.date },
  { header: 'period', cell: (p) => p.period },
  { header: 'value', cell: (p) => p.value },
  { header: 'imputed', cell: (p) => p.imputed },
  { header: 'flags', cell: (p) => p.flags },
  { header: 'unknownDays', cell: (p) => p.unknownDays },
];
