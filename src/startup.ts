/**
 * What every entry point does before it serves: check that Postgres and Redis answer (with one clear
 * line when they do not), create the database if missing, migrate, and open the platform's accounts.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Config } from './config.js';
import { createDatabase, ensureDatabase, runMigrations } from './db/client.js';

/** A start-up failure that deserves one line for the operator, not a stack trace. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/** postgres://user:***@host:port/db — never print a password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

const reason = (error: unknown) => {
  const e = error as { code?: string; message?: string };
  return e.code
    ? `${e.code}${e.message && !e.message.includes(e.code) ? ` (${e.message})` : ''}`
    : (e.message ?? String(error));
};

export async function checkPostgres(url: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new StartupError(`cannot reach PostgreSQL at ${redactUrl(url)}: ${reason(error)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function checkRedis(url: string): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 5_000,
    retryStrategy: () => null,
  });
  // The connect() rejection only says "Connection is closed"; the socket's own error says why.
  let cause: unknown;
  redis.on('error', (error) => {
    cause ??= error;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new StartupError(`cannot reach Redis at ${redactUrl(url)}: ${reason(cause ?? error)}`);
  } finally {
    redis.disconnect();
  }
}

/** Check both services, create the database when missing, apply migrations. */
export async function prepareDatabase(config: Config): Promise<{ created: boolean }> {
  await Promise.all([checkPostgres(config.DATABASE_URL), checkRedis(config.REDIS_URL)]);
  const created = await ensureDatabase(config.DATABASE_URL);
  const database = createDatabase(config.DATABASE_URL, { poolSize: 2, applicationName: 'pintu-migrate' });
  try {
    await runMigrations(database);
  } finally {
    await database.close();
  }
  return { created };
}
