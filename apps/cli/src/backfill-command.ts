import { open, type FileHandle } from 'node:fs/promises';
import { StatsService } from '@modelpulse/core/stats';
import { command, positionalsOf, readOptions, type Command } from './command-table';

/** The most items one batch stores: the same bound as POST /v1/observations. */
export const BACKFILL_BATCH_ITEMS = 1000;
/** Rejected lines kept for the summary; past this only their number is counted, so a bad huge file cannot fill memory. */
const MAX_LISTED_REJECTIONS = 100;

interface Rejection {
  line: number;
  field: string;
  error: string;
}

interface Tally {
  lines: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  listed: Rejection[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const tallyText = (t: Tally) =>
  `${plural(t.lines, 'line')} read, ${t.accepted} accepted, ${plural(t.duplicates, 'duplicate')}, ${t.rejected} rejected`;

function reject(tally: Tally, rejection: Rejection): void {
  tally.rejected++;
  if (tally.listed.length < MAX_LISTED_REJECTIONS) tally.listed.push(rejection);
}

/**
 * Streams a JSON Lines file of readings into StatsService.recordObservations
 * (origin `backfill`), one batch at a time, so a file of any size is never
 * held in memory. Readings are idempotent, so running a file again (after a
 * fix, or after a failed read) stores only what is new.
 *
 * A line that is not JSON, or that the service refuses, is reported with its
 * number and skipped, as a bad item of an API batch is: exit 0 once the whole
 * file was read. Blank lines are skipped. Exit 1 when the file cannot be read.
 */
export async function runBackfill(
  stats: StatsService,
  path: string,
  print: (line: string) => void,
  batchItems = BACKFILL_BATCH_ITEMS,
): Promise<number> {
  const tally: Tally = { lines: 0, accepted: 0, duplicates: 0, rejected: 0, listed: [] };
  let batch: { line: number; item: unknown }[] = [];
  let storing = false;

  const flush = async () => {
    if (batch.length === 0) return;
    storing = true;
    const result = await stats.recordObservations(
      batch.map((b) => b.item),
      'backfill',
      // The command line is the operator: it may backfill any source.
      'all',
    );
    tally.accepted += result.accepted;
    tally.duplicates += result.duplicates;
    for (const r of result.rejected) reject(tally, { line: batch[r.index].line, field: r.field, error: r.error });
    batch = [];
    storing = false;
    print(`… ${tallyText(tally)}`);
  };

  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    print(`cannot read ${path}: ${(error as Error).message}`);
    return 1;
  }
  try {
    for await (const raw of handle.readLines({ encoding: 'utf8' })) {
      tally.lines++;
      // An editor's byte order mark is not part of the first reading.
      const text = (tally.lines === 1 ? raw.replace(/^\uFEFF/, '') : raw).trim();
      if (text === '') continue;
      let item: unknown;
      try {
        item = JSON.parse(text);
      } catch {
        reject(tally, { line: tally.lines, field: '', error: 'not a JSON value' });
        continue;
      }
      batch.push({ line: tally.lines, item });
      if (batch.length >= batchItems) await flush();
    }
  } catch (error) {
    // A failed write is not a read error: it stops the command like any other failure.
    if (storing) throw error;
    print(
      `cannot read ${path} after line ${tally.lines}: ${(error as Error).message}; ` +
        'the batches reported above are stored, and running the file again adds only what is new',
    );
    return 1;
  } finally {
    // The stream closes the handle when it ends; this covers the paths where it did not get that far.
    await handle.close().catch(() => undefined);
  }
  await flush();

  print(`backfill of ${path}: ${tallyText(tally)}`);
  for (const r of tally.listed.sort((a, b) => a.line - b.line))
    print(`  line ${r.line}${r.field ? ` (${r.field})` : ''}: ${r.error}`);
  if (tally.rejected > tally.listed.length) print(`  … and ${tally.rejected - tally.listed.length} more`);
  if (tally.rejected > 0) {
    print('the rejected lines were skipped and everything else is stored; fix them and run the file again');
  }
  return 0;
}

export const BACKFILL_COMMANDS: Command[] = [
  command({
    name: 'backfill',
    usage: '<file.jsonl>',
    description:
      'load counter readings, one JSON observation a line (an item of POST /v1/observations),\n' +
      'in batches of 1000; bad lines are reported by number and skipped (exit 0);\n' +
      'an unreadable file exits 1',
    parse: (args) => positionalsOf(readOptions(args, {}, true).positionals, ['<file.jsonl>'])[0],
    run: (path, cli) => cli.withApp((app) => runBackfill(app.get(StatsService), path, cli.print)),
  }),
];
