/**
 * Dependency faults against private servers (killing the shared ones would break every other test):
 * Redis killed and restarted empty mid-run, PostgreSQL stopped and restarted mid-run, and an upstream
 * full of chaos (timeouts, 5xx, garbage, slow answers, duplicate / out-of-order / missing callbacks).
 * Afterwards every payment is final, nothing was paid twice, balances and the ledger agree.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { type Sandbox, createSandbox } from '../../adapters/sandbox/index.js';
import {
  type GivenMember,
  type TestApp,
  bearer,
  givenApp,
  givenKoperasi,
  givenMember,
  ledgerBreaches,
} from '../helpers/app.js';
import { waitUntil } from '../helpers/processes.js';
import {
  type PrivatePostgres,
  type PrivateRedis,
  privatePostgres,
  privateRedis,
} from '../helpers/services.js';
import { cutOffFarFromNow } from '../helpers/cut-off.js';

/** Seconds of load per scenario; `npm run soak` raises it. */
const LOAD_SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? 9);
/** Each test's limit: its load plus room to set up, recover and check (the soak raises the load). */
const TEST_TIMEOUT_MS = LOAD_SECONDS * 1000 + 170_000;
/** Savings enough that a long soak never runs a member dry (a single deposit is at most 1e9). */
const SAVINGS = 900_000_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function stack(options: {
  redis?: PrivateRedis;
  postgres?: PrivatePostgres;
  sandbox?: Parameters<typeof createSandbox>[0];
}) {
  const sandbox: Sandbox = createSandbox({
    cutOff: cutOffFarFromNow(),
    seed: 11,
    pendingMs: 400,
    refundMs: 60_000,
    hangMs: 2_500,
    callbackRetryMs: [200, 400, 800],
    ...options.sandbox,
  });
  const upstream = await sandbox.listen(0);
  cleanups.push(() => sandbox.close());
  const t = await givenApp({
    upstreamUrls: { digiflazz: `${upstream}/digiflazz`, iak: `${upstream}/iak` },
    workers: { pollIntervalMs: 50 },
    postgresBase: options.postgres?.baseUrl,
    env: {
      UPSTREAM_TIMEOUT_MS: '1500',
      POLL_INITIAL_MS: '300',
      ...(options.redis ? { REDIS_URL: options.redis.url } : {}),
    },
  });
  cleanups.push(() => t.close());
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const api = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  sandbox.setCallbackUrl('digiflazz', `${api}/v1/callbacks/digiflazz`);
  sandbox.setCallbackUrl('iak', `${api}/v1/callbacks/iak`);
  const kop = await givenKoperasi(t);
  const members = await Promise.all(
    Array.from({ length: 6 }, () => givenMember(t, kop, { balance: BigInt(SAVINGS) })),
  );
  return { t, sandbox, api, members };
}

/** Pay through real HTTP, retrying with the same Idempotency-Key while the service is down. */
async function payLoop(api: string, members: GivenMember[], stopAt: number, suffixes: string[]) {
  const accepted = new Set<string>();
  const statuses = new Map<number, number>();
  const call = async (path: string, token: string, body: unknown, key?: string) => {
    for (let attempt = 0; attempt < 80; attempt++) {
      try {
        const response = await fetch(`${api}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...bearer(token),
            ...(key ? { 'idempotency-key': key } : {}),
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 503) expect(response.headers.get('retry-after')).not.toBeNull();
        if (response.status < 500) return response;
        expect(response.status).toBe(503); // a dependency is down: the only acceptable 5xx
      } catch {
        // connection-level failure: retry
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${path} never succeeded`);
  };
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      while (Date.now() < stopAt) {
        const member = members[Math.floor(Math.random() * members.length)]!;
        const suffix = suffixes[Math.floor(Math.random() * suffixes.length)]!;
        const quote = await call('/v1/inquiries', member.token, {
          product: 'PDAM_TIRTA_BENTENG',
          customerNo: `1234${suffix}`,
        });
        if (quote.status !== 201) continue;
        const { id } = (await quote.json()) as { id: string };
        const paid = await call('/v1/payments', member.token, { quoteId: id, pin: member.pin }, randomUUID());
        if (paid.status === 202 || paid.status === 200)
          accepted.add(((await paid.json()) as { id: string }).id);
      }
    }),
  );
  return { accepted, statuses };
}

async function expectAllSettledAndConsistent(
  t: TestApp,
  sandbox: Sandbox,
  accepted: Set<string>,
  members: GivenMember[],
) {
  await waitUntil(
    async () => {
      const open = await t.deps.db.execute<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM payments WHERE status IN ('processing', 'suspect')`,
      );
      return open.rows[0]!.n === 0;
    },
    90_000,
    'every payment to settle',
  );
  const rows = await t.deps.db.execute<{
    id: string;
    status: string;
    adapter: string;
    ref_id: string;
    total: string;
    member_id: string;
  }>(sql`
    SELECT id, status, adapter, ref_id, total::text, member_id FROM payments`);
  expect(new Set(rows.rows.map((r) => r.id))).toEqual(accepted);
  const stats = sandbox.stats();
  expect(stats.doubleDebits).toEqual([]);
  for (const r of rows.rows) {
    const ref = stats[r.adapter as 'digiflazz' | 'iak'].refs?.[r.ref_id];
    expect((ref?.debits ?? 0) - (ref?.credits ?? 0), `${r.id} ${r.status}`).toBe(
      r.status === 'success' ? 1 : 0,
    );
  }
  for (const m of members) {
    const paid = rows.rows
      .filter((r) => r.member_id === m.id && r.status === 'success')
      .reduce((s, r) => s + Number(r.total), 0);
    const me = await t.app.inject({ url: '/v1/me', headers: bearer(m.token) });
    expect(me.json().balance).toBe(SAVINGS - paid);
  }
  expect(await ledgerBreaches(t)).toEqual([]);
}

describe('dependency faults', () => {
  it(
    'recovers every job when Redis is killed and restarted empty mid-run',
    async () => {
      const redis = await privateRedis();
      cleanups.push(() => redis.kill());
      const { t, sandbox, api, members } = await stack({ redis });
      const stopAt = Date.now() + LOAD_SECONDS * 1000;
      const chaos = (async () => {
        await new Promise((r) => setTimeout(r, 3_000));
        await redis.kill();
        const ready = await t.app.inject({ url: '/health/ready' });
        expect(ready.statusCode).toBe(503);
        await new Promise((r) => setTimeout(r, 1_500));
        await redis.start();
      })();
      const { accepted } = await payLoop(api, members, stopAt, ['0000', '1039', '1037', '1105']);
      await chaos;
      expect(accepted.size).toBeGreaterThan(10);
      await expectAllSettledAndConsistent(t, sandbox, accepted, members);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'answers 503 with Retry-After while PostgreSQL is down, writes nothing half-way, and resumes',
    async () => {
      const postgres = await privatePostgres();
      cleanups.push(() => postgres.destroy());
      const { t, sandbox, api, members } = await stack({ postgres });
      const stopAt = Date.now() + (LOAD_SECONDS + 1) * 1000;
      let sawDown = false;
      const chaos = (async () => {
        await new Promise((r) => setTimeout(r, 3_000));
        postgres.stop();
        const down = await t.app.inject({ url: '/v1/me', headers: bearer(members[0]!.token) });
        expect(down.statusCode).toBe(503);
        expect(down.headers['retry-after']).toBeDefined();
        expect(down.json().code).toBe('SERVICE_UNAVAILABLE');
        sawDown = true;
        await new Promise((r) => setTimeout(r, 2_000));
        postgres.start();
      })();
      const { accepted, statuses } = await payLoop(api, members, stopAt, ['0000', '1039', '1037']);
      await chaos;
      expect(sawDown).toBe(true);
      expect([...statuses.keys()].filter((s) => s >= 500 && s !== 503)).toEqual([]);
      await expectAllSettledAndConsistent(t, sandbox, accepted, members);
      // No connection leaked by transactions that failed while the server was gone.
      const pool = t.deps.database.pool;
      await waitUntil(
        async () => pool.idleCount === pool.totalCount,
        10_000,
        'every connection back in the pool',
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'survives an upstream full of chaos: faults, slow answers, duplicate, out-of-order and lost callbacks',
    async () => {
      const { t, sandbox, api, members } = await stack({
        sandbox: {
          faultRate: 0.2,
          slowRate: 0.05,
          slowMs: [1_000, 2_500],
          latencyMs: [0, 30],
          dupRate: 0.3,
          outOfOrderRate: 0.3,
          dropRate: 0.3,
        },
      });
      const { accepted } = await payLoop(api, members, Date.now() + LOAD_SECONDS * 1000, [
        '0000',
        '0000',
        '1039',
        '1040',
        '1037',
        '1105',
        '1099',
      ]);
      expect(accepted.size).toBeGreaterThan(10);
      await expectAllSettledAndConsistent(t, sandbox, accepted, members);
    },
    TEST_TIMEOUT_MS,
  );
});
