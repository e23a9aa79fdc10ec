import type { INestApplicationContext } from '@nestjs/common';
import { SingleBar, Presets } from 'cli-progress';
import { Clock } from '@modelpulse/core/clock';
import { JobRegistry } from '@modelpulse/core/job-registry';
import { JobRunner, RUN_KINDS, SyncRunRepository, type RunKind } from '@modelpulse/core/jobs';

export const SYNC_USAGE = `  sync [--kind stats-sync|discovery|rollup]
                            run a job now in this process, with a progress bar and a summary`;

export function parseSyncCommand(args: string[]): { kind: RunKind } | { error: string } {
  if (args.length === 0) return { kind: 'stats-sync' };
  if (args.length === 2 && args[0] === '--kind' && (RUN_KINDS as readonly string[]).includes(args[1])) {
    return { kind: args[1] as RunKind };
  }
  return { error: `sync takes --kind ${RUN_KINDS.join('|')}` };
}

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
  for (const error of run.errors) out.write(`  ${error.model ?? '-'} (${error.source ?? '-'}): ${error.error}\n`);
  return run.status === 'failed' ? 1 : 0;
}
