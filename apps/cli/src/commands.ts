import { BACKFILL_COMMANDS } from './backfill-command';
import { CATALOG_COMMANDS } from './catalog-commands';
import type { Command } from './command-table';
import { DEMO_COMMANDS } from './demo-command';
import { IMPORT_COMMANDS } from './import-commands';
import { KEYS_COMMANDS } from './key-commands';
import { SCHEMA_COMMANDS } from './schema-commands';
import { SYNC_COMMANDS } from './sync-command';

/**
 * Every command of `npm run cli`, in the order --help lists them. A new
 * command is one more row (its file exports its rows): name, usage line,
 * description, parse, run.
 */
export const COMMANDS: readonly Command[] = [
  ...CATALOG_COMMANDS,
  ...IMPORT_COMMANDS,
  ...KEYS_COMMANDS,
  ...SYNC_COMMANDS,
  ...BACKFILL_COMMANDS,
  ...DEMO_COMMANDS,
  ...SCHEMA_COMMANDS,
];
