/**
 * The service's database role cannot rewrite history: every attempt to change, remove or hide journal
 * entries, seals, the audit trail or checkpoints is refused by PostgreSQL itself (not by our code), while
 * the service's own work (the rest of the suite runs as this role) goes through.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_TABLES, userOf } from '../../src/db/roles.js';
import { type TestApp, givenApp, givenKoperasi, givenMember, ledgerBreaches } from '../helpers/app.js';
import { RUNTIME_ROLE } from '../helpers/env.js';

let t: TestApp;
let runtime: pg.Client;

beforeAll(async () => {
  t = await givenApp();
  const kop = await givenKoperasi(t);
  await givenMember(t, kop, { balance: 50_000n });
  expect(await ledgerBreaches(t)).toEqual([]);
  runtime = new pg.Client({ connectionString: t.config.DATABASE_URL });
  await runtime.connect();
});

afterAll(async () => {
  await runtime?.end();
  await t?.close();
});

const SOME_COLUMN: Record<(typeof HISTORY_TABLES)[number], string> = {
  journal_transactions: 'memo',
  entries: 'amount',
  journal_seals: 'hash',
  audit_log: 'reason',
  ledger_checkpoints: 'seq',
  ledger_verifications: 'ok',
};

/** The SQLSTATE PostgreSQL refuses `statement` with, as the runtime role (each in its own transaction). */
async function refusal(statement: string): Promise<string | undefined> {
  await runtime.query('BEGIN');
  try {
    await runtime.query(statement);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  } finally {
    await runtime.query('ROLLBACK');
  }
}

describe('the runtime database role', () => {
  it('is the role the app connects as, and neither the owner nor a superuser', async () => {
    expect(userOf(t.config.DATABASE_URL)).toBe(RUNTIME_ROLE);
    const me = await runtime.query<{ u: string; su: boolean; owner: string }>(
      `SELECT current_user AS u, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS su,
              (SELECT tableowner FROM pg_tables WHERE tablename = 'entries') AS owner`,
    );
    expect(me.rows[0]).toMatchObject({ u: RUNTIME_ROLE, su: false });
    expect(me.rows[0]!.owner).not.toBe(RUNTIME_ROLE);
  });

  it.each(HISTORY_TABLES)('cannot UPDATE, DELETE or TRUNCATE %s (insufficient privilege)', async (table) => {
    expect(await refusal(`UPDATE ${table} SET ${SOME_COLUMN[table]} = ${SOME_COLUMN[table]}`)).toBe('42501');
    expect(await refusal(`DELETE FROM ${table}`)).toBe('42501');
    expect(await refusal(`TRUNCATE ${table}`)).toBe('42501');
  });

  it.each([
    'ALTER TABLE entries DISABLE TRIGGER entries_append_only',
    'ALTER TABLE entries DISABLE TRIGGER ALL',
    'DROP TRIGGER entries_append_only ON entries',
    'ALTER TABLE journal_seals DISABLE TRIGGER USER',
    'DROP TABLE ledger_checkpoints',
    "SET session_replication_role = 'replica'",
    'CREATE OR REPLACE FUNCTION pintu_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$',
    'ALTER TABLE account_balances DROP CONSTRAINT account_balances_non_negative',
  ])('cannot %s', async (statement) => {
    expect(await refusal(statement)).toBe('42501');
  });

  it('reads and appends history, and cannot grant itself more', async () => {
    const count = await runtime.query<{ n: number }>('SELECT count(*)::int AS n FROM entries');
    expect(count.rows[0]!.n).toBeGreaterThan(0);
    // A GRANT by a non-owner grants nothing (PostgreSQL only warns): UPDATE stays refused.
    await runtime.query(`GRANT UPDATE ON entries TO ${RUNTIME_ROLE}`);
    expect(await refusal('UPDATE entries SET amount = amount')).toBe('42501');
    expect(
      await refusal(
        "INSERT INTO ledger_verifications (source, ok, failed_checks) VALUES ('cli', true, '[]')",
      ),
    ).toBeUndefined();
  });
});
