/**
 * Builds one migrated template database per test run. Each test file then clones it
 * (`CREATE DATABASE … TEMPLATE`) into a database of its own, so files run in parallel safely.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDatabase, runMigrations } from '../../src/db/client.js';
import { grantRuntimeRole, withUser } from '../../src/db/roles.js';
import { ADMIN_URL, RUNTIME_ROLE, databaseUrl } from './env.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const TEMPLATE_DB = `pintu_tpl_${randomBytes(4).toString('hex')}`;
  project.provide('templateDb', TEMPLATE_DB);
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DB}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
  } finally {
    await admin.end();
  }
  const database = createDatabase(databaseUrl(TEMPLATE_DB), { poolSize: 2 });
  try {
    await runMigrations(database);
  } finally {
    await database.close();
  }
  // Table privileges are copied with the template: every test database grants the runtime role the same.
  await grantRuntimeRole(databaseUrl(TEMPLATE_DB), withUser(databaseUrl(TEMPLATE_DB), RUNTIME_ROLE));
  return async () => {
    const client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DB}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
}
