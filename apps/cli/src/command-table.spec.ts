import { commandHelp, findCommand, fullUsage, readOptions, usageLine, UsageError } from './command-table';
import { parsePurgeCommand } from './catalog-commands';
import { COMMANDS } from './commands';

describe('the command table', () => {
  it('finds a command by its words, the longest match first, and hands on the rest', () => {
    const found = findCommand(COMMANDS, ['keys', 'revoke', 'some-id']);
    expect(found?.entry.name).toBe('keys revoke');
    expect(found?.rest).toEqual(['some-id']);
    expect(findCommand(COMMANDS, ['purge', 'acme/a'])?.rest).toEqual(['acme/a']);
    expect(findCommand(COMMANDS, ['keys'])).toBeNull();
    expect(findCommand(COMMANDS, ['rebuild'])).toBeNull();
  });

  it('has one row per name, and the full usage shows every row with its usage line', () => {
    const names = COMMANDS.map((entry) => entry.name);
    expect(new Set(names).size).toBe(names.length);
    const usage = fullUsage(COMMANDS).split('\n');
    for (const entry of COMMANDS) {
      expect(usage).toContain(`  ${usageLine(entry).replace('usage: npm run cli -- ', '')}`);
      expect(commandHelp(entry).split('\n')[0]).toBe(usageLine(entry));
    }
  });
});

describe('readOptions', () => {
  it('names the option at fault, without node’s hint about --', () => {
    const options = { name: { type: 'string' } } as const;
    expect(() => readOptions(['--nmae', 'x'], options, false)).toThrow(new UsageError('unknown option --nmae'));
    expect(() => readOptions(['--name'], options, false)).toThrow(new UsageError('--name needs a value'));
    expect(() => readOptions(['extra'], options, false)).toThrow(new UsageError('unexpected argument extra'));
    expect(readOptions(['--name=x'], options, false).values).toEqual({ name: 'x' });
  });
});

describe('parsePurgeCommand', () => {
  it('reads the id, --force and --yes (or -y), in any order', () => {
    expect(parsePurgeCommand(['acme/a'])).toEqual({ id: 'acme/a', force: false, yes: false });
    expect(parsePurgeCommand(['--yes', 'acme/a', '--force'])).toEqual({ id: 'acme/a', force: true, yes: true });
    expect(parsePurgeCommand(['-y', 'acme/a'])).toEqual({ id: 'acme/a', force: false, yes: true });
  });

  it.each([
    [[], 'missing <org/name>'],
    [['acme/a', 'acme/b'], 'unexpected argument acme/b'],
    [['acme'], 'not a model id: "acme" (expected org/name)'],
    [['acme/a', '--really'], 'unknown option --really'],
  ])('refuses %j: %s', (args, message) => {
    expect(() => parsePurgeCommand(args)).toThrow(new UsageError(message));
  });
});
