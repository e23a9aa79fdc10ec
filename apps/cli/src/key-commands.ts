import { ApiKeysService, type ApiKeyDto } from '@modelpulse/core/auth';
import { command, positionalsOf, readOptions, UsageError, type CliContext, type Command } from './command-table';

export type KeysCommand =
  | { action: 'create'; name: string; scopes: string[]; sources: string[] }
  | { action: 'list' }
  | { action: 'revoke'; id: string };

function parseCreate(args: string[]): KeysCommand {
  const { values } = readOptions(
    args,
    {
      name: { type: 'string' },
      scope: { type: 'string', multiple: true },
      source: { type: 'string', multiple: true },
    },
    false,
  );
  if (values.name === undefined) throw new UsageError('missing --name <name>');
  if (values.scope === undefined) throw new UsageError('missing --scope <scope>');
  return { action: 'create', name: values.name, scopes: values.scope, sources: values.source ?? [] };
}

function parseList(args: string[]): KeysCommand {
  positionalsOf(readOptions(args, {}, true).positionals, []);
  return { action: 'list' };
}

function parseRevoke(args: string[]): KeysCommand {
  const [id] = positionalsOf(readOptions(args, {}, true).positionals, ['<id>']);
  return { action: 'revoke', id };
}

/** The command the arguments after `keys` ask for; a UsageError names what is wrong. */
export function parseKeysCommand(args: string[]): KeysCommand {
  const [action, ...rest] = args;
  switch (action) {
    case 'create':
      return parseCreate(rest);
    case 'list':
      return parseList(rest);
    case 'revoke':
      return parseRevoke(rest);
    default:
      throw new UsageError(action === undefined ? 'missing create, list or revoke' : `unknown keys command ${action}`);
  }
}

const runWith = (parsed: KeysCommand, cli: CliContext) =>
  cli.withApp((app) => runKeysCommand(app.get(ApiKeysService), parsed, cli.print));

export const KEYS_COMMANDS: Command[] = [
  command({
    name: 'keys create',
    usage: '--name <name> --scope <scope> [--scope <scope>…] [--source <source>…]',
    description:
      'make an API key (scopes: catalog:write, stats:ingest, admin);\n' +
      'a stats:ingest key writes only the sources named (events: /v1/events);\n' +
      'prints its secret, the only time it is shown',
    parse: parseCreate,
    run: runWith,
  }),
  command({
    name: 'keys list',
    usage: '',
    description: 'every key: id, prefix, scopes, sources, created, last used, revoked, name',
    parse: parseList,
    run: runWith,
  }),
  command({
    name: 'keys revoke',
    usage: '<id>',
    description: 'revoke a key: it answers 401 from now on',
    parse: parseRevoke,
    run: runWith,
  }),
];

const minute = (date: Date | null) => (date ? date.toISOString().slice(0, 16).replace('T', ' ') : '-');

function table(keys: ApiKeyDto[]): string[] {
  const rows = [
    ['id', 'prefix', 'scopes', 'sources', 'created', 'last used', 'revoked', 'name'],
    ...keys.map((k) => [
      k.id,
      k.prefix,
      k.scopes.join(','),
      k.sources.join(',') || '-',
      minute(k.createdAt),
      minute(k.lastUsedAt),
      minute(k.revokedAt),
      k.name,
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd(),
  );
}

/** Runs a keys command; the secret of a new key goes on a line of its own, so scripts can take it. */
export async function runKeysCommand(
  keys: ApiKeysService,
  command: KeysCommand,
  print: (line: string) => void,
): Promise<number> {
  switch (command.action) {
    case 'create': {
      const key = await keys.create({ name: command.name, scopes: command.scopes, sources: command.sources }, null);
      const writes = key.sources.length ? `; writes ${key.sources.join(', ')}` : '';
      print(`created key ${key.id} "${key.name}" (${key.prefix}; ${key.scopes.join(', ')}${writes})`);
      print('its secret, shown this once (only a hash is kept):');
      print(key.secret);
      return 0;
    }
    case 'list': {
      const { data } = await keys.list();
      if (data.length === 0) print('no API keys yet: npm run cli -- keys create --name <name> --scope <scope>');
      else table(data).forEach((line) => print(line));
      return 0;
    }
    case 'revoke':
      await keys.revoke(command.id, null);
      print(`revoked ${command.id}`);
      return 0;
  }
}
