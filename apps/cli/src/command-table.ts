import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { INestApplicationContext } from '@nestjs/common';
import type { DatabaseServer } from '@modelpulse/database';

/** A wrong or missing argument: main prints its message and the command's usage line, and exits 2. */
export class UsageError extends Error {}

/** What a command gets to work with; main.ts builds it, tests build their own. */
export interface CliContext {
  /** Runs `work` with the CLI's Nest application (database attached, migrated), then closes both. */
  withApp(work: (app: INestApplicationContext) => Promise<number>): Promise<number>;
  /** Runs `work` with the database server alone (no Nest), then stops it. */
  withServer(work: (server: DatabaseServer) => Promise<number>): Promise<number>;
  /** A line of the command's output, on stdout. */
  print(line: string): void;
  /** A line about a refusal or failure, on stderr. */
  printError(line: string): void;
  /** The terminal a command may ask a question on; null when stdin is not a terminal. */
  prompt: ((question: string) => Promise<string>) | null;
}

/**
 * One row of the command table: the words that name it (`keys create`), its
 * usage after those words, what it does, and how it reads and runs its
 * arguments. `parse` throws a UsageError naming the argument at fault.
 */
export interface Command<T = unknown> {
  name: string;
  usage: string;
  description: string;
  parse(args: string[]): T;
  run(parsed: T, cli: CliContext): Promise<number>;
}

/** Keeps each row's parse and run typed against each other while the table holds them side by side. */
export function command<T>(definition: Command<T>): Command {
  return definition as Command;
}

/** `npm run cli -- keys create --name <name> …`: the one-line usage main prints under a usage error. */
export function usageLine(entry: Pick<Command, 'name' | 'usage'>): string {
  return `usage: npm run cli -- ${entry.name}${entry.usage ? ` ${entry.usage}` : ''}`;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `parseArgs` in strict mode, with its errors turned into UsageErrors that
 * name the option (node's own messages do, but with a hint about `--` that
 * means nothing to a person at `npm run cli`).
 */
export function readOptions<O extends Options>(args: string[], options: O, allowPositionals: boolean) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : String(error);
    const option = /'(-[^' ]+)/.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${option ?? message}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(`${option ?? 'an option'} needs a value`);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw new UsageError(`unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? ''}`.trimEnd());
    }
    throw new UsageError(message);
  }
}

/** Exactly `count` positionals named `names` (for the error); anything else is a UsageError. */
export function positionalsOf(positionals: string[], names: string[]): string[] {
  if (positionals.length < names.length) throw new UsageError(`missing ${names[positionals.length]}`);
  if (positionals.length > names.length) throw new UsageError(`unexpected argument ${positionals[names.length]}`);
  return positionals;
}

export const HELP_FLAGS = new Set(['--help', '-h']);

/** The row the arguments name (the longest match of its words) and the arguments after them. */
export function findCommand(table: readonly Command[], args: string[]): { entry: Command; rest: string[] } | null {
  let best: { entry: Command; rest: string[] } | null = null;
  for (const entry of table) {
    const words = entry.name.split(' ');
    if (words.every((word, i) => args[i] === word) && (!best || words.length > best.entry.name.split(' ').length)) {
      best = { entry, rest: args.slice(words.length) };
    }
  }
  return best;
}

/** The whole usage: every row's usage line and what it does, grouped under its first word. */
export function fullUsage(table: readonly Command[]): string {
  const lines = ['usage: npm run cli -- <command> [--help]', ''];
  for (const entry of table) {
    lines.push(`  ${entry.name}${entry.usage ? ` ${entry.usage}` : ''}`);
    for (const line of entry.description.split('\n')) lines.push(`      ${line}`);
  }
  lines.push('', 'exit codes: 0 done, 1 failed (a model or key not found, a failed run), 2 a usage error');
  return lines.join('\n');
}

/** One command's help: its usage line and what it does. */
export function commandHelp(entry: Command): string {
  return [usageLine(entry), '', ...entry.description.split('\n').map((line) => `  ${line}`)].join('\n');
}
