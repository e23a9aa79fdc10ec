import { DEMO_FROM, DEMO_TO, type DemoService } from '@modelpulse/core/demo';

export const DEMO_USAGE = `  demo [--remove]           load a demo history (${DEMO_FROM} to ${DEMO_TO}) for the models no source counts
                            yet, stored as the source demo and marked "demo data"; --remove takes it away`;

/** `demo` or `demo --remove`; null for anything else. */
export function parseDemoCommand(args: string[]): { remove: boolean } | null {
  if (args.length === 0) return { remove: false };
  if (args.length === 1 && args[0] === '--remove') return { remove: true };
  return null;
}

export async function runDemoCommand(
  demo: DemoService,
  command: { remove: boolean },
  print: (line: string) => void,
): Promise<number> {
  if (command.remove) {
    const removed = await demo.remove();
    print(`demo: removed ${removed.readings} readings of ${removed.models} models`);
    return 0;
  }
  const loaded = await demo.load();
  print(
    `demo: ${loaded.models} models, ${loaded.accepted} readings stored, ${loaded.duplicates} already there; ` +
      `${loaded.skipped} models left out (another source counts them)`,
  );
  print(`demo: rankings of the demo are asked for with a date in it, e.g. /v1/rankings/trending?asOf=2025-01-27`);
  return 0;
}
