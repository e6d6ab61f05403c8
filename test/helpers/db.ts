/**
 * A database of the test file's own, cloned from the migrated template, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, createDatabase, runMigrations } from '../../src/db/client.js';
import { grantRuntimeRole, withUser } from '../../src/db/roles.js';
import { ADMIN_URL, RUNTIME_ROLE, databaseUrl } from './env.js';

export interface TestDatabase extends Database {
  name: string;
  /** As the owner (superuser): migrations, and tests that break things on purpose. */
  url: string;
  /** As the runtime role the app uses (no UPDATE/DELETE of history, no ALTER). */
  runtimeUrl: string;
  /** Run SQL as the superuser on this database (e.g. to break an invariant on purpose). */
  superuser<T extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<T>>;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>, adminUrl = ADMIN_URL): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A database of the test's own. On the shared server it is cloned from the migrated template; on
 * another server (`base`, e.g. a private one a test will restart) it is created and migrated.
 */
export async function createTestDatabase(poolSize = 10, base?: string): Promise<TestDatabase> {
  const name = `pintu_t_${randomBytes(6).toString('hex')}`;
  const adminUrl = base ? `${base}/postgres` : ADMIN_URL;
  if (base) {
    await admin((c) => c.query(`CREATE DATABASE "${name}"`), adminUrl);
    const migrating = createDatabase(`${base}/${name}`, { poolSize: 2 });
    await runMigrations(migrating);
    await migrating.close();
    await grantRuntimeRole(`${base}/${name}`, withUser(`${base}/${name}`, RUNTIME_ROLE));
  } else {
    const template = inject('templateDb');
    // CREATE DATABASE … TEMPLATE needs the template to have no other sessions; retry briefly if busy.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
        break;
      } catch (error) {
        if (attempt >= 20 || (error as { code?: string }).code !== '55006') throw error;
        await new Promise((r) => setTimeout(r, 100 + attempt * 50));
      }
    }
  }
  const url = base ? `${base}/${name}` : databaseUrl(name);
  const database = createDatabase(url, { poolSize, applicationName: 'pintu-test' });
  return {
    ...database,
    name,
    url,
    runtimeUrl: withUser(url, RUNTIME_ROLE),
    async superuser(text, values) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return await client.query(text, values);
      } finally {
        await client.end();
      }
    },
    async drop() {
      await database.close().catch(() => undefined);
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`), adminUrl);
    },
  };
}
