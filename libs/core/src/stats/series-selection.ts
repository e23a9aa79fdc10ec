import { InvalidReferenceError } from '../catalog';
import type { SeriesSelection } from './daily-stats.repository';
import type { Metric } from './dto/stats-series.dto';

/** Where a series over [from, to] starts: at the first day with a figure, when later; null when none is in it. */
export function seriesStart(first: string | null, from: string, to: string): string | null {
  const start = first === null || first > from ? first : from;
  return start === null || start > to ? null : start;
}

/** The daily column and sources a metric reads, as a series asked for with `source` (or none). */
export function selectionOf(metric: Metric, source: string | undefined): SeriesSelection {
  switch (metric) {
    case 'clicks':
    case 'uniqueDownloaders':
      if (source !== undefined && source !== 'link') {
        throw new InvalidReferenceError('source', `${metric} are counted on tracked links only (source=link)`);
      }
      return { column: metric === 'clicks' ? 'downloads' : 'unique_downloaders', source: { only: 'link' } };
    case 'downloads':
    case 'likes':
    case 'stars':
      // Link clicks lead to a hub we also count, so they never add to downloads.
      return { column: metric, source: source === undefined ? { except: ['link'] } : { only: source } };
  }
}
