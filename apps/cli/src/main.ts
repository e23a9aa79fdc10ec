import 'reflect-metadata';
import { createInterface } from 'node:readline/promises';
import { NestFactory } from '@nestjs/core';
import { loadEnv } from '@modelpulse/config';
import { DomainError } from '@modelpulse/core/catalog';
import { DatabaseServer, exitOnStartupError } from '@modelpulse/database';
import { CliModule } from './cli.module';
import {
  commandHelp,
  findCommand,
  fullUsage,
  HELP_FLAGS,
  usageLine,
  UsageError,
  type CliContext,
} from './command-table';
import { COMMANDS } from './commands';

const context: CliContext = {
  async withApp(work) {
    // Buffered until the context is up, so a failed start is main's one line, not Nest's error and stack too.
    const app = await NestFactory.createApplicationContext(CliModule, {
      logger: ['error', 'warn'],
      bufferLogs: true,
      autoFlushLogs: false,
      abortOnError: false,
    });
    app.flushLogs();
    const server = app.get(DatabaseServer);
    try {
      return await work(app);
    } finally {
      await app.close();
      await server.stop();
    }
  },
  async withServer(work) {
    const env = loadEnv();
    const server = await DatabaseServer.open({ url: env.databaseUrl, dataDir: env.dataDir });
    try {
      return await work(server);
    } finally {
      await server.stop();
    }
  },
  print: (line) => console.log(line),
  printError: (line) => console.error(line),
  prompt: process.stdin.isTTY
    ? async (question) => {
        const terminal = createInterface({ input: process.stdin, output: process.stdout });
        try {
          return await terminal.question(question);
        } finally {
          terminal.close();
        }
      }
    : null,
};

/**
 * Finds the command's row, answers --help (exit 0), turns a usage error into
 * one line naming the argument and the command's usage line (exit 2), and
 * runs the rest.
 */
async function run(args: string[]): Promise<number> {
  if (args.length === 1 && (HELP_FLAGS.has(args[0]) || args[0] === 'help')) {
    console.log(fullUsage(COMMANDS));
    return 0;
  }
  if (args.length === 0) {
    console.error(fullUsage(COMMANDS));
    return 2;
  }
  const found = findCommand(COMMANDS, args);
  if (!found) {
    // A group such as `keys`: its own commands are the usage.
    const group = COMMANDS.filter((entry) => entry.name.startsWith(`${args[0]} `));
    if (group.length === 0) {
      console.error(`modelpulse: unknown command ${args[0]}; npm run cli -- --help lists them`);
      return 2;
    }
    if (HELP_FLAGS.has(args[1])) {
      group.forEach((entry) => console.log(usageLine(entry)));
      return 0;
    }
    const actions = group.map((entry) => entry.name.split(' ')[1]).join(', ');
    console.error(
      `modelpulse ${args[0]}: ${args[1] === undefined ? 'missing' : `unknown command ${args[1]}; expected`} ${actions}`,
    );
    group.forEach((entry) => console.error(usageLine(entry)));
    return 2;
  }
  const { entry, rest } = found;
  if (rest.some((arg) => HELP_FLAGS.has(arg))) {
    console.log(commandHelp(entry));
    return 0;
  }
  let parsed: unknown;
  try {
    parsed = entry.parse(rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`modelpulse ${entry.name}: ${error.message}`);
    console.error(usageLine(entry));
    return 2;
  }
  return entry.run(parsed, context);
}

run(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    if (error instanceof DomainError) {
      console.error(`modelpulse: ${error.message}`);
      process.exit(1);
    }
    exitOnStartupError(error);
  });
