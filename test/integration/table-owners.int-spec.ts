import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database';

const ROOT = join(__dirname, '..', '..');

/** The rows of the table of owners in docs/architecture.md: table → the one file that writes it. */
function documentedOwners(): Map<string, { file: string; context: string }> {
  const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Who writes each table'));
  const owners = new Map<string, { file: string; context: string }>();
  for (const line of section.split('\n')) {
    const row = /^\|\s*`([a-z_]+)`\s*\|\s*`([^`]+)`[^|]*\|\s*([a-z-]+)\s*\|/.exec(line);
    if (row) owners.set(row[1], { file: row[2], context: row[3] });
  }
  return owners;
}

/** Source files of apps/ and libs/, tests aside. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** Which tables each file writes: SQL statements, and TypeORM repositories of an entity (by its table name). */
function writtenTables(tables: Set<string>): Map<string, Set<string>> {
  const entityTables = new Map<string, string>();
  const files = [...sourceFiles(join(ROOT, 'apps')), ...sourceFiles(join(ROOT, 'libs'))];
  const texts = new Map(files.map((file) => [relative(ROOT, file), readFileSync(file, 'utf8')]));
  for (const text of texts.values()) {
    for (const match of text.matchAll(/@Entity\('([a-z_]+)'\)[^]*?export class (\w+)/g))
      entityTables.set(match[2], match[1]);
  }
  const writers = new Map<string, Set<string>>();
  const add = (table: string, file: string) => {
    if (!tables.has(table)) return;
    if (!writers.has(table)) writers.set(table, new Set());
    writers.get(table)!.add(file);
  };
  for (const [file, text] of texts) {
    for (const match of text.matchAll(/\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+([a-z_]+)/g)) {
      add(match[1], file);
    }
    for (const match of text.matchAll(/getRepository\((\w+)\)/g)) add(entityTables.get(match[1]) ?? '', file);
  }
  return writers;
}

/**
 * Every table of the public schema has one owner: the repository that
 * docs/architecture.md names, and no other file holds an INSERT, UPDATE or
 * DELETE of it.
 */
describe('who writes each table', () => {
  let db: TestDatabase;
  let tables: Set<string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const rows = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations'`,
    );
    await client.end();
    tables = new Set(rows.rows.map((r) => r.table_name));
  });

  afterAll(() => db?.drop());

  it('lists every table of the migrated schema, and only those', () => {
    expect([...documentedOwners().keys()].sort()).toEqual([...tables].sort());
  });

  it('names for each table one repository in the context it names', () => {
    for (const [table, owner] of documentedOwners()) {
      expect({ table, file: owner.file }).toEqual({
        table,
        file: expect.stringMatching(new RegExp(`^libs/core/src/${owner.context}/.*\\.repository\\.ts$`)),
      });
    }
  });

  it("finds each table's writes in its owner's file alone", () => {
    const writers = writtenTables(tables);
    const owners = documentedOwners();
    for (const table of tables) {
      expect({ table, writers: [...(writers.get(table) ?? [])].sort() }).toEqual({
        table,
        writers: [owners.get(table)?.file],
      });
    }
  });
});
