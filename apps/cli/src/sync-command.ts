import type { INestApplicationContext } from '@nestjs/common';
import { SingleBar, Presets } from 'cli-progress';
import { Clock } from '@modelpulse/core/clock';
import { JobRegistry } from '@modelpulse/core/job-registry';
import { JobRunner, RUN_KINDS, SyncRunRepository, type RunError, type RunKind } from '@modelpulse/core/jobs';
import { command, positionalsOf, readOptions, UsageError, type Command } from './command-table';

export function parseSyncCommand(args: string[]): { kind: RunKind } {
  const { values, positionals } = readOptions(args, { kind: { type: 'string' } }, true);
  positionalsOf(positionals, []);
  const kind = values.kind ?? 'stats-sync';
  if (!(RUN_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`--kind must be one of ${RUN_KINDS.join(', ')}, got "${kind}"`);
  }
  return { kind: kind as RunKind };
}

export const SYNC_COMMANDS: Command[] = [
  command({
    name: 'sync',
    usage: `[--kind ${RUN_KINDS.join('|')}]`,
    description:
      'run a job now in this process (whatever SYNC_ENABLED says), with a progress bar on a terminal,\n' +
      'then one line for the run and its errors grouped by reason (the full list: GET /v1/sync/runs);\n' +
      'exit 1 when the run failed, 0 otherwise (a partial run included)',
    parse: parseSyncCommand,
    run: ({ kind }, cli) => cli.withApp((app) => runSyncCommand(app, kind)),
  }),
];

/** Runs one job in the CLI's process under a run record (trigger `cli`); exit code 1 when it failed. */
export async function runSyncCommand(
  app: INestApplicationContext,
  kind: RunKind,
  out: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout,
): Promise<number> {
  const runs = app.get(SyncRunRepository);
  const queued = await runs.queue(kind, 'cli', app.get(Clock).now());
  const bar = new SingleBar(
    {
      format: `${kind} [{bar}] {value}/{total} models | {failed} failed | {skipped} skipped`,
      stream: out,
      noTTYOutput: false,
    },
    Presets.shades_classic,
  );
  let started = false;
  const run = await app
    .get(JobRunner)
    .run(app.get(JobRegistry).byKind(kind), { trigger: 'cli', runId: queued.id }, (progress) => {
      if (!out.isTTY || progress.total === null) return;
      const settled = progress.done + progress.failed + progress.skipped;
      if (!started) {
        bar.start(progress.total, settled, { failed: progress.failed, skipped: progress.skipped });
        started = true;
      } else {
        bar.update(settled, { failed: progress.failed, skipped: progress.skipped });
      }
    });
  if (started) bar.stop();
  if (!run) throw new Error(`run ${queued.id} was taken by another process`);
  const requests = Object.entries(run.upstreamRequests)
    .map(([upstream, count]) => `${upstream} ${count}`)
    .join(', ');
  out.write(
    `${kind} run ${run.id} ${run.status}: ${run.modelsDone} done, ${run.modelsFailed} failed, ${run.modelsSkipped} skipped` +
      (requests ? `; upstream requests: ${requests}` : '') +
      '\n',
  );
  for (const group of groupErrors(run.errors)) out.write(`  ${group}\n`);
  if (run.errors.length > 0) out.write(`the full list of errors: GET /v1/sync/runs (run ${run.id})\n`);
  return run.status === 'failed' ? 1 : 0;
}

/** Models named in a group's line; the rest are counted. */
const NAMED_MODELS = 3;

/** What a group shares: the error without the request path that ends it, which differs per model. */
const reasonOf = (error: RunError) => `${error.source ?? '-'}: ${error.error.replace(/ \(\/[^)]*\)$/, '')}`;

/**
 * The run's errors as one line per reason (source and message, the request
 * path left out), most frequent first, with its count and the first models:
 * a hub that is down is one line, not one per model.
 */
export function groupErrors(errors: readonly RunError[]): string[] {
  const groups = new Map<string, string[]>();
  for (const error of errors) {
    const reason = reasonOf(error);
    groups.set(reason, [...(groups.get(reason) ?? []), error.model ?? '-']);
  }
  return [...groups.entries()]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([reason, models]) => {
      const named = models.slice(0, NAMED_MODELS).join(', ');
      const more = models.length > NAMED_MODELS ? ` and ${models.length - NAMED_MODELS} more` : '';
      return `${models.length} × ${reason} (${named}${more})`;
    });
}
