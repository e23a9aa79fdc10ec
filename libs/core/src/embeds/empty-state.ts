/**
 * Why a page, a widget or a model has nothing to show, and what to do about
 * it, in a few sentences for people: no figures stored yet, the last stats
 * sync's outcome and its first error, a day outside the figures known, or
 * filters that leave nothing. Pure: the caller gathers the state.
 */

/** What the service knows that explains an empty answer. */
export interface DataState {
  /** The first and last UTC day any model has a figure for; null when none has. */
  figures: { from: string; to: string } | null;
  /** Whether the figures held are demo data (`npm run cli -- demo`). */
  demo: boolean;
  /** The last finished stats sync; null when none has finished. */
  lastSync: {
    status: string;
    finishedAt: string;
    /** The first error the run recorded, with the model it was about when there was one. */
    firstError: string | null;
    /** How many more errors it recorded. */
    moreErrors: number;
  } | null;
}

export interface EmptyExplanation {
  /** Sentences, plain text (the renderer escapes them). */
  lines: string[];
  /** A day with figures to offer instead, when the one asked for has none. */
  suggestAsOf: string | null;
}

export const DEMO_HINT = 'To see the service with data now, load the demo history: npm run cli -- demo.';

/** What the last sync says, or that none has run, for an empty answer with no figures at all. */
function syncLine(sync: DataState['lastSync']): string {
  if (sync === null) {
    return 'No stats sync has finished yet: the worker reads the hubs every hour (SYNC_ENABLED), or run npm run cli -- sync now.';
  }
  if (sync.status === 'succeeded') {
    return `The last stats sync (${sync.finishedAt}) succeeded: figures start once downloads have been counted for a day.`;
  }
  const error = sync.firstError === null ? '' : `: ${sync.firstError}`;
  const more = sync.moreErrors > 0 ? ` (and ${sync.moreErrors} more error${sync.moreErrors === 1 ? '' : 's'})` : '';
  return `The last stats sync (${sync.finishedAt}) ${sync.status}${error}${more}. Its runs are at GET /v1/sync/runs.`;
}

/** Why a ranking of `asOf` is empty. */
export function explainEmptyRanking(state: DataState, asOf: string, filtered: boolean): EmptyExplanation {
  if (state.figures === null) {
    return {
      lines: ['No download figures are stored yet, so no model is ranked.', syncLine(state.lastSync), DEMO_HINT],
      suggestAsOf: null,
    };
  }
  const known = `Figures${state.demo ? ' (demo data)' : ''} are known from ${state.figures.from} to ${state.figures.to}`;
  if (asOf < state.figures.from || asOf > state.figures.to) {
    return {
      lines: [`${known}, so nothing is ranked on ${asOf}.`, `Try the ranking as of ${state.figures.to}.`],
      suggestAsOf: state.figures.to,
    };
  }
  if (filtered)
    return { lines: [`No model matches these filters on ${asOf}.`, 'Try fewer filters.'], suggestAsOf: null };
  return {
    lines: [`${known}, but no model has enough of them on ${asOf} to be ranked.`, 'Try a later day.'],
    suggestAsOf: asOf === state.figures.to ? null : state.figures.to,
  };
}

/** Why a model has no figures. */
export function explainModelWithoutStats(state: DataState): EmptyExplanation {
  const lines = ['No download figures are stored for this model yet.'];
  if (state.figures === null) lines.push(syncLine(state.lastSync), DEMO_HINT);
  else if (state.demo)
    lines.push('The demo history leaves out models another source counts, and models released after it.');
  else lines.push(syncLine(state.lastSync));
  return { lines, suggestAsOf: null };
}
