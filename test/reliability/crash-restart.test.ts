/**
 * Crash and restart: payments flow through an API and a worker running as separate processes while
 * the worker is SIGKILLed at random moments (10+ times), the API is killed mid-request and Redis loses
 * every key of ours. Afterwards: every payment is final (or suspect with a poll scheduled), no
 * upstream ref was debited twice, every member's balance is deposits − successes, upstream and ledger
 * agree payment by payment, and `ledger verify` passes.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, createSandbox } from '../../adapters/sandbox/index.js';
import { createDatabase } from '../../src/db/client.js';
import { sealAll } from '../../src/ledger/sealing.js';
import { verifyLedger } from '../../src/ledger/verify.js';
import { DOMAIN_CHECKS } from '../../src/verify-checks.js';
import { flushPrefix } from '../helpers/app.js';
import { type TestDatabase, createTestDatabase } from '../helpers/db.js';
import { REDIS_URL } from '../helpers/env.js';
import { type PintuProcess, freePort, isUp, startPintu, waitUntil } from '../helpers/processes.js';
import { cutOffFarFromNow } from '../helpers/cut-off.js';

const LOAD_SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? 30);
/** Savings per member, enough that a long soak never runs one dry (a single deposit is at most 1e9). */
const SAVINGS = 900_000_000;
/** How long the backlog may take to drain after the load: a soak queues far more than CI does. */
const DRAIN_MS = Math.max(120_000, LOAD_SECONDS * 2_000);
const CONCURRENCY = 8;
const ADMIN_TOKEN = 'reliability-admin-token-0001';
const SUFFIXES = ['0000', '0000', '0000', '0002', '1037', '1039', '1040', '1105', '1042', '1099', '1074'];

let database: TestDatabase;
let sandbox: Sandbox;
let api: PintuProcess;
let worker: PintuProcess;
let apiUrl: string;
let env: Record<string, string>;
const prefix = `pintu-rel-${randomUUID().slice(0, 8)}`;

const call = async (path: string, init: RequestInit & { token?: string } = {}) => {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(init.headers as Record<string, string>),
  };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  return fetch(`${apiUrl}${path}`, { ...init, headers, signal: AbortSignal.timeout(15_000) });
};

/** A client that retries through a dead API with the same Idempotency-Key, as a real app would. */
async function retrying(path: string, init: RequestInit & { token?: string }): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await call(path, init);
      if (response.status < 500) return response;
    } catch {
      // connection refused or reset: the API is down or restarting
    }
    // A minute, as a patient app would: on a loaded 2-core machine (the whole suite in parallel) a killed API takes
    // a while to come back.
    if (attempt > 240) throw new Error(`${path} kept failing`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  database = await createTestDatabase(4);
  sandbox = createSandbox({
    seed: 7,
    pendingMs: 500,
    refundMs: 2_000,
    hangMs: 3_000,
    cutOff: cutOffFarFromNow(),
  });
  const upstream = await sandbox.listen(0);
  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  sandbox.setCallbackUrl('digiflazz', `${apiUrl}/v1/callbacks/digiflazz`);
  sandbox.setCallbackUrl('iak', `${apiUrl}/v1/callbacks/iak`);
  env = {
    PLN_CUTOFF_START: cutOffFarFromNow().start,
    PLN_CUTOFF_END: cutOffFarFromNow().end,
    DATABASE_URL: database.runtimeUrl,
    DATABASE_OWNER_URL: database.url,
    REDIS_URL,
    REDIS_PREFIX: prefix,
    PORT: String(port),
    ADMIN_TOKEN,
    SANDBOX_ENABLED: 'false',
    DIGIFLAZZ_BASE_URL: `${upstream}/digiflazz`,
    IAK_BASE_URL: `${upstream}/iak`,
    UPSTREAM_TIMEOUT_MS: '2000',
    POLL_INITIAL_MS: '300',
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    AUTH_ACCOUNT_RATE_LIMIT_PER_MINUTE: '10000',
    INQUIRY_RATE_LIMIT_PER_MINUTE: '100000',
    PAYMENT_RATE_LIMIT_PER_MINUTE: '100000',
    WORKER_CONCURRENCY: '16',
  };
  api = startPintu(['api'], env);
  worker = startPintu(['worker'], env);
  await waitUntil(isUp(`${apiUrl}/health/ready`), 60_000, 'the API').catch((error: unknown) => {
    throw new Error(`${String(error)}\napi: ${api.output.join('')}\nworker: ${worker.output.join('')}`);
  });
}, 120_000);

afterAll(async () => {
  await Promise.all([api?.kill('SIGTERM'), worker?.kill('SIGTERM')]);
  await sandbox?.close();
  await database?.drop();
  await flushPrefix(prefix);
});

describe('crash and restart', () => {
  it(
    'loses nothing and pays nothing twice through worker kills, an API kill and a Redis flush',
    async () => {
      const kop = (await (
        await call('/v1/koperasi', {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
          body: JSON.stringify({
            code: 'kop-rel',
            name: 'Koperasi Andal',
            treasurer: { username: 'bendahara', password: 'rahasia-bendahara' },
          }),
        })
      ).json()) as { id: string };
      expect(kop.id).toBeDefined();
      const login = async (username: string, password: string) =>
        (
          (await (
            await call('/v1/auth/token', {
              method: 'POST',
              body: JSON.stringify({ koperasi: 'kop-rel', username, password }),
            })
          ).json()) as { accessToken: string }
        ).accessToken;
      const treasurer = await login('bendahara', 'rahasia-bendahara');
      const members: { memberNo: string; token: string; deposited: number }[] = [];
      for (let i = 0; i < 12; i++) {
        const memberNo = `R-${i}`;
        await call('/v1/members', {
          method: 'POST',
          token: treasurer,
          body: JSON.stringify({
            memberNo,
            name: `Anggota ${i}`,
            password: 'sandi-dari-bendahara-1',
            pin: '860731',
          }),
        });
        await call(`/v1/members/${memberNo}/deposits`, {
          method: 'POST',
          token: treasurer,
          headers: { 'idempotency-key': randomUUID() },
          body: JSON.stringify({ amount: SAVINGS, reference: 'modal' }),
        });
        // The first login replaces the treasurer's password and PIN; the last answer's token opens every route.
        const first = await login(memberNo, 'sandi-dari-bendahara-1');
        const changed = async (token: string, what: 'password' | 'pin', body: Record<string, string>) =>
          (
            (await (
              await call(`/v1/me/${what}`, { method: 'POST', token, body: JSON.stringify(body) })
            ).json()) as { accessToken: string }
          ).accessToken;
        const withPassword = await changed(first, 'password', {
          currentPassword: 'sandi-dari-bendahara-1',
          newPassword: 'sandi-anggota-1',
        });
        const token = await changed(withPassword, 'pin', { currentPin: '860731', newPin: '112233' });
        members.push({ memberNo, token, deposited: SAVINGS });
      }

      const stopAt = Date.now() + LOAD_SECONDS * 1000;
      const accepted = new Map<string, string>(); // idempotency key → payment id
      const refused = new Map<string, number>();
      const refuse = async (response: Response) => {
        const code =
          ((await response.json().catch(() => ({}))) as { code?: string }).code ?? String(response.status);
        refused.set(code, (refused.get(code) ?? 0) + 1);
      };
      const client = async () => {
        while (Date.now() < stopAt) {
          const member = members[Math.floor(Math.random() * members.length)]!;
          const suffix = SUFFIXES[Math.floor(Math.random() * SUFFIXES.length)]!;
          const quote = await retrying('/v1/inquiries', {
            method: 'POST',
            token: member.token,
            body: JSON.stringify({
              product: 'PLN_POSTPAID',
              customerNo: `53${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}${suffix}`,
            }),
          });
          if (quote.status !== 201) {
            await refuse(quote);
            continue;
          }
          const { id } = (await quote.json()) as { id: string };
          const key = randomUUID();
          const paid = await retrying('/v1/payments', {
            method: 'POST',
            token: member.token,
            headers: { 'idempotency-key': key },
            body: JSON.stringify({ quoteId: id, pin: '112233' }),
          });
          if (paid.status === 202 || paid.status === 200)
            accepted.set(key, ((await paid.json()) as { id: string }).id);
          else await refuse(paid);
        }
      };

      let kills = 0;
      const chaos = async () => {
        let apiKilled = false;
        let flushed = false;
        while (Date.now() < stopAt - 2_000) {
          await new Promise((r) => setTimeout(r, 800 + Math.random() * 1_700));
          await worker.kill('SIGKILL');
          kills += 1;
          await new Promise((r) => setTimeout(r, 100 + Math.random() * 400));
          worker = startPintu(['worker'], env);
          if (!apiKilled && Date.now() > stopAt - (LOAD_SECONDS * 1000) / 2) {
            apiKilled = true;
            await api.kill('SIGKILL');
            api = startPintu(['api'], env);
          }
          if (!flushed && Date.now() > stopAt - (LOAD_SECONDS * 1000) / 3) {
            flushed = true;
            await flushPrefix(prefix);
          }
        }
        expect(apiKilled && flushed).toBe(true);
      };

      await Promise.all([...Array.from({ length: CONCURRENCY }, client), chaos()]);
      expect(kills).toBeGreaterThanOrEqual(10);
      expect(accepted.size).toBeGreaterThan(50);

      const open = async () =>
        (
          await database.superuser<{ n: number }>(
            `SELECT count(*)::int AS n FROM payments WHERE status IN ('processing', 'suspect')`,
          )
        ).rows[0]!.n;
      await waitUntil(
        async () => (await open()) === 0,
        DRAIN_MS,
        'every payment to reach a final state',
      ).catch(async () => {
        // Anything still open must at least have its poll scheduled.
        const orphans =
          await database.superuser(`SELECT p.id FROM payments p LEFT JOIN outbox o ON o.payment_id = p.id
        WHERE p.status IN ('processing', 'suspect') AND o.payment_id IS NULL`);
        expect(orphans.rows).toEqual([]);
      });

      // One payment per accepted key, none without a key.
      const payments = await database.superuser<{
        id: string;
        status: string;
        ref_id: string;
        adapter: string;
        total: string;
        member_no: string;
      }>(`
      SELECT p.id, p.status, p.ref_id, p.adapter, p.total::text, u.username AS member_no FROM payments p JOIN users u ON u.id = p.member_id`);
      expect(new Set([...accepted.values()]).size).toBe(accepted.size);
      expect(payments.rows.map((p) => p.id).sort()).toEqual([...accepted.values()].sort());

      // The upstream never debited a ref twice, and agrees with us payment by payment.
      const stats = sandbox.stats();
      expect(stats.doubleDebits).toEqual([]);
      for (const p of payments.rows) {
        const ref = stats[p.adapter as 'digiflazz' | 'iak'].refs?.[p.ref_id];
        const charged = (ref?.debits ?? 0) - (ref?.credits ?? 0);
        if (p.status === 'success') expect(charged, `${p.id} success`).toBe(1);
        if (p.status === 'failed' || p.status === 'refunded') expect(charged, `${p.id} ${p.status}`).toBe(0);
      }

      // Every member's balance is what they deposited minus what they successfully paid. A payment still open
      // after a drain that ran out of time may settle while we read: compare only readings taken while the
      // member's payments stood still (their statuses read before and after the balance), else read again.
      const statusesOf = async (memberNo: string) =>
        (
          await database.superuser<{ id: string; status: string; total: string }>(
            `SELECT p.id, p.status, p.total::text FROM payments p JOIN users u ON u.id = p.member_id
             WHERE u.username = $1 ORDER BY p.id`,
            [memberNo],
          )
        ).rows;
      for (const member of members) {
        for (let reading = 1; ; reading++) {
          const before = await statusesOf(member.memberNo);
          const me = (await (await call('/v1/me', { token: member.token })).json()) as {
            balance: number;
            available: number;
          };
          const after = await statusesOf(member.memberNo);
          if (JSON.stringify(before) !== JSON.stringify(after) && reading < 20) continue;
          const paid = after.filter((p) => p.status === 'success').reduce((s, p) => s + Number(p.total), 0);
          expect(me.balance, member.memberNo).toBe(member.deposited - paid);
          break;
        }
      }

      const db = createDatabase(database.url, { poolSize: 2 });
      try {
        await sealAll(db.db);
        const report = await verifyLedger(db.db, DOMAIN_CHECKS);
        expect(report.checks.filter((c) => !c.ok)).toEqual([]);
        const counts = await db.db.execute<{ status: string; n: number }>(
          sql`SELECT status, count(*)::int AS n FROM payments GROUP BY status`,
        );
        console.log(
          `crash-restart: ${accepted.size} payments, ${kills} worker kills; refused:`,
          Object.fromEntries(refused),
          counts.rows,
        );
      } finally {
        await db.close();
      }
    },
    LOAD_SECONDS * 1000 + DRAIN_MS + 150_000,
  ); // the load, the drain, and the checks
});
