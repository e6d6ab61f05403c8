/**
 * Rows read with raw SQL (named statements, `SELECT p.*`, `to_jsonb(a)`) mapped to the drizzle table's own row
 * type through the table's column metadata: every column the schema declares is read — a row that lacks one is
 * an error, never a silent `undefined` — and each value goes through its column's own driver mapping (bigint
 * columns to bigint, timestamps to Date, smallint to number), as drizzle's query builder would do it.
 */
import { type Table, getTableColumns, getTableName } from 'drizzle-orm';

export type RawRow = Record<string, unknown>;

export function rowMapper<T extends Table>(table: T): (raw: RawRow) => T['$inferSelect'] {
  const columns = Object.entries(getTableColumns(table));
  const name = getTableName(table);
  return (raw) => {
    const row: Record<string, unknown> = {};
    for (const [key, column] of columns) {
      if (!(column.name in raw)) throw new Error(`a ${name} row read without its column ${column.name}`);
      const value = raw[column.name];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row;
  };
}

/** Integers read from raw SQL (int8 arrives as a string, JSON as a number) as bigint: ids, not amounts. */
export function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new TypeError(`not an integer: ${String(value)}`);
}
