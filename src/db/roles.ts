/**
 * Two database roles. Migrations run as the tables' owner (DATABASE_OWNER_URL); the service runs as a role of
 * its own (DATABASE_URL) that may read everything and insert into the journal but cannot UPDATE, DELETE or
 * TRUNCATE history, nor ALTER a table or disable its triggers (only an owner can). So a compromised or buggy
 * service cannot rewrite what happened, and the append-only triggers cannot be switched off from it.
 *
 * After every migration the owner (re)grants the runtime role its privileges, so new tables are covered.
 * Locally (`npm start`, trust authentication) a missing runtime role is created; in production the DBA
 * creates it with a password (README, "Database roles").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { MIGRATIONS_DIR } from '../paths.js';

/** How many migrations this release ships (drizzle's journal). */
function migrationCount(): number {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

/** History: insert and read only, for the runtime role. */
export const HISTORY_TABLES = [
  'journal_transactions',
  'entries',
  'journal_seals',
  'audit_log',
  'ledger_checkpoints',
  'ledger_verifications',
] as const;

export const userOf = (url: string): string => decodeURIComponent(new URL(url).username || 'postgres');

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`unsupported role name "${name}"`);
  return `"${name}"`;
};

export interface RuntimeRole {
  role: string;
  /** The runtime role is the owner itself (or a superuser): history is not protected from the service. */
  unprotected: false | 'owner' | 'superuser';
  created: boolean;
}

/**
 * Make sure the runtime role exists (creating it without a password when the owner may: local trust
 * authentication) and holds exactly the privileges the service needs. Run as the owner, after migrations.
 */
export async function grantRuntimeRole(ownerUrl: string, runtimeUrl: string): Promise<RuntimeRole> {
  const role = userOf(runtimeUrl);
  const client = new pg.Client({ connectionString: ownerUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const owner = (await client.query<{ u: string }>('SELECT current_user AS u')).rows[0]!.u;
    if (role === owner) return { role, unprotected: 'owner', created: false };
    let created = false;
    const found = await client.query<{ rolsuper: boolean }>(
      'SELECT rolsuper FROM pg_roles WHERE rolname = $1',
      [role],
    );
    if (found.rows[0]?.rolsuper) return { role, unprotected: 'superuser', created: false };
    if (!found.rowCount) {
      try {
        await client.query(`CREATE ROLE ${ident(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
        created = true;
      } catch (error) {
        const code = (error as { code?: string }).code;
        // Another process created it at the same moment.
        if (code !== '42710' && code !== '23505')
          throw new Error(
            `the database role "${role}" of DATABASE_URL does not exist and ${owner} cannot create it (${
              (error as Error).message
            }); create it: CREATE ROLE ${role} LOGIN PASSWORD '…'`,
            { cause: error },
          );
      }
    }
    const database = (await client.query<{ d: string }>('SELECT current_database() AS d')).rows[0]!.d;
    const r = ident(role);
    // Concurrent GRANTs on one object fail with "tuple concurrently updated": serialise the starters.
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock(7041999003)');
      await client.query(`GRANT CONNECT, TEMPORARY ON DATABASE "${database.replace(/"/g, '""')}" TO ${r}`);
      await client.query(`GRANT USAGE ON SCHEMA public TO ${r}`);
      await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`);
      await client.query(`REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM ${r}`);
      await client.query(`REVOKE UPDATE, DELETE ON ${HISTORY_TABLES.join(', ')} FROM ${r}`);
      await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`);
      // Read-only sight of the migration log, so a process without the owner's URL can tell it is behind.
      await client.query(`GRANT USAGE ON SCHEMA drizzle TO ${r}`);
      await client.query(`GRANT SELECT ON drizzle.__drizzle_migrations TO ${r}`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    return { role, unprotected: false, created };
  } finally {
    await client.end();
  }
}

/**
 * Check, as the runtime role itself, that it cannot rewrite history (production without the owner's URL):
 * not a superuser, not the journal's owner, no UPDATE on it. A schema that is not there is not migrated yet.
 */
export async function inspectRuntimeRole(runtimeUrl: string): Promise<RuntimeRole> {
  const client = new pg.Client({ connectionString: runtimeUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const found = await client.query<{
      role: string;
      su: boolean;
      owner: string | null;
      can_update: boolean | null;
    }>(`
      SELECT current_user AS role, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS su,
             (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'entries') AS owner,
             CASE WHEN to_regclass('public.entries') IS NULL THEN NULL
                  ELSE has_table_privilege('public.entries', 'UPDATE') END AS can_update`);
    const row = found.rows[0]!;
    if (row.owner === null)
      throw new Error('the database is not migrated: run `pintu migrate` with DATABASE_OWNER_URL first');
    const applied = await client
      .query<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations')
      .then((r) => r.rows[0]?.n ?? 0)
      .catch(() => undefined);
    const shipped = migrationCount();
    if (applied !== undefined && applied < shipped)
      throw new Error(
        `the database has ${applied} of this release's ${shipped} migrations: run \`pintu migrate\` with DATABASE_OWNER_URL first`,
      );
    if (row.su) return { role: row.role, unprotected: 'superuser', created: false };
    if (row.owner === row.role || row.can_update)
      return { role: row.role, unprotected: 'owner', created: false };
    return { role: row.role, unprotected: false, created: false };
  } finally {
    await client.end();
  }
}

/** The runtime URL: the owner's URL with the runtime role as its user (local default, tests). */
export function withUser(url: string, user: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = '';
  return u.toString();
}
