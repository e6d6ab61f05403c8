/**
 * A quote kept in Redis (issue "Performance and scale-out"): the inquiry writes nothing to PostgreSQL; the payment's
 * one acceptance statement writes the quote row, already used, so the quote is paid once and the worker reads the
 * upstream's SKU and handle from it. When Redis cannot take a quote it is kept in PostgreSQL and claimed there. The
 * first upstream attempt is still written by the worker just before it sends, never with the payment.
 */
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeAdapter, createFakeAdapter } from '../../adapters/fake/index.js';
import type { Clock } from '../../src/clock.js';
import { forgetQuote, saveQuote } from '../../src/payments/quote-store.js';
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

describe('a quote until it is paid', () => {
  it('costs no database write at the inquiry; the payment writes it, used, with everything it charged', async () => {
    const before = await count(sql`SELECT count(*)::int AS n FROM quotes`);
    const quote = await inquire(t, member, PLN);
    expect(quote.statusCode).toBe(201);
    const quoteId = quote.json<{ id: string }>().id;
    expect(await count(sql`SELECT count(*)::int AS n FROM quotes`)).toBe(before);

    const paid = await pay(t, member, quoteId);
    expect(paid.statusCode).toBe(202);
    const rows = await t.deps.db.execute<{ total: string; price: string; used: boolean; member_id: string }>(
      sql`SELECT total::text, price::text, used_at IS NOT NULL AS used, member_id FROM quotes WHERE id = ${quoteId}`,
    );
    expect(rows.rows).toEqual([
      { total: TOTAL.toString(), price: '102000', used: true, member_id: member.id },
    ]);
    // No upstream attempt until a worker sends it.
    expect(
      await count(sql`SELECT count(*)::int AS n FROM payment_attempts a JOIN payments p ON p.id = a.payment_id
                            WHERE p.quote_id = ${quoteId}`),
    ).toBe(0);

    // Paid once: another key on the same quote is refused and nothing more is debited.
    const available = (await balanceOf(t, member)).available;
    const again = await pay(t, member, quoteId);
    expect(again.statusCode).toBe(409);
    expect(again.json<{ code: string }>().code).toBe('QUOTE_ALREADY_USED');
    expect(await count(sql`SELECT count(*)::int AS n FROM payments WHERE quote_id = ${quoteId}`)).toBe(1);
    expect((await balanceOf(t, member)).available).toBe(available);
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

  it('is paid from Redis through another API process, and from the memo of the process that made it if Redis lost it', async () => {
    const key = (id: string) => `${t.deps.config.REDIS_PREFIX}:quote:${id}`;
    // Another API process: it did not answer the inquiry, so it reads the quote Redis keeps.
    const elsewhere = (await inquire(t, member, PLN)).json<{ id: string; total: number }>();
    forgetQuote(elsewhere.id);
    const fromRedis = await pay(t, member, elsewhere.id);
    expect(fromRedis.statusCode, fromRedis.body).toBe(202);
    expect(fromRedis.json()).toMatchObject({ total: Number(TOTAL), status: 'processing' });
    // Redis lost it (flushed, failed over): the process that made the quote still has it.
    const lost = (await inquire(t, member, PLN)).json<{ id: string }>().id;
    await t.deps.redis.del(key(lost));
    const fromMemo = await pay(t, member, lost);
    expect(fromMemo.statusCode, fromMemo.body).toBe(202);
    // Lost from both: not found, nothing debited.
    const gone = (await inquire(t, member, PLN)).json<{ id: string }>().id;
    await t.deps.redis.del(key(gone));
    forgetQuote(gone);
    const available = (await balanceOf(t, member)).available;
    const notFound = await pay(t, member, gone);
    expect(notFound.json<{ code: string }>().code).toBe('QUOTE_NOT_FOUND');
    expect((await balanceOf(t, member)).available).toBe(available);
    const paid = await count(
      sql`SELECT count(*)::int AS n FROM payments WHERE quote_id IN (${elsewhere.id}, ${lost}, ${gone})`,
    );
    expect(paid).toBe(2);
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
