/**
 * The pipeline's edge paths, each judged against what the upstream really did (issue "Money truth"):
 * failover dead ends, attempts judged on their own, callbacks that would move money confirmed by a
 * status call, polls that end with a person instead of a re-send, and a claim whose worker died.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeAdapter, createFakeAdapter } from '../../adapters/fake/index.js';
import type { Bill } from '../../src/billers/port.js';
import type { Clock } from '../../src/clock.js';
import { applyOutcome } from '../../src/payments/outcome.js';
import { claimDueJobs } from '../../src/payments/job-state.js';
import {
  type GivenKoperasi,
  type GivenMember,
  type TestApp,
  balanceOf,
  bearer,
  givenApp,
  givenKoperasi,
  givenMember,
  ledgerBreaches,
  quoteAndPay,
  waitForPayment,
} from '../helpers/app.js';

let t: TestApp;
let kop: GivenKoperasi;
let primary: FakeAdapter;
let secondary: FakeAdapter;
let now: Date | undefined;
const clock: Clock = { now: () => now ?? new Date() };

const PLN = { product: 'PLN_POSTPAID', customerNo: '530000000000' };
const TOTAL = 103_500;
const refused = {
  kind: 'failed',
  rc: 'ECONNREFUSED',
  message: 'connection refused',
  transactionCreated: false,
} as const;
const pending = { kind: 'suspect', rc: '03', message: 'Pending' } as const;

/** A bill like the fake's default, with its own admin fee and commission. */
function bill(admin: bigint, commission: bigint): { kind: 'bill'; bill: Bill } {
  return {
    kind: 'bill',
    bill: {
      customerName: 'FAKE CUSTOMER',
      periods: [{ period: '202601', amount: 100_000n, penalty: 0n, admin }],
      billAmount: 100_000n,
      penalty: 0n,
      adminFee: admin,
      price: 100_000n + admin - commission,
      upstreamHandle: 'handle',
      details: {},
    },
  };
}

beforeAll(async () => {
  primary = createFakeAdapter({ name: 'digiflazz' });
  secondary = createFakeAdapter({ name: 'iak' });
  t = await givenApp({
    adapters: [primary, secondary],
    clock,
    workers: true,
    env: { STATUS_POLL_MAX_HOURS: '1' },
  });
  kop = await givenKoperasi(t);
});

beforeEach(() => {
  primary.reset();
  secondary.reset();
  now = undefined;
});

afterAll(async () => {
  await t?.close();
});

const attemptsOf = async (paymentId: string) =>
  (
    await t.deps.db.execute<{ attempt_no: number; adapter: string; ref_id: string; state: string }>(
      sql`SELECT attempt_no, adapter, ref_id, state FROM payment_attempts WHERE payment_id = ${paymentId} ORDER BY attempt_no`,
    )
  ).rows;

const paymentRow = async (paymentId: string) =>
  (
    await t.deps.db.execute<{
      status: string;
      adapter: string;
      ref_id: string;
      price: string;
      review_reason: string | null;
      outbox: boolean;
    }>(
      sql`SELECT status, adapter, ref_id, price::text, review_reason, EXISTS (SELECT 1 FROM outbox o WHERE o.payment_id = p.id) AS outbox
          FROM payments p WHERE id = ${paymentId}`,
    )
  ).rows[0]!;

async function payableOf(koperasiId: string): Promise<bigint> {
  const rows = await t.deps.db.execute<{ s: string }>(sql`
    SELECT coalesce(sum(b.balance), 0)::text AS s FROM account_balances b JOIN accounts a ON a.id = b.account_id
    JOIN books k ON k.id = a.book_id WHERE k.koperasi_id = ${koperasiId} AND a.code = 'payable_gateway'`);
  return BigInt(rows.rows[0]!.s);
}

const postCallback = (
  adapter: string,
  request: { headers: Record<string, string | string[] | undefined>; rawBody: Buffer },
) =>
  t.app.inject({
    method: 'POST',
    url: `/v1/callbacks/${adapter}`,
    headers: request.headers as Record<string, string>,
    payload: request.rawBody,
  });

describe('failover', () => {
  it('fails at once and voids the hold when the next upstream quotes another amount, asking it only once', async () => {
    const member = await givenMember(t, kop, { balance: 200_000n });
    primary.onPay('*', refused);
    secondary.onInquiry('*', bill(3_000n, 500n));
    const paid = await quoteAndPay(t, member, PLN);
    const done = await waitForPayment(t, member.token, paid.id, ['failed', 'success'], 10_000);
    expect(done.status).toBe('failed');
    await new Promise((r) => setTimeout(r, 500));
    expect(secondary.calls.map((c) => c.method)).toEqual(['inquiry']);
    expect(await balanceOf(t, member)).toEqual(
      expect.objectContaining({ balance: 200_000, available: 200_000 }),
    );
    expect((await attemptsOf(paid.id)).map((a) => [a.adapter, a.state])).toEqual([
      ['digiflazz', 'not_created'],
      ['iak', 'not_created'],
    ]);
    expect((await paymentRow(paid.id)).outbox).toBe(false);
    expect(await ledgerBreaches(t)).toEqual([]);
  });

  it('fails when the next upstream cannot quote at all, without retrying it in a loop', async () => {
    const member = await givenMember(t, kop, { balance: 200_000n });
    primary.onPay('*', refused);
    secondary.onInquiry('*', { kind: 'unavailable', rc: 'TIMEOUT', message: 'timed out' });
    const paid = await quoteAndPay(t, member, PLN);
    expect((await waitForPayment(t, member.token, paid.id, ['failed', 'success'], 10_000)).status).toBe(
      'failed',
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(secondary.calls.filter((c) => c.method === 'inquiry')).toHaveLength(1);
    expect((await balanceOf(t, member)).available).toBe(200_000);
  });

  it('stops after every route was tried once when each one refuses before creating anything', async () => {
    const member = await givenMember(t, kop, { balance: 200_000n });
    primary.onPay('*', refused);
    secondary.onPay('*', refused);
    const paid = await quoteAndPay(t, member, PLN);
    expect((await waitForPayment(t, member.token, paid.id, ['failed', 'success'], 10_000)).status).toBe(
      'failed',
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(primary.calls.filter((c) => c.method === 'pay')).toHaveLength(1);
    expect(secondary.calls.filter((c) => c.method === 'pay')).toHaveLength(1);
    expect((await balanceOf(t, member)).available).toBe(200_000);
  });

  it('posts a failed-over payment the treasurer confirms with the price of the upstream that took it', async () => {
    const member = await givenMember(t, kop, { balance: 200_000n });
    primary.onPay('*', refused);
    // Same total for the member, but the second upstream keeps a larger commission: a lower price.
    secondary.onInquiry('*', bill(2_500n, 900n));
    secondary.onPay('*', { kind: 'suspect', rc: 'TIMEOUT', message: 'timed out' });
    secondary.onStatus('*', pending);
    const paid = await quoteAndPay(t, member, PLN);
    await waitForPayment(t, member.token, paid.id, ['suspect'], 10_000);
    // The treasurer sees which upstream and reference to look up in its portal; the member does not.
    const seen = await t.app.inject({ url: `/v1/payments/${paid.id}`, headers: bearer(kop.treasurerToken) });
    expect(seen.json().upstream).toEqual({ adapter: 'iak', refId: (await attemptsOf(paid.id))[1]!.ref_id });
    expect(
      (await t.app.inject({ url: `/v1/payments/${paid.id}`, headers: bearer(member.token) })).json().upstream,
    ).toBeNull();
    const payableBefore = await payableOf(kop.id);
    const resolved = await t.app.inject({
      method: 'POST',
      url: `/v1/payments/${paid.id}/resolve`,
      headers: bearer(kop.treasurerToken),
      payload: { outcome: 'success', reason: 'dicek di portal IAK: sukses' },
    });
    expect(resolved.json().status).toBe('success');
    const attempts = await attemptsOf(paid.id);
    expect(await paymentRow(paid.id)).toMatchObject({
      status: 'success',
      adapter: 'iak',
      ref_id: attempts[1]!.ref_id,
      price: '101600',
    });
    expect((await payableOf(kop.id)) - payableBefore).toBe(101_600n);
    expect(attempts.map((a) => a.state)).toEqual(['not_created', 'success']);
    expect(await ledgerBreaches(t)).toEqual([]);
  });
});

describe('callbacks that would move money', () => {
  async function givenSuspect(member: GivenMember) {
    primary.onPay('*', { kind: 'suspect', rc: 'TIMEOUT', message: 'timed out' });
    primary.onStatus('*', pending);
    const paid = await quoteAndPay(t, member, PLN);
    await waitForPayment(t, member.token, paid.id, ['suspect']);
    return { paymentId: paid.id, refId: (await attemptsOf(paid.id))[0]!.ref_id };
  }

  it('does not fail over on a signed "no transaction" callback the upstream status contradicts', async () => {
    const member = await givenMember(t, kop, { balance: 200_000n });
    const { paymentId, refId } = await givenSuspect(member);
    const forged = primary.signedCallback({
      refId,
      outcome: { kind: 'failed', rc: '44', message: 'Saldo tidak cukup', transactionCreated: false },
      deliveryId: randomUUID(),
    });
    expect((await postCallback('digiflazz', forged)).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(secondary.calls).toHaveLength(0);
    expect((await paymentRow(paymentId)).status).toBe('suspect');
    expect((await balanceOf(t, member)).available).toBe(200_000 - TOTAL);
  });

  it('fails a suspect on a signed failure callback only once the status call confirms it', async () => {
    const member = await givenMember(t, kop, { balance: 200_000n });
    const { paymentId, refId } = await givenSuspect(member);
    const callback = primary.signedCallback({
      refId,
      outcome: { kind: 'failed', rc: '02', message: 'Gagal', transactionCreated: true },
      deliveryId: randomUUID(),
    });
    await postCallback('digiflazz', callback);
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await paymentRow(paymentId)).status).toBe('suspect');
    primary.onStatus('*', { kind: 'failed', rc: '02', message: 'Gagal', transactionCreated: true });
    await postCallback(
      'digiflazz',
      primary.signedCallback({
        refId,
        outcome: { kind: 'failed', rc: '02', message: 'Gagal', transactionCreated: true },
        deliveryId: randomUUID(),
      }),
    );
    expect((await waitForPayment(t, member.token, paymentId)).status).toBe('failed');
    expect((await balanceOf(t, member)).available).toBe(200_000);
  });

  it('reverses a paid bill when the status answers a definitive failure after a notice, whatever its rc', async () => {
    const member = await givenMember(t, kop, { balance: 200_000n });
    const paid = await quoteAndPay(t, member, PLN, { wait: 10 });
    expect(paid.status).toBe('success');
    const refId = (await attemptsOf(paid.id))[0]!.ref_id;
    primary.onStatus('*', {
      kind: 'failed',
      rc: '07',
      message: 'Payment failed (reversed by biller)',
      transactionCreated: true,
    });
    await postCallback(
      'digiflazz',
      primary.signedCallback({
        refId,
        outcome: { kind: 'failed', rc: '07', message: 'reversed', transactionCreated: true },
        deliveryId: randomUUID(),
      }),
    );
    expect((await waitForPayment(t, member.token, paid.id, ['refunded'])).status).toBe('refunded');
    expect(await balanceOf(t, member)).toEqual(
      expect.objectContaining({ balance: 200_000, available: 200_000 }),
    );
    expect(await ledgerBreaches(t)).toEqual([]);
  });

  it('keeps asking about a refund notice for a paid bill when the first confirming status call gets no answer', async () => {
    const member = await givenMember(t, kop, { balance: 200_000n });
    const paid = await quoteAndPay(t, member, PLN, { wait: 10 });
    const refId = (await attemptsOf(paid.id))[0]!.ref_id;
    primary.onStatus(refId, [
      { kind: 'suspect', rc: 'TIMEOUT', message: 'timed out' },
      { kind: 'suspect', rc: 'TIMEOUT', message: 'timed out' },
      { kind: 'refunded', rc: '74', message: 'Transaksi Refund' },
    ]);
    const notice = primary.signedCallback({
      refId,
      outcome: { kind: 'refunded', rc: '74', message: 'Transaksi Refund' },
      deliveryId: randomUUID(),
    });
    const answered = await postCallback('digiflazz', notice);
    expect(answered.json()).toEqual({ status: 'confirming' });
    expect(await paymentRow(paid.id)).toMatchObject({ status: 'success', outbox: true });
    expect((await waitForPayment(t, member.token, paid.id, ['refunded'])).status).toBe('refunded');
    expect(await paymentRow(paid.id)).toMatchObject({ outbox: false });
    expect((await balanceOf(t, member)).balance).toBe(200_000);
    expect(await ledgerBreaches(t)).toEqual([]);
  });

  it('keeps confirming a refund notice when a late duplicate of the success callback arrives meanwhile', async () => {
    const member = await givenMember(t, kop, { balance: 200_000n });
    const paid = await quoteAndPay(t, member, PLN, { wait: 10 });
    const refId = (await attemptsOf(paid.id))[0]!.ref_id;
    let upstreamRefunded = false;
    primary.onStatus(refId, () =>
      upstreamRefunded
        ? { kind: 'refunded', rc: '74', message: 'Transaksi Refund' }
        : { kind: 'suspect', rc: 'TIMEOUT', message: 'timed out' },
    );
    const notice = primary.signedCallback({
      refId,
      outcome: { kind: 'refunded', rc: '74', message: 'Transaksi Refund' },
      deliveryId: randomUUID(),
    });
    expect((await postCallback('digiflazz', notice)).json()).toEqual({ status: 'confirming' });
    const duplicate = primary.signedCallback({
      refId,
      outcome: { kind: 'success', upstreamRef: 'SN-1', rc: '00', message: 'Sukses' },
      deliveryId: randomUUID(),
    });
    expect((await postCallback('digiflazz', duplicate)).json()).toEqual({ status: 'applied' });
    expect(await paymentRow(paid.id)).toMatchObject({ status: 'success', outbox: true });
    upstreamRefunded = true;
    expect((await waitForPayment(t, member.token, paid.id, ['refunded'])).status).toBe('refunded');
  });

  it('acts on a refund notice redelivered after its first delivery failed on a database error (found by simulation seed 23)', async () => {
    const member = await givenMember(t, kop, { balance: 200_000n });
    const paid = await quoteAndPay(t, member, PLN, { wait: 10 });
    const refId = (await attemptsOf(paid.id))[0]!.ref_id;
    primary.onStatus(refId, { kind: 'refunded', rc: '74', message: 'Transaksi Refund' });
    const notice = primary.signedCallback({
      refId,
      outcome: { kind: 'refunded', rc: '74', message: 'Transaksi Refund' },
      deliveryId: randomUUID(),
    });
    // The database goes away under the first delivery (here: the payments table, briefly): the upstream gets a 5xx
    // and delivers the same notice again a few seconds later, well inside the window that rate-limits notices.
    await t.database.superuser('ALTER TABLE payments RENAME TO payments_away');
    let first;
    try {
      first = await postCallback('digiflazz', notice);
    } finally {
      await t.database.superuser('ALTER TABLE payments_away RENAME TO payments');
    }
    expect(first.statusCode).toBeGreaterThanOrEqual(500);
    expect((await paymentRow(paid.id)).status).toBe('success');
    expect((await postCallback('digiflazz', notice)).json()).toEqual({ status: 'applied' });
    expect(await paymentRow(paid.id)).toMatchObject({ status: 'refunded', outbox: false });
    expect((await balanceOf(t, member)).balance).toBe(200_000);
    expect(await ledgerBreaches(t)).toEqual([]);
  });

  it('acts on a refund notice redelivered after the process confirming the first delivery died (found by simulation seed 14014)', async () => {
    const member = await givenMember(t, kop, { balance: 200_000n });
    const paid = await quoteAndPay(t, member, PLN, { wait: 10 });
    const refId = (await attemptsOf(paid.id))[0]!.ref_id;
    primary.onStatus(refId, { kind: 'refunded', rc: '74', message: 'Transaksi Refund' });
    // An API process took the first delivery, claimed the confirmation window and was killed before it asked or
    // answered: its claim stays in Redis for the window, and the upstream delivers the notice again.
    await t.deps.redis.set(
      `${t.config.REDIS_PREFIX}:callback-confirm:digiflazz:${refId}:refunded`,
      '1',
      'PX',
      3_000,
    );
    const again = primary.signedCallback({
      refId,
      outcome: { kind: 'refunded', rc: '74', message: 'Transaksi Refund' },
      deliveryId: randomUUID(),
    });
    expect((await postCallback('digiflazz', again)).statusCode).toBe(200);
    await expect.poll(async () => (await paymentRow(paid.id)).status, { timeout: 20_000 }).toBe('refunded');
    expect((await balanceOf(t, member)).balance).toBe(200_000);
    expect(await ledgerBreaches(t)).toEqual([]);
  });

  it('lists a paid bill for a person when a signed refund notice and the upstream status disagree', async () => {
    const member = await givenMember(t, kop, { balance: 200_000n });
    const paid = await quoteAndPay(t, member, PLN, { wait: 10 });
    const refId = (await attemptsOf(paid.id))[0]!.ref_id;
    const notice = primary.signedCallback({
      refId,
      outcome: { kind: 'refunded', rc: '74', message: 'Transaksi Refund' },
      deliveryId: randomUUID(),
    });
    expect((await postCallback('digiflazz', notice)).statusCode).toBe(200);
    expect(await paymentRow(paid.id)).toMatchObject({
      status: 'success',
      review_reason: expect.stringMatching(/refund/),
    });
  });

  it('asks the upstream at most once for a burst of replayed notices', async () => {
    const member = await givenMember(t, kop, { balance: 200_000n });
    const start = new Date();
    now = start;
    const { refId } = await givenSuspect(member);
    // Half an hour on: once the poll already queued has run, the next one is about half an hour away, so
    // only notices can cause one now.
    const statusCalls = () =>
      primary.calls.filter((c) => c.method === 'status' && c.target.refId === refId).length;
    const atSuspect = statusCalls();
    now = new Date(start.getTime() + 30 * 60_000);
    await expect.poll(statusCalls).toBeGreaterThan(atSuspect);
    // Settled once no poll has happened for a while (the clock jump makes every due row run at once).
    let before = statusCalls();
    for (let quiet = 0; quiet < 3;) {
      await new Promise((r) => setTimeout(r, 500));
      quiet = statusCalls() === before ? quiet + 1 : 0;
      before = statusCalls();
    }
    const notice = primary.signedCallback({
      refId,
      outcome: { kind: 'failed', rc: '02', message: 'Gagal', transactionCreated: true },
    });
    for (let i = 0; i < 20; i++) await postCallback('digiflazz', notice);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(statusCalls() - before).toBe(1);
  });
});

describe('status polling', () => {
  it('stops asking after STATUS_POLL_MAX_HOURS and lists the payment for a person, money still held', async () => {
    const member = await givenMember(t, kop, { balance: 200_000n });
    now = new Date();
    primary.onPay('*', { kind: 'suspect', rc: 'TIMEOUT', message: 'timed out' });
    primary.onStatus('*', pending);
    const paid = await quoteAndPay(t, member, PLN);
    await waitForPayment(t, member.token, paid.id, ['suspect']);
    now = new Date(now.getTime() + 61 * 60_000);
    await expect
      .poll(async () => (await paymentRow(paid.id)).review_reason, { timeout: 15_000 })
      .toMatch(/no final answer/);
    const row = await paymentRow(paid.id);
    expect(row).toMatchObject({ status: 'suspect', outbox: false });
    // A poll job that read the payment just before the flag was written may still ask once; after it, none does.
    await new Promise((r) => setTimeout(r, 500));
    const polls = primary.calls.filter((c) => c.method === 'status').length;
    await new Promise((r) => setTimeout(r, 1_000));
    expect(primary.calls.filter((c) => c.method === 'status')).toHaveLength(polls);
    expect((await balanceOf(t, member)).available).toBe(200_000 - TOTAL);
    const listed = await t.app.inject({
      url: '/v1/payments?attention=true',
      headers: bearer(kop.treasurerToken),
    });
    expect(listed.json().items.map((p: { id: string }) => p.id)).toContain(paid.id);
  });
});

describe('a refund notice racing a late success', () => {
  it('checks the notice again when a success read before the refund is applied after the notice arrived', async () => {
    const fake = createFakeAdapter({ name: 'digiflazz' });
    const race = await givenApp({ adapters: [fake] });
    const { startWorkers } = await import('../../src/worker.js');
    let workers = startWorkers(race.deps, { pollIntervalMs: 50 });
    try {
      const k = await givenKoperasi(race);
      const member = await givenMember(race, k, { balance: 200_000n });
      fake.onPay('*', pending);
      fake.onStatus('*', pending);
      const paid = await quoteAndPay(race, member, PLN);
      await waitForPayment(race, member.token, paid.id, ['suspect']);
      const attempt = (
        await race.deps.db.execute<{ ref_id: string }>(
          sql`SELECT ref_id FROM payment_attempts WHERE payment_id = ${paid.id}`,
        )
      ).rows[0]!;
      await workers.close();
      // The upstream refunds and says so while a poll's "paid" answer (read just before) is still on its way.
      fake.onStatus('*', { kind: 'refunded', rc: '74', message: 'Transaksi Refund' });
      const notice = fake.signedCallback({
        refId: attempt.ref_id,
        outcome: { kind: 'refunded', rc: '74', message: 'Transaksi Refund' },
        deliveryId: randomUUID(),
      });
      const answered = await race.app.inject({
        method: 'POST',
        url: '/v1/callbacks/digiflazz',
        headers: notice.headers as Record<string, string>,
        payload: notice.rawBody,
      });
      expect(answered.json()).toEqual({ status: 'confirming' });
      await applyOutcome(
        race.deps,
        paid.id,
        { attemptNo: 1 },
        { kind: 'success', upstreamRef: 'SN-EARLY', rc: '00', message: 'Sukses' },
        race.deps.log,
      );
      expect((await waitForPayment(race, member.token, paid.id, ['success'])).status).toBe('success');
      workers = startWorkers(race.deps, { pollIntervalMs: 50 });
      expect((await waitForPayment(race, member.token, paid.id, ['refunded'])).status).toBe('refunded');
      expect((await balanceOf(race, member)).balance).toBe(200_000);
      expect(await ledgerBreaches(race)).toEqual([]);
    } finally {
      await workers.close();
      await race.close();
    }
  });
});

describe('ledger verify', () => {
  it('names an open payment that has neither a scheduled next step nor a person it is listed for', async () => {
    const member = await givenMember(t, kop, { balance: 200_000n });
    primary.onPay('*', { kind: 'suspect', rc: 'TIMEOUT', message: 'timed out' });
    primary.onStatus('*', pending);
    const paid = await quoteAndPay(t, member, PLN);
    await waitForPayment(t, member.token, paid.id, ['suspect']);
    expect(await ledgerBreaches(t)).toEqual([]);
    await t.database.superuser(`DELETE FROM outbox WHERE payment_id = '${paid.id}'`);
    const breaches = await ledgerBreaches(t);
    expect(breaches.map((b) => b.name)).toEqual(['open_payments_attended']);
    expect(breaches[0]!.breaches).toEqual([
      expect.objectContaining({ payment_id: paid.id, status: 'suspect' }),
    ]);
    await t.database.superuser(
      `UPDATE payments SET review_reason = 'checked by hand' WHERE id = '${paid.id}'`,
    );
    expect(await ledgerBreaches(t)).toEqual([]);
  });
});

describe('the outbox as the queue', () => {
  it('runs a payment whose worker died holding its claim once the lease runs out, and not before', async () => {
    const fake = createFakeAdapter({ name: 'digiflazz' });
    let at: Date | undefined;
    const leased = await givenApp({ adapters: [fake], clock: { now: () => at ?? new Date() } });
    const { startWorkers } = await import('../../src/worker.js');
    let workers: { close(): Promise<void> } | undefined;
    try {
      const k = await givenKoperasi(leased);
      const member = await givenMember(leased, k, { balance: 200_000n });
      const paid = await quoteAndPay(leased, member, PLN);
      // A worker claims the payment (its claim writes the first attempt, due to be sent) and dies before sending.
      const claimedAt = new Date();
      const leaseMs = leased.config.UPSTREAM_TIMEOUT_MS + 30_000;
      const claimed = await claimDueJobs(leased.deps, claimedAt, new Date(claimedAt.getTime() + leaseMs), 10);
      expect(claimed.map((c) => c.job.paymentId)).toEqual([paid.id]);
      expect(claimed[0]!.work.firstAttempt?.state).toBe('sending');

      // Another worker leaves it alone while the lease holds.
      at = new Date(claimedAt.getTime() + leaseMs - 1_000);
      workers = startWorkers(leased.deps, { pollIntervalMs: 50 });
      await new Promise((r) => setTimeout(r, 1_000));
      expect(fake.calls.filter((c) => c.method !== 'inquiry')).toEqual([]);
      expect((await waitForPayment(leased, member.token, paid.id, ['processing'])).status).toBe('processing');

      // The lease runs out: the attempt may have been sent, so the upstream's status decides (it never got it).
      at = new Date(claimedAt.getTime() + leaseMs + 1_000);
      const ended = await waitForPayment(leased, member.token, paid.id, ['success', 'failed', 'refunded']);
      expect(ended.status).toBe('failed');
      expect(fake.calls.filter((c) => c.method === 'pay')).toEqual([]);
      expect(fake.calls.filter((c) => c.method === 'status')).toHaveLength(1);
      expect((await balanceOf(leased, member)).balance).toBe(200_000);
      expect(await ledgerBreaches(leased)).toEqual([]);
    } finally {
      await workers?.close();
      await leased.close();
    }
  });
});
