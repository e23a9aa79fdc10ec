import { SeedService } from '@modelpulse/core/catalog';
import { DEMO_FROM, DEMO_TO, DemoService } from '@modelpulse/core/demo';
import { command, readOptions, type Command } from './command-table';

/**
 * Loads or removes the demo. Loading applies the catalogue seed first, as
 * `npm start` does, so that a demo run before the service ever started has
 * the seeded models to tell about (the seed never overwrites a person's edit).
 */
export async function runDemoCommand(
  demo: DemoService,
  command: { remove: boolean },
  print: (line: string) => void,
  seeds?: SeedService,
): Promise<number> {
  if (command.remove) {
    const removed = await demo.remove();
    print(`demo: removed ${removed.readings} readings of ${removed.models} models`);
    return 0;
  }
  const seeded = await seeds?.apply();
  if (seeded && seeded.created.length > 0)
    print(`demo: the catalogue seed added ${seeded.created.length} models first`);
  const loaded = await demo.load();
  print(
    `demo: ${loaded.models} models, ${loaded.accepted} readings stored, ${loaded.duplicates} already there; ` +
      `${loaded.skipped} models left out (another source counts them)`,
  );
  print(`demo: rankings of the demo are asked for with a date in it, e.g. /v1/rankings/trending?asOf=2025-01-27`);
  return 0;
}

export const DEMO_COMMANDS: Command[] = [
  command({
    name: 'demo',
    usage: '[--remove]',
    description:
      `load a demo history (${DEMO_FROM} to ${DEMO_TO}) for the models no source counts yet,\n` +
      'stored as the source demo and marked "demo data"; --remove takes it away',
    parse: (args) => ({
      remove: readOptions(args, { remove: { type: 'boolean' } }, false).values.remove === true,
    }),
    run: (parsed, cli) =>
      cli.withApp((app) => runDemoCommand(app.get(DemoService), parsed, cli.print, app.get(SeedService))),
  }),
];
