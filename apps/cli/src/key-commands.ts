import { parseArgs } from 'node:util';
import type { ApiKeyDto, ApiKeysService } from '@modelpulse/core/auth';

export const KEYS_USAGE = `  keys create --name <name> --scope <scope> [--scope <scope>…] [--source <source>…]
                            make an API key (scopes: catalog:write, stats:ingest, admin);
                            a stats:ingest key writes only the sources named (events: /v1/events);
                            prints its secret, the only time it is shown
  keys list                 every key: id, prefix, scopes, created, last used, revoked, name
  keys revoke <id>          revoke a key: it answers 401 from now on`;

export type KeysCommand =
  | { action: 'create'; name: string; scopes: string[]; sources: string[] }
  | { action: 'list' }
  | { action: 'revoke'; id: string };

/** The command the arguments after `keys` ask for, or null (the caller prints the usage). */
export function parseKeysCommand(args: string[]): KeysCommand | null {
  const [action, ...rest] = args;
  switch (action) {
    case 'create': {
      try {
        const { values } = parseArgs({
          args: rest,
          options: {
            name: { type: 'string' },
            scope: { type: 'string', multiple: true },
            source: { type: 'string', multiple: true },
          },
          strict: true,
          allowPositionals: false,
        });
        if (values.name === undefined || values.scope === undefined) return null;
        return { action: 'create', name: values.name, scopes: values.scope, sources: values.source ?? [] };
      } catch {
        // parseArgs throws on an unknown option or a missing value: a usage error.
        return null;
      }
    }
    case 'list':
      return rest.length === 0 ? { action: 'list' } : null;
    case 'revoke':
      return rest.length === 1 ? { action: 'revoke', id: rest[0] } : null;
    default:
      return null;
  }
}

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
