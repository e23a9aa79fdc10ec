import { parseArgs } from 'node:util';
import { isValidIdPart, isValidModelId } from '@modelpulse/core/catalog';
import {
  AUTHOR_IMPORT_LIMIT,
  type ImportResult,
  type ImportService,
  type ImportStatus,
  type ImportSummary,
} from '@modelpulse/core/sync';

export const IMPORT_USAGE = `  import huggingface <org/name>…
                            import models from the hub: create those the catalogue lacks,
                            update the others (never a field a person set)
  import huggingface --author <org> [--limit <n>]
                            import every model of a hub author, most downloaded first
                            (at most ${AUTHOR_IMPORT_LIMIT} unless told otherwise)`;

export type ImportCommand = { action: 'ids'; ids: string[] } | { action: 'author'; author: string; limit: number };

/** The command the arguments after `import` ask for, or null (the caller prints the usage). */
export function parseImportCommand(args: string[]): ImportCommand | null {
  const [source, ...rest] = args;
  if (source !== 'huggingface') return null;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { author: { type: 'string' }, limit: { type: 'string' } },
      strict: true,
      allowPositionals: true,
    });
  } catch {
    // parseArgs throws on an unknown option or a missing value: a usage error.
    return null;
  }
  const { values, positionals } = parsed;
  if (values.author !== undefined) {
    const limit = values.limit === undefined ? AUTHOR_IMPORT_LIMIT : Number(values.limit);
    if (positionals.length > 0 || !isValidIdPart(values.author)) return null;
    if (!Number.isSafeInteger(limit) || limit < 1) return null;
    return { action: 'author', author: values.author, limit };
  }
  if (values.limit !== undefined || positionals.length === 0 || !positionals.every(isValidModelId)) return null;
  return { action: 'ids', ids: positionals };
}

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
