import type { RunSummary } from './sync-run.repository';

/**
 * The log line of a finished run. A run that did not succeed is a warning
 * that names its first error and counts the others, so an operator reading
 * the log learns why without asking GET /v1/sync/runs.
 */
export function runEndLine(queue: string, runId: string, summary: RunSummary): { level: 'log' | 'warn'; msg: string } {
  const counts =
    `${summary.modelsDone} done, ${summary.modelsFailed} failed, ${summary.modelsSkipped} skipped, ` +
    `requests ${JSON.stringify(summary.upstreamRequests)}`;
  const head = `${queue} run ${runId} ${summary.status}: ${counts}`;
  if (summary.status === 'succeeded') return { level: 'log', msg: head };
  const [first, ...rest] = summary.errors;
  if (first === undefined) return { level: 'warn', msg: `${head}; no error was recorded` };
  const where = [first.model, first.source].filter((part) => part !== null).join(' on ');
  const more = rest.length === 0 ? '' : ` (and ${rest.length} more error${rest.length === 1 ? '' : 's'})`;
  return { level: 'warn', msg: `${head}; first error${where ? ` (${where})` : ''}: ${first.error}${more}` };
}
