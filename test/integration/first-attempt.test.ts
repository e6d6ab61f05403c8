/**
 * The payment's hot path in fewer commits (issue "Performance and scale-out"): a quote kept in Redis
 * (never written to PostgreSQL unless Redis cannot take it), and the first upstream attempt committed with
 * the payment, so the worker sends it
 * without a commit of its own. Same safety: a quote is paid once, an attempt is never sent under two
 * refs, and a job too late to know whether the attempt left asks for its status instead of sending.
 */
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeAdapter, createFakeAdapter } from '../../adapters/fake/index.js';
import type { Clock } from '../../src/clock.js';
import { processPaymentJob } from '../../src/payments/pipeline.js';
import { saveQuote } from '../../src/payments/quote-store.js';
import type { QuoteRow } from '../../src/payments/repository.js';
import {
  type GivenKoperasi,
  type GivenMember,
  type TestApp,
  balanceOf,
  givenApp,
  givenKoperasi,
  givenMember,
  inquire,
  pay,
} from '../helpers/app.js';

let t: TestApp;
let kop: GivenKoperasi;
let member: GivenMember;
let upstream: FakeAdapter;
let now: Date | undefined;
const clock: Clock = { now: () => now ?? new Date() };
const PLN = { product: 'PLN_POSTPAID', customerNo: '530000000000' };
const TOTAL = 103_500n;

beforeAll(async () => {
  upstream = createFakeAdapter({ name: 'digiflazz' });
  // No workers in this process: each test runs the job itself, as often and as late as it needs.
  t = await givenApp({ adapters: [upstream], clock });
  kop = await givenKoperasi(t);
  member = await givenMember(t, kop, { balance: 10_000_000n });
});

beforeEach(() => {
  upstream.reset();
  now = undefined;
});

afterAll(async () => {
  await t?.close();
});

const count = async (query: ReturnType<typeof sql>) =>
  Number((await t.deps.db.execute<{ n: number }>(query)).rows[0]!.n);

async function accepted(): Promise<{ paymentId: string; quoteId: string }> {
  const quote = await inquire(t, member, PLN);
  expect(quote.statusCode).toBe(201);
  const quoteId = quote.json<{ id: string }>().id;
  const paid = await pay(t, member, quoteId);
  expect(paid.statusCode).toBe(202);
  return { paymentId: paid.json<{ id: string }>().id, quoteId };
}

async function attemptsOf(paymentId: string) {
  return (
    await t.deps.db.execute<{ attempt_no: number; state: string; ref_id: string; sent_at: Date }>(
      sql`SELECT attempt_no, state, ref_id, sent_at FROM payment_attempts WHERE payment_id = ${paymentId} ORDER BY attempt_no`,
    )
  ).rows;
}

const statusOf = async (paymentId: string) =>
  (await t.deps.db.execute<{ status: string }>(sql`SELECT status FROM payments WHERE id = ${paymentId}`))
    .rows[0]!.status;

const runJob = (paymentId: string) => processPaymentJob(t.deps, { paymentId, seq: 0 }, t.deps.log);

describe('a quote until it is paid', () => {
  it('costs no database write at the inquiry; the payment carries what it fixed, and is the only one', async () => {
    const before = await count(sql`SELECT count(*)::int AS n FROM quotes`);
    const quote = await inquire(t, member, PLN);
    expect(quote.statusCode).toBe(201);
    const quoteId = quote.json<{ id: string }>().id;
    expect(await count(sql`SELECT count(*)::int AS n FROM quotes`)).toBe(before);

    const paid = await pay(t, member, quoteId);
    expect(paid.statusCode).toBe(202);
    const rows = await t.deps.db.execute<{
      total: string;
      koperasi_fee: string;
      price: string;
      member_id: string;
    }>(
      sql`SELECT total::text, koperasi_fee::text, price::text, member_id FROM payments WHERE quote_id = ${quoteId}`,
    );
    expect(rows.rows).toEqual([
      { total: TOTAL.toString(), koperasi_fee: '1000', price: '102000', member_id: member.id },
    ]);
    expect(await count(sql`SELECT count(*)::int AS n FROM quotes`)).toBe(before);

    // Paid once: another key on the same quote is refused and nothing more is debited.
    const balance = (await balanceOf(t, member)).balance;
    const again = await pay(t, member, quoteId);
    expect(again.statusCode).toBe(409);
    expect(again.json<{ code: string }>().code).toBe('QUOTE_ALREADY_USED');
    expect(await count(sql`SELECT count(*)::int AS n FROM payments WHERE quote_id = ${quoteId}`)).toBe(1);
    expect((await balanceOf(t, member)).balance).toBe(balance);
  });

  it('is paid once when two keys race for it', async () => {
    const available = (await balanceOf(t, member)).available;
    const quote = await inquire(t, member, PLN);
    const quoteId = quote.json<{ id: string }>().id;
    const answers = await Promise.all(Array.from({ length: 8 }, () => pay(t, member, quoteId)));
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes.filter((c) => c === 202)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(7);
    expect(await count(sql`SELECT count(*)::int AS n FROM payments WHERE quote_id = ${quoteId}`)).toBe(1);
    expect((await balanceOf(t, member)).available).toBe(available - Number(TOTAL));
  });

  it('is not another member’s to pay', async () => {
    const other = await givenMember(t, kop, { balance: 1_000_000n });
    const quote = await inquire(t, member, PLN);
    const paid = await pay(t, other, quote.json<{ id: string }>().id);
    expect(paid.statusCode).toBe(404);
    expect(paid.json<{ code: string }>().code).toBe('QUOTE_NOT_FOUND');
    expect((await balanceOf(t, other)).available).toBe(1_000_000);
  });

  it('is kept in PostgreSQL when Redis cannot take it, and is paid from there exactly once', async () => {
    // A real client to a port nothing listens on: the write fails as it does when Redis is down.
    const unreachable = new Redis('redis://127.0.0.1:1', {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    unreachable.on('error', () => undefined);
    const quote = await inquire(t, member, PLN);
    const view = quote.json<{ id: string }>();
    const stored = await t.deps.redis.get(`${t.deps.config.REDIS_PREFIX}:quote:${view.id}`);
    expect(stored).not.toBeNull();
    const row = JSON.parse(stored!) as QuoteRow;
    // The same quote under a new id, saved while Redis is unreachable.
    const { randomUUID } = await import('node:crypto');
    const fallbackId = randomUUID();
    const kept = await saveQuote(
      { ...t.deps, redis: unreachable },
      {
        ...row,
        id: fallbackId,
        refId: `${row.refId.slice(0, 10)}FB`,
        denomination: null,
        billAmount: 100_000n,
        penalty: 0n,
        adminFee: 2_500n,
        koperasiFee: 1_000n,
        price: 102_000n,
        total: TOTAL,
        expiresAt: new Date(Date.now() + 600_000),
        createdAt: new Date(),
        usedAt: null,
      },
    );
    unreachable.disconnect();
    expect(kept.id).toBe(fallbackId);
    expect(
      await count(sql`SELECT count(*)::int AS n FROM quotes WHERE id = ${fallbackId} AND used_at IS NULL`),
    ).toBe(1);

    const first = await pay(t, member, fallbackId);
    expect(first.statusCode).toBe(202);
    const second = await pay(t, member, fallbackId);
    expect(second.statusCode).toBe(409);
    expect(await count(sql`SELECT count(*)::int AS n FROM payments WHERE quote_id = ${fallbackId}`)).toBe(1);
  });
});

describe('the first attempt', () => {
  it('is committed with the payment, before any worker runs, under the quote’s ref', async () => {
    const { paymentId } = await accepted();
    const attempts = await attemptsOf(paymentId);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ attempt_no: 1, state: 'sending' });
    expect(upstream.calls.filter((c) => c.method === 'pay')).toHaveLength(0);

    await runJob(paymentId);
    expect(await statusOf(paymentId)).toBe('success');
    expect(upstream.payCount(attempts[0]!.ref_id)).toBe(1);
    expect(await attemptsOf(paymentId)).toHaveLength(1);
  });

  it('is sent under its one ref by duplicate jobs in the window, and the member is debited once', async () => {
    const start = (await balanceOf(t, member)).balance;
    const { paymentId } = await accepted();
    const [attempt] = await attemptsOf(paymentId);
    // A relayed copy and the original running at once.
    await Promise.all([runJob(paymentId), runJob(paymentId)]);
    expect(await statusOf(paymentId)).toBe('success');
    const pays = upstream.calls.filter((c) => c.method === 'pay');
    expect(pays.length).toBeGreaterThanOrEqual(1);
    expect(new Set(pays.map((c) => c.target.refId))).toEqual(new Set([attempt!.ref_id]));
    expect(await attemptsOf(paymentId)).toHaveLength(1);
    expect((await balanceOf(t, member)).balance).toBe(start - Number(TOTAL));
  });

  it('is not sent by a job later than the window: that job asks for the status, as after a crash', async () => {
    const { paymentId } = await accepted();
    const [attempt] = await attemptsOf(paymentId);
    const settleMs = t.deps.config.UPSTREAM_TIMEOUT_MS + 5_000;
    now = new Date(new Date(attempt!.sent_at).getTime() + settleMs + 1_000);
    upstream.onStatus(attempt!.ref_id, { kind: 'success', upstreamRef: 'UP-LATE', rc: '00', message: 'ok' });
    await runJob(paymentId);
    expect(upstream.payCount(attempt!.ref_id)).toBe(0);
    expect(upstream.calls.some((c) => c.method === 'status')).toBe(true);
    expect(await statusOf(paymentId)).toBe('success');
  });

  it('waits rather than sends when the window has passed but the status may not be asked yet', async () => {
    const { paymentId } = await accepted();
    const [attempt] = await attemptsOf(paymentId);
    const settleMs = t.deps.config.UPSTREAM_TIMEOUT_MS + 5_000;
    // Exactly at the window's end: too late to send, just in time to ask.
    now = new Date(new Date(attempt!.sent_at).getTime() + settleMs);
    upstream.onStatus(attempt!.ref_id, { kind: 'success', upstreamRef: 'UP-EDGE', rc: '00', message: 'ok' });
    await runJob(paymentId);
    expect(upstream.payCount(attempt!.ref_id)).toBe(0);
  });
});
