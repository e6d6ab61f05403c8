/**
 * Hot-path statements as named prepared statements on `database.named` (src/db/client.ts): PostgreSQL parses
 * and plans each once per connection (its generic plan). Built with drizzle's `sql` (so parameters stay
 * parameters) and sent through `pg`.
 * A name must always carry the same text: build these statements without conditional fragments.
 */
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';

const dialect = new PgDialect();

export async function runNamed<T extends pg.QueryResultRow>(
  pool: pg.Pool,
  name: string,
  query: SQL,
): Promise<T[]> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  const result = await pool.query<T>({ name, text, values: params });
  return result.rows;
}
