/**
 * The lines `npm start` (and the API and worker entry points) print as they
 * start, one per step, before the logger is wired: starting PostgreSQL,
 * migrating, seeding. Plain text on stderr, so stdout stays the JSON log
 * stream. Silent unless an entry point turns it on: the CLI and the tests
 * build the same modules and print none of it.
 */
let write: ((line: string) => void) | null = null;

export function reportStartupSteps(to: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): void {
  write = to;
}

export function startupStep(text: string): void {
  write?.(`modelpulse: ${text}`);
}
