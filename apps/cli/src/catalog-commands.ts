import { isValidModelId, ModelsService, SeedService } from '@modelpulse/core/catalog';
import { command, positionalsOf, readOptions, UsageError, type CliContext, type Command } from './command-table';

export interface PurgeCommand {
  id: string;
  /** Purge a live (not deleted) model too. */
  force: boolean;
  /** Do not ask first. */
  yes: boolean;
}

export function parsePurgeCommand(args: string[]): PurgeCommand {
  const { values, positionals } = readOptions(
    args,
    { force: { type: 'boolean' }, yes: { type: 'boolean', short: 'y' } },
    true,
  );
  const [id] = positionalsOf(positionals, ['<org/name>']);
  if (!isValidModelId(id)) throw new UsageError(`not a model id: "${id}" (expected org/name)`);
  return { id, force: values.force === true, yes: values.yes === true };
}

/**
 * Purges a model: a live one only with --force, and only after a "y" on the
 * terminal unless --yes. Without a terminal to ask on, it refuses (exit 2)
 * rather than guess: a script says --yes.
 */
export async function runPurgeCommand(
  models: ModelsService,
  command: PurgeCommand,
  cli: Pick<CliContext, 'print' | 'printError' | 'prompt'>,
): Promise<number> {
  const target = await models.purgeTarget(command.id);
  if (!target.archived && !command.force) {
    cli.printError(
      `modelpulse: ${target.id} is live (not deleted); nothing was purged. ` +
        `DELETE /v1/models/${target.id} archives it and keeps its history; purge --force removes it anyway`,
    );
    return 1;
  }
  if (!command.yes) {
    if (!cli.prompt) {
      cli.printError('modelpulse purge: stdin is not a terminal, so there is no one to ask; pass --yes to purge');
      return 2;
    }
    const state = target.archived ? 'deleted' : 'LIVE';
    const answer = await cli.prompt(`purge ${target.id} (${state}) and all its history for good? [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) {
      cli.printError('nothing purged');
      return 1;
    }
  }
  cli.print(`purged ${await models.purge(target.id, { evenIfLive: command.force })}`);
  return 0;
}

export const CATALOG_COMMANDS: Command[] = [
  command({
    name: 'seed',
    usage: '',
    description: 'apply the catalogue seed now (never overwrites what a person changed)',
    parse: (args) => positionalsOf(readOptions(args, {}, true).positionals, []),
    run: (_, cli) =>
      cli.withApp(async (app) => {
        const result = await app.get(SeedService).apply({ force: true });
        cli.print(
          `seed: ${result.created.length} created, ${result.updated.length} updated, ${result.skippedArchived.length} deleted models left deleted`,
        );
        return 0;
      }),
  }),
  command({
    name: 'purge',
    usage: '<org/name> [--force] [--yes]',
    description:
      'remove a deleted model and all its history for good, after asking (--yes: do not ask;\n' +
      'needed when stdin is not a terminal); a live model only with --force',
    parse: parsePurgeCommand,
    run: (parsed, cli) => cli.withApp((app) => runPurgeCommand(app.get(ModelsService), parsed, cli)),
  }),
];
