/**
 * The operator's command line as an operator runs it: one clear line for a bad or unreachable
 * dependency, and `ledger verify` exiting 1 when history was edited behind the triggers' back.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
        CHECKPOINT_SIGNING_KEY: 'MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI=',
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

describe('pintu ledger verify --checkpoints', () => {
  let t: TestApp;
  let kop: GivenKoperasi;
  let dir: string;
  beforeAll(async () => {
    t = await givenApp();
    kop = await givenKoperasi(t);
    await givenMember(t, kop, { balance: 125_000n });
    dir = await mkdtemp(join(tmpdir(), 'pintu-checkpoints-'));
  });
  afterAll(async () => {
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('catches an entry edited by the owner and re-sealed, which plain verify cannot see, naming book and day', async () => {
    const env = {
      DATABASE_URL: t.database.runtimeUrl,
      DATABASE_OWNER_URL: t.database.url,
      REDIS_PREFIX: t.redisPrefix,
    };
    const taken = pintu(['ledger', 'checkpoint', '--json'], env);
    expect(taken.code, taken.stderr).toBe(0);
    const exported = JSON.parse(taken.stdout) as {
      checkpoints: { bookId: string; koperasiId: string | null; day: string }[];
    };
    const file = join(dir, 'checkpoints.json');
    await writeFile(file, taken.stdout);
    const book = exported.checkpoints.find((c) => c.koperasiId === kop.id)!;
    expect(pintu(['ledger', 'verify', '--checkpoints', file], env).code).toBe(0);

    // The owner raises the member's deposit by Rp 1.000 in both entries and both balances, then re-seals the
    // book's chain from the start: every invariant the database alone can check holds again.
    const deposit = await t.database.superuser<{ tx_id: string }>(
      `SELECT t.id::text AS tx_id FROM journal_transactions t JOIN entries e ON e.tx_id = t.id
       WHERE t.kind = 'deposit' AND e.book_id = $1 LIMIT 1`,
      [book.bookId],
    );
    const tx = deposit.rows[0]!.tx_id;
    await t.database.superuser(`
      BEGIN;
      SET LOCAL session_replication_role = replica;
      UPDATE entries SET amount = amount + 1000 WHERE tx_id = ${tx};
      UPDATE account_balances b SET balance = balance + 1000
        WHERE b.bucket = 0 AND b.account_id IN (SELECT account_id FROM entries WHERE tx_id = ${tx});
      DO $$
      DECLARE r record; prev bytea := '\\x${'00'.repeat(32)}'::bytea;
      BEGIN
        FOR r IN SELECT * FROM journal_seals WHERE book_id = ${book.bookId} ORDER BY seq LOOP
          UPDATE journal_seals SET prev_hash = prev, hash = sha256(prev || pintu_tx_digest(r.tx_id, r.book_id))
            WHERE book_id = r.book_id AND seq = r.seq;
          prev := sha256(prev || pintu_tx_digest(r.tx_id, r.book_id));
        END LOOP;
      END $$;
      COMMIT;`);

    const plain = pintu(['ledger', 'verify'], env);
    expect(plain.code, plain.stdout).toBe(0);
    expect(plain.stdout).toContain('ledger verified');

    const checked = pintu(['ledger', 'verify', '--checkpoints', file], env);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain('FAIL  checkpoints_match');
    expect(checked.stdout).toMatch(
      new RegExp(
        `book ${book.bookId} \\(koperasi ${kop.id}\\), day ${book.day}: chain head at seal \\d+ is [0-9a-f]{16}…, the checkpoint signed [0-9a-f]{16}…: history up to this day was changed`,
      ),
    );
    expect(checked.stdout).toContain('LEDGER BREACHED');
  }, 180_000);

  it('refuses a checkpoint file whose payload was altered, and one that is not checkpoints', async () => {
    const env = {
      DATABASE_URL: t.database.runtimeUrl,
      DATABASE_OWNER_URL: t.database.url,
      REDIS_PREFIX: t.redisPrefix,
    };
    const taken = pintu(['ledger', 'checkpoint', '--json'], env);
    const exported = JSON.parse(taken.stdout) as { checkpoints: { payload: string }[] };
    exported.checkpoints[0]!.payload = exported.checkpoints[0]!.payload.replace(
      /"entries":"(\d+)"/,
      '"entries":"9$1"',
    );
    const altered = join(dir, 'altered.json');
    await writeFile(altered, JSON.stringify(exported));
    const result = pintu(['ledger', 'verify', '--checkpoints', altered], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('the signature does not match the payload');
    const junk = join(dir, 'junk.json');
    await writeFile(junk, '{"hello": 1}');
    const refused = pintu(['ledger', 'verify', '--checkpoints', junk], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(
      `pintu: ${junk} holds no checkpoints (expected the JSON of GET /v1/transparency/checkpoints)`,
    );
  }, 120_000);

  it('runs production only as a role that cannot rewrite history, and migrates only with the owner’s URL', async () => {
    const production = {
      NODE_ENV: 'production',
      JWT_SECRET: 'an-own-jwt-secret-long-enough-for-prod-01',
      ADMIN_TOKEN: 'an-own-admin-token-0001',
      DIGIFLAZZ_WEBHOOK_SECRET: 'an-own-webhook-secret',
      CHECKPOINT_SIGNING_KEY: 'MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI=',
      REDIS_PREFIX: t.redisPrefix,
    };
    const asOwner = pintu(['migrate'], {
      ...production,
      DATABASE_URL: t.database.url,
      DATABASE_OWNER_URL: t.database.url,
    });
    expect(asOwner.code).toBe(1);
    expect(asOwner.stderr.trim()).toBe(
      'pintu: DATABASE_URL connects as postgres, the owner of the tables, who can rewrite the ledger\'s history: run the service as a role of its own (README, "Database roles")',
    );
    const asSuperuser = pintu(['ledger', 'verify'], { ...production, DATABASE_URL: t.database.url });
    expect(asSuperuser.code).toBe(1);
    expect(asSuperuser.stderr.trim()).toBe(
      'pintu: DATABASE_URL connects as postgres, a superuser, who can rewrite the ledger\'s history: run the service as a role of its own (README, "Database roles")',
    );
    const noOwner = pintu(['migrate'], { ...production, DATABASE_URL: t.database.runtimeUrl });
    expect(noOwner.code).toBe(1);
    expect(noOwner.stderr.trim()).toBe(
      "pintu: migrate needs DATABASE_OWNER_URL (the tables' owner) in production",
    );
    const asRuntime = pintu(['ledger', 'verify'], { ...production, DATABASE_URL: t.database.runtimeUrl });
    expect(asRuntime.stderr).toBe('');
    expect(asRuntime.code).toBe(0);
    // Outside production, DATABASE_URL alone naming the runtime role is checked, not migrated with.
    const devRuntime = pintu(['ledger', 'verify'], {
      DATABASE_URL: t.database.runtimeUrl,
      REDIS_PREFIX: t.redisPrefix,
    });
    expect(devRuntime.stderr).toBe('');
    expect(devRuntime.code).toBe(0);
    // A release newer than the database: the runtime role says so instead of running on an old schema.
    const last = await t.database.superuser<{ n: number }>(
      'SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations',
    );
    await t.database.superuser(
      'DELETE FROM drizzle.__drizzle_migrations WHERE id = (SELECT max(id) FROM drizzle.__drizzle_migrations)',
    );
    const behind = pintu(['ledger', 'verify'], { ...production, DATABASE_URL: t.database.runtimeUrl });
    expect(behind.code).toBe(1);
    expect(behind.stderr.trim()).toBe(
      `pintu: cannot check the database: the database has ${last.rows[0]!.n - 1} of this release's ${last.rows[0]!.n} migrations: run \`pintu migrate\` with DATABASE_OWNER_URL first`,
    );
  }, 120_000);
});
