import { isValidIdPart, isValidModelId } from '@modelpulse/core/catalog';
import {
  AUTHOR_IMPORT_LIMIT,
  ImportService,
  type ImportResult,
  type ImportStatus,
  type ImportSummary,
} from '@modelpulse/core/sync';
import { command, readOptions, UsageError, type Command } from './command-table';

export type ImportCommand = { action: 'ids'; ids: string[] } | { action: 'author'; author: string; limit: number };

/** The command the arguments after `import` ask for; a UsageError names what is wrong. */
export function parseImportCommand(args: string[]): ImportCommand {
  const [source, ...rest] = args;
  if (source === undefined) throw new UsageError('missing the hub (huggingface)');
  if (source !== 'huggingface') throw new UsageError(`unknown hub ${source} (only huggingface)`);
  const { values, positionals } = readOptions(rest, { author: { type: 'string' }, limit: { type: 'string' } }, true);
  if (values.author !== undefined) {
    if (positionals.length > 0) throw new UsageError(`--author takes no model ids (got ${positionals[0]})`);
    if (!isValidIdPart(values.author)) throw new UsageError(`--author must be a hub author, got "${values.author}"`);
    const limit = values.limit === undefined ? AUTHOR_IMPORT_LIMIT : Number(values.limit);
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new UsageError(`--limit must be a whole number above 0, got "${values.limit}"`);
    }
    return { action: 'author', author: values.author, limit };
  }
  if (values.limit !== undefined) throw new UsageError('--limit goes with --author');
  if (positionals.length === 0) throw new UsageError('missing <org/name> (or --author <org>)');
  const bad = positionals.find((id) => !isValidModelId(id));
  if (bad !== undefined) throw new UsageError(`not a model id: "${bad}" (expected org/name)`);
  return { action: 'ids', ids: positionals };
}

export const IMPORT_COMMANDS: Command[] = [
  command({
    name: 'import',
    usage: 'huggingface <org/name>… | huggingface --author <org> [--limit <n>]',
    description:
      'import models from the hub: create those the catalogue lacks, update the others\n' +
      '(never a field a person set); --author imports every model of a hub author,\n' +
      `most downloaded first (at most ${AUTHOR_IMPORT_LIMIT} unless --limit says otherwise)`,
    parse: parseImportCommand,
    run: (parsed, cli) => cli.withApp((app) => runImportCommand(app.get(ImportService), parsed, cli.print)),
  }),
];

const STATUSES: ImportStatus[] = ['created', 'updated', 'unchanged', 'gone', 'gated', 'failed'];

function line(result: ImportResult): string {
  let text = `${result.status.padEnd(9)} ${result.id}`;
  if (result.renamedTo) text += ` → ${result.renamedTo} (renamed on the hub)`;
  if (result.error) text += `: ${result.error}`;
  return text;
}

/** Prints one line per model and a summary; exits 1 when a model failed, so scripts notice. */
export async function runImportCommand(
  imports: ImportService,
  command: ImportCommand,
  print: (line: string) => void,
): Promise<number> {
  let summary: ImportSummary;
  switch (command.action) {
    case 'ids':
      summary = await imports.importModels(command.ids);
      break;
    case 'author':
      summary = await imports.importAuthor(command.author, command.limit);
      if (summary.results.length === 0) print(`no models of ${command.author} on the hub`);
      break;
  }
  summary.results.forEach((result) => print(line(result)));
  const counts = STATUSES.map((status) => `${summary.results.filter((r) => r.status === status).length} ${status}`);
  const requests = summary.upstreamRequests;
  print(`${counts.join(', ')}; ${requests} ${requests === 1 ? 'request' : 'requests'} to the hub`);
  return summary.results.some((r) => r.status === 'failed') ? 1 : 0;
}
