import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_ENTITIES } from '@modelpulse/core/entities';
import { scratchSchemaDrift, type DatabaseServer } from '@modelpulse/database';
import { command, positionalsOf, readOptions, UsageError, type Command } from './command-table';

/** Fails (exit code 1) when the entities need SQL that no migration has. */
export async function migrationCheck(server: DatabaseServer): Promise<number> {
  const { up: pending } = await scratchSchemaDrift(server.url, CORE_ENTITIES);
  if (pending.length === 0) {
    console.log('migrations and entities agree');
    return 0;
  }
  console.error('entities and migrations drift; `npm run migration:generate -- <Name>` would add:');
  for (const query of pending) console.error(`  ${query};`);
  return 1;
}

/** Writes a migration with the SQL that brings the migrated schema in line with the entities. */
export async function migrationGenerate(server: DatabaseServer, name: string): Promise<number> {
  const sql = await scratchSchemaDrift(server.url, CORE_ENTITIES);
  if (sql.up.length === 0) {
    console.log('nothing to generate: migrations and entities agree');
    return 0;
  }
  const timestamp = Date.now();
  const quote = (query: string) =>
    '`' + query.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
  const lines = (queries: string[]) => queries.map((q) => `    await queryRunner.query(${quote(q)});`).join('\n');
  const file = join(process.cwd(), 'migrations', `${timestamp}-${name}.ts`);
  writeFileSync(
    file,
    `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${name}${timestamp} implements MigrationInterface {
  name = '${name}${timestamp}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${lines(sql.up)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${lines([...sql.down].reverse())}
  }
}
`,
  );
  console.log(`wrote ${file}; read it, then add ${name}${timestamp} to migrations/index.ts`);
  return 0;
}

export const SCHEMA_COMMANDS: Command[] = [
  command({
    name: 'migration:check',
    usage: '',
    description: 'fail (exit 1) when entities and migrations drift',
    parse: (args) => positionalsOf(readOptions(args, {}, true).positionals, []),
    run: (_, cli) => cli.withServer(migrationCheck),
  }),
  command({
    name: 'migration:generate',
    usage: '<Name>',
    description: 'write migrations/<timestamp>-<Name>.ts with the SQL of the drift (a PascalCase name)',
    parse: (args) => {
      const [name] = positionalsOf(readOptions(args, {}, true).positionals, ['<Name>']);
      if (!/^[A-Z][A-Za-z0-9]*$/.test(name))
        throw new UsageError(`<Name> must be PascalCase (AddModelNotes), got "${name}"`);
      return name;
    },
    run: (name, cli) => cli.withServer((server) => migrationGenerate(server, name)),
  }),
];
