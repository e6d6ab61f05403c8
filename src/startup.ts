/**
 * What every entry point does before it serves: check that Postgres and Redis answer (with one clear
 * line when they do not), create the database if missing, migrate, and open the platform's accounts.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Config } from './config.js';
import { createDatabase, ensureDatabase, runMigrations } from './db/client.js';
import { type RuntimeRole, grantRuntimeRole, inspectRuntimeRole } from './db/roles.js';

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

/**
 * Check both services, create the database when missing, apply migrations as the owner, and give the runtime
 * role its privileges. Production refuses a runtime role that could rewrite history (the owner, a superuser).
 */
export async function prepareDatabase(config: Config): Promise<{ created: boolean; runtime: RuntimeRole }> {
  const owner = config.DATABASE_OWNER_URL;
  // One URL for both, and it is a role that cannot rewrite history: it cannot migrate either, only check.
  if (owner !== undefined && owner === config.DATABASE_URL && (await isProtectedRuntime(config.DATABASE_URL)))
    return prepareDatabase({ ...config, DATABASE_OWNER_URL: undefined });
  if (owner === undefined) {
    // Production without the owner's credentials: a migration job did the schema; only check this role.
    await Promise.all([checkPostgres(config.DATABASE_URL), checkRedis(config.REDIS_URL)]);
    let runtime: RuntimeRole;
    try {
      runtime = await inspectRuntimeRole(config.DATABASE_URL);
    } catch (error) {
      throw new StartupError(`cannot check the database: ${reason(error)}`);
    }
    refuseUnprotected(config, runtime);
    return { created: false, runtime };
  }
  await Promise.all([checkPostgres(owner), checkRedis(config.REDIS_URL)]);
  const created = await ensureDatabase(owner);
  const database = createDatabase(owner, { poolSize: 2, applicationName: 'pintu-migrate' });
  try {
    await runMigrations(database);
  } finally {
    await database.close();
  }
  let runtime: RuntimeRole;
  try {
    runtime = await grantRuntimeRole(owner, config.DATABASE_URL);
  } catch (error) {
    throw new StartupError(`cannot set up the runtime database role: ${reason(error)}`);
  }
  refuseUnprotected(config, runtime);
  await checkPostgres(config.DATABASE_URL);
  return { created, runtime };
}

async function isProtectedRuntime(url: string): Promise<boolean> {
  try {
    return (await inspectRuntimeRole(url)).unprotected === false;
  } catch (error) {
    // Behind on migrations is this role's to report: it could not migrate anyway.
    if (/ migrations: run /.test((error as Error).message)) throw new StartupError((error as Error).message);
    return false; // not reachable, not created or not migrated at all: the owner's path says why
  }
}

function refuseUnprotected(config: Config, runtime: RuntimeRole): void {
  if (runtime.unprotected && config.NODE_ENV === 'production')
    throw new StartupError(
      `DATABASE_URL connects as ${runtime.role}, ${
        runtime.unprotected === 'owner' ? 'the owner of the tables' : 'a superuser'
      }, who can rewrite the ledger's history: run the service as a role of its own (README, "Database roles")`,
    );
}

/** One line for the operator when history is not protected from the service (development only). */
export function runtimeRoleWarning(runtime: RuntimeRole): string | undefined {
  if (!runtime.unprotected) return undefined;
  return `the service connects to PostgreSQL as ${runtime.role} (${
    runtime.unprotected === 'owner' ? "the tables' owner" : 'a superuser'
  }): it could rewrite history; set DATABASE_OWNER_URL for migrations and DATABASE_URL to a role of its own`;
}
