/**
 * Several worker processes on one PostgreSQL and one Redis (issue "Performance and scale-out"): three
 * complete worker sets (payment loop, sealer, schedulers), each with its own pools and Redis
 * connections as a separate process would have, take one burst of payments while Redis is flushed.
 * Proven here, not assumed: each payment is sent under one ref and debited once (three loops claim from
 * one outbox; Redis holds no payment job, so losing it loses nothing), the three sealers seal every
 * journal transaction exactly once in an unbroken chain per book, and the daily schedules exist once
 * however many workers upsert them.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAdapter, createFakeAdapter } from '../../adapters/fake/index.js';
import { type Deps, buildDeps } from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';
import { type RunningWorkers, startWorkers } from '../../src/worker.js';
import {
  type GivenKoperasi,
  type GivenMember,
  type TestApp,
  balanceOf,
  flushPrefix,
  givenApp,
  givenKoperasi,
  givenMember,
  inquire,
  ledgerBreaches,
  pay,
  waitForPayment,
} from '../helpers/app.js';

let t: TestApp;
let upstream: FakeAdapter;
const sets: Array<{ deps: Deps; workers: RunningWorkers }> = [];
const WORKER_SETS = 3;
const MEMBERS = 4;
const EACH = 10;
const TOTAL = 103_500;

beforeAll(async () => {
  upstream = createFakeAdapter({ name: 'digiflazz' });
  t = await givenApp({ adapters: [upstream] });
  for (let i = 0; i < WORKER_SETS; i++) {
    const deps = buildDeps(t.config, {
      adapters: [upstream],
      log: createLogger({ level: 'silent' }),
      poolSize: 4,
      name: `worker-${i}`,
    });
    sets.push({
      deps,
      workers: startWorkers(deps, { pollIntervalMs: 50, sealIntervalMs: 50 }),
    });
  }
}, 60_000);

afterAll(async () => {
  for (const set of sets) {
    await set.workers.close();
    await set.deps.close();
  }
  await t?.close();
});

describe('three worker processes on one database and one Redis', () => {
  it('pay each payment once through a Redis that loses every job, and seal every transaction once', async () => {
    const kop: GivenKoperasi = await givenKoperasi(t);
    const members: GivenMember[] = [];
    for (let i = 0; i < MEMBERS; i++) members.push(await givenMember(t, kop, { balance: 5_000_000n }));

    // Hold every payment at the upstream, so all of them are in flight when Redis loses its jobs.
    const gate = upstream.hold('pay');
    const ids = (
      await Promise.all(
        members.flatMap((member) =>
          Array.from({ length: EACH }, async (_, i) => {
            const quote = await inquire(t, member, {
              product: 'PLN_POSTPAID',
              customerNo: `5300000${i}0000`,
            });
            expect(quote.statusCode).toBe(201);
            const paid = await pay(t, member, quote.json<{ id: string }>().id);
            expect(paid.statusCode).toBe(202);
            return { member, id: paid.json<{ id: string }>().id };
          }),
        ),
      )
    ).flat();
    await gate.entered(1);
    // Every queued and running job is gone (a flushed or replaced Redis); only the outbox remembers them.
    await flushPrefix(t.redisPrefix);
    gate.release();

    for (const { member, id } of ids) {
      const payment = await waitForPayment(t, member.token, id, ['success', 'failed', 'refunded'], 60_000);
      expect(payment.status).toBe('success');
    }

    // One attempt per payment, sent under its one ref (the attempt row is written once, before its one send).
    const attempts = await t.deps.db.execute<{ payment_id: string; n: number; ref_id: string }>(sql`
      SELECT payment_id, count(*)::int AS n, min(ref_id) AS ref_id FROM payment_attempts
      WHERE payment_id = ANY(${sql.param(ids.map((p) => p.id))}::uuid[]) GROUP BY payment_id`);
    expect(attempts.rows).toHaveLength(ids.length);
    expect(attempts.rows.every((r) => r.n === 1)).toBe(true);
    const refs = new Set(attempts.rows.map((r) => r.ref_id));
    const sentRefs = new Set(upstream.calls.filter((c) => c.method === 'pay').map((c) => c.target.refId));
    expect(sentRefs).toEqual(refs);

    // Each member debited exactly once per payment.
    for (const member of members) {
      expect((await balanceOf(t, member)).balance).toBe(5_000_000 - EACH * TOTAL);
    }

    // Sealed by three competing sealers: every (transaction, book) once, seq 1..n without a gap per book.
    await expect
      .poll(
        async () => {
          const left = await t.deps.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM unsealed`);
          return left.rows[0]!.n;
        },
        { timeout: 20_000 },
      )
      .toBe(0);
    const chain = await t.deps.db.execute<{
      book_id: string;
      n: number;
      max: number;
      distinct_tx: number;
    }>(sql`
      SELECT book_id::text, count(*)::int AS n, max(seq)::int AS max, count(DISTINCT tx_id)::int AS distinct_tx
      FROM journal_seals GROUP BY book_id`);
    for (const book of chain.rows) {
      expect(book.max).toBe(book.n);
      expect(book.distinct_tx).toBe(book.n);
    }
    const pairs = await t.deps.db.execute<{ entries: number; seals: number }>(sql`
      SELECT (SELECT count(*)::int FROM (SELECT DISTINCT tx_id, book_id FROM entries) e) AS entries,
             (SELECT count(*)::int FROM journal_seals) AS seals`);
    expect(pairs.rows[0]!.seals).toBe(pairs.rows[0]!.entries);
    expect(await ledgerBreaches(t)).toEqual([]);
  }, 120_000);

  it('keep one daily schedule each however many workers upsert it', async () => {
    // Every worker upserts the schedules at start and every 10 minutes; upsert them all again at once.
    const { scheduleDailyReconciliation } = await import('../../src/recon/jobs.js');
    const { scheduleDailyCheckpoint } = await import('../../src/transparency/jobs.js');
    await Promise.all(
      sets.flatMap(({ deps }) => [scheduleDailyReconciliation(deps), scheduleDailyCheckpoint(deps)]),
    );
    const schedulers = await t.deps.queues.recon.getJobSchedulers();
    const ids = schedulers.map((s) => s.key).sort();
    expect(ids).toEqual([...new Set(ids)]);
    expect(ids.length).toBe(2);
  });
});
