import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { MIGRATIONS_DIR } from '../paths.js';
import * as schema from './schema/index.js';

export type Db = NodePgDatabase<typeof schema>;
declare const insideTransaction: unique symbol;
/**
 * A transaction handle: the same query API as `Db`, bound to one connection inside BEGIN … COMMIT. Branded,
 * so a function that locks rows (SELECT … FOR UPDATE means nothing outside a transaction) or must write with
 * others atomically says `tx: Tx` and the compiler refuses the pool; only withTransaction makes one.
 */
export type Tx = Db & { readonly [insideTransaction]: true };
/** Functions that only read, or write one statement, take either: the caller decides the boundary. */
export type DbOrTx = Db | Tx;

/** The pool behind each `Db`, so withTransaction can take a connection of its own. */
const pools = new WeakMap<Db, pg.Pool>();
/** One drizzle instance per physical connection (the pool reuses its client objects). */
const bound = new WeakMap<pg.PoolClient, Db>();

export interface Database {
  pool: pg.Pool;
  /**
   * The pool the hot path's named statements run on (src/db/raw.ts): its sessions use the generic plan of a
   * named statement from its first execution (`plan_cache_mode=force_generic_plan`). Left to choose, PostgreSQL
   * re-planned the acceptance statement on every payment (about 1 ms of its CPU each, under load); every other
   * statement keeps the default (a generic plan cannot use a partial index through a parameter). The same pool
   * as `pool` when created without `namedPoolSize`.
   */
  named: pg.Pool;
  db: Db;
  close(): Promise<void>;
}

export function createDatabase(
  url: string,
  options: {
    poolSize?: number;
    /** Connections for named statements, taken out of poolSize (0 or absent: they share the one pool). */
    namedPoolSize?: number;
    applicationName?: string;
    /** Called once per statement sent (a metrics counter: queries per payment in `npm run bench`). */
    onQuery?: () => void;
  } = {},
): Database {
  const size = options.poolSize ?? 20;
  const namedSize = Math.min(options.namedPoolSize ?? 0, size - 1);
  const open = (max: number, settings: string): pg.Pool => {
    const created = new pg.Pool({
      connectionString: url,
      max,
      application_name: options.applicationName ?? 'pintu',
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      options: settings,
    });
    // An idle client that loses its server (Postgres restart) emits 'error' on the pool; without a
    // listener that would crash the process. The next checkout simply opens a new connection.
    created.on('error', () => undefined);
    // The same for a client that is checked out (mid-transaction) when the server goes away: its query
    // rejects and the caller sees the error; the 'error' event itself must not crash the process.
    created.on('connect', (client) => {
      client.on('error', () => undefined);
      const { onQuery } = options;
      if (onQuery) {
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        (client as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
          onQuery();
          return query(...args);
        };
      }
    });
    return created;
  };
  // JIT compilation costs hundreds of ms on plans it misjudges as large (a report page once spent
  // 250 ms compiling for 4 ms of work); short OLTP statements never repay it.
  const pool = open(size - namedSize, '-c jit=off');
  const named = namedSize > 0 ? open(namedSize, '-c jit=off -c plan_cache_mode=force_generic_plan') : pool;
  const db = drizzle(pool, { schema });
  pools.set(db, pool);
  return {
    pool,
    named,
    db,
    close: async () => {
      await Promise.all([pool.end(), named === pool ? undefined : named.end()]);
    },
  };
}

/**
 * One way to run a unit of work atomically. Read committed; callers lock what they change.
 *
 * Not drizzle's `db.transaction`: it issues BEGIN outside its try/finally, so a BEGIN that fails
 * (the server just went away) never releases the connection, and it returns broken connections to the
 * pool. After a PostgreSQL restart that leaked connections until the pool was exhausted. Here the
 * connection is always released, and destroyed when it can no longer be trusted.
 */
export async function withTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const pool = pools.get(db);
  if (!pool) throw new Error('withTransaction needs a Db made by createDatabase');
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    let tx = bound.get(client);
    if (!tx) {
      tx = drizzle(client, { schema });
      bound.set(client, tx);
    }
    const result = await work(tx as Tx);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Create the database named in `url` when it does not exist (connects to the `postgres` database). */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(name)) throw new Error(`unsupported database name "${name}"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } catch (error) {
      // Another process created it between our check and our CREATE.
      if ((error as { code?: string }).code !== '42P04') throw error;
      return false;
    }
    return true;
  } finally {
    await client.end();
  }
}

const MIGRATION_LOCK = 7_041_999_001;

/** Apply pending migrations. An advisory lock keeps concurrent starters (api + worker) from racing. */
export async function runMigrations(database: Database): Promise<void> {
  const lockClient = await database.pool.connect();
  try {
    await lockClient.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(database.db, { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await lockClient.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    lockClient.release();
  }
}
