/**
 * The operator's command line as an operator runs it: one clear line for a bad or unreachable
 * dependency, and `ledger verify` exiting 1 when history was edited behind the triggers' back.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GivenKoperasi, type TestApp, givenApp, givenKoperasi, givenMember } from '../helpers/app.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function pintu(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('start-up errors', () => {
  it.each([
    [
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/pintu' },
      /^pintu: cannot reach PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/pintu: ECONNREFUSED$/,
    ],
    [
      { DATABASE_URL: 'postgres://postgres:hunter2@127.0.0.1:1/pintu' },
      /^pintu: cannot reach PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/pintu: ECONNREFUSED$/,
    ],
    [
      { DATABASE_URL: 'mysql://localhost/pintu' },
      /^pintu: invalid configuration: DATABASE_URL: expected a postgres:\/\/ URL$/,
    ],
    [
      { REDIS_URL: 'redis://127.0.0.1:1' },
      /^pintu: cannot reach Redis at redis:\/\/127\.0\.0\.1:1: ECONNREFUSED$/,
    ],
    [
      { PORT: 'eighty', JWT_SECRET: 'short' },
      /^pintu: invalid configuration: PORT: .*; JWT_SECRET: JWT_SECRET must be at least 32 characters$/,
    ],
    [
      {
        NODE_ENV: 'production',
        JWT_SECRET: 'an-own-jwt-secret-long-enough-for-prod-01',
        ADMIN_TOKEN: 'an-own-admin-token-0001',
        DIGIFLAZZ_WEBHOOK_SECRET: '',
      },
      /^pintu: invalid configuration: DIGIFLAZZ_WEBHOOK_SECRET: unset, empty or the public development default; production needs a secret of its own$/,
    ],
  ])('stops with one clear line for %j', (env, line) => {
    const result = pintu(['migrate'], env);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
    expect(result.stderr).not.toContain('hunter2');
  });
});

describe('pintu ledger verify', () => {
  let t: TestApp;
  let kop: GivenKoperasi;
  beforeAll(async () => {
    t = await givenApp();
    kop = await givenKoperasi(t);
    await givenMember(t, kop, { balance: 125_000n });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('exits 0 on a sound ledger and 1, naming the book and transaction, after an entry is edited', async () => {
    const env = { DATABASE_URL: t.database.url, REDIS_PREFIX: t.redisPrefix };
    const sound = pintu(['ledger', 'verify', '--json'], env);
    expect(sound.code).toBe(0);
    expect(JSON.parse(sound.stdout)).toMatchObject({ ok: true, unsealed: { transactions: 0 } });

    await t.database.superuser(
      `BEGIN; SET LOCAL session_replication_role = replica;
       UPDATE entries SET amount = amount + 1 WHERE id = (SELECT max(id) FROM entries);
       COMMIT;`,
    );
    const edited = await t.database.superuser<{ tx_id: string; book_id: string }>(
      'SELECT tx_id::text, book_id::text FROM entries WHERE id = (SELECT max(id) FROM entries)',
    );
    const broken = pintu(['ledger', 'verify', '--json'], env);
    expect(broken.code).toBe(1);
    const report = JSON.parse(broken.stdout) as {
      ok: boolean;
      checks: { name: string; breaches: Record<string, string>[] }[];
    };
    expect(report.ok).toBe(false);
    const chain = report.checks.find((c) => c.name === 'hash_chains_intact')!;
    expect(chain.breaches).toContainEqual(
      expect.objectContaining({ tx_id: edited.rows[0]!.tx_id, book_id: edited.rows[0]!.book_id }),
    );
    const human = pintu(['ledger', 'verify'], env);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('LEDGER BREACHED');
  }, 120_000);
});
