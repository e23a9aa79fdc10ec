import type { Client } from 'pg';

/**
 * Columns a request changes whatever it is answered: the key's last use is
 * recorded when the key is checked, before the request is judged.
 */
const VOLATILE_COLUMNS: Record<string, string[]> = { 'public.api_keys': ['last_used_at'] };

/**
 * One md5 per table over all its rows (every table of the app's schema and
 * pg-boss's job table), in one statement, so a change names its table.
 */
export async function digestQuery(client: Client): Promise<string> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE'
        AND (table_schema = 'public' OR (table_schema = 'pgboss' AND table_name = 'job'))
      ORDER BY 1`,
  );
  return rows
    .map(({ name }) => {
      const [schema, table] = name.split('.');
      const drop = (VOLATILE_COLUMNS[name] ?? []).map((column) => ` - '${column}'`).join('');
      return `SELECT '${name}' AS name, (SELECT coalesce(md5(string_agg(h, ',' ORDER BY h)), '') FROM
        (SELECT md5((to_jsonb(t)${drop})::text) AS h FROM "${schema}"."${table}" t) rows) AS digest`;
    })
    .join('\nUNION ALL\n');
}

export type Digest = Map<string, string>;

export async function digest(client: Client, sql: string): Promise<Digest> {
  const { rows } = await client.query<{ name: string; digest: string }>(sql);
  return new Map(rows.map((row) => [row.name, row.digest]));
}

/** The tables whose rows differ. */
export function changedTables(before: Digest, after: Digest): string[] {
  return [...after.keys()].filter((name) => before.get(name) !== after.get(name));
}

/**
 * The next transaction id PostgreSQL will hand out. It moves only when some
 * transaction writes (committed or not), so while it stands still no table
 * can have changed and the digest need not be taken again.
 */
export async function nextXid(client: Client): Promise<string> {
  const { rows } = await client.query<{ xid: string }>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xid');
  return rows[0].xid;
}
