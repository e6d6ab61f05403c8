/**
 * The payment pipeline end to end (API → Postgres → BullMQ → worker → adapter → ledger) with the
 * in-process fake adapter, so each upstream behaviour can be scripted exactly.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeAdapter, createFakeAdapter } from '../../adapters/fake/index.js';
import type { Clock } from '../../src/clock.js';
import { processPaymentJob } from '../../src/payments/pipeline.js';
import {
  type GivenKoperasi,
  type TestApp,
  balanceOf,
  bearer,
  givenApp,
  givenKoperasi,
  givenMember,
  inquire,
  ledgerBreaches,
  pay,
  quoteAndPay,
  snapshotCounts,
  waitForPayment,
} from '../helpers/app.js';

let t: TestApp;
let kop: GivenKoperasi;
let primary: FakeAdapter;
let secondary: FakeAdapter;
let now: Date | undefined;
const clock: Clock = { now: () => now ?? new Date() };

const PLN = { product: 'PLN_POSTPAID', customerNo: '530000000000' };
// Fake default bill: 100 000 + 2 500 admin, commission 500; koperasi fee 1 000 → total 103 500.
const TOTAL = 103_500;

beforeAll(async () => {
  primary = createFakeAdapter({ name: 'digiflazz' });
  secondary = createFakeAdapter({ name: 'iak' });
  t = await givenApp({ adapters: [primary, secondary], clock, workers: true });
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

async function ledgerAmount(code: string): Promise<bigint> {
  const rows = await t.deps.db.execute<{ s: string }>(sql`
    SELECT coalesce(sum(b.balance), 0)::text AS s FROM account_balances b JOIN accounts a ON a.id = b.account_id
    JOIN books k ON k.id = a.book_id WHERE k.koperasi_id = ${kop.id} AND a.code = ${code}`);
  return BigInt(rows.rows[0]!.s);
}

describe('a successful payment', () => {
  it('debits the member, posts payable, fee and commission, and verifies', async () => {
    const member = await givenMember(t, kop, { balance: 200_000n });
    const feeBefore = await ledgerAmount('fee_income');
    const quote = await inquire(t, member, PLN);
    expect(quote.statusCode).toBe(201);
    expect(quote.json()).toMatchObject({
      billAmount: 100_000,
      adminFee: 2_500,
      koperasiFee: 1_000,
      total: TOTAL,
      customerNo: '530000000000',
    });
    const accepted = await pay(t, member, quote.json().id);
    expect(accepted.statusCode).toBe(202);
    expect(accepted.json()).toMatchObject({ status: 'processing', total: TOTAL });
    const done = await waitForPayment(t, member.token, accepted.json().id);
    expect(done).toMatchObject({ status: 'success', upstreamRef: expect.any(String) });
    expect(await balanceOf(t, member)).toEqual(
      expect.objectContaining({ balance: 200_000 - TOTAL, available: 200_000 - TOTAL }),
    );
    expect((await ledgerAmount('fee_income')) - feeBefore).toBe(1_000n);
    expect(primary.payCount(quote.json().id.replaceAll('-', ''))).toBe(1);
    expect(await ledgerBreaches(t)).toEqual([]);
  });

  it('shows the hold as balance minus available while in flight, and waits with Prefer: wait', async () => {
    const member = await givenMember(t, kop, { balance: 300_000n });
    const gate = primary.hold('pay');
    const quote = await inquire(t, member, PLN);
    const accepted = await pay(t, member, quote.json().id);
    await gate.entered();
    expect(await balanceOf(t, member)).toEqual(
      expect.objectContaining({ balance: 300_000, available: 300_000 - TOTAL }),
    );
    gate.release();
    const waited = await t.app.inject({
      url: `/v1/payments/${accepted.json().id}`,
      headers: bearer(member.token),
    });
    expect(['processing', 'success']).toContain(waited.json().status);
    await waitForPayment(t, member.token, accepted.json().id);
    const quote2 = await inquire(t, member, PLN);
    const sync = await pay(t, member, quote2.json().id, { wait: 10 });
    expect(sync.statusCode).toBe(200);
    expect(sync.json().status).toBe('success');
    expect(sync.headers['preference-applied']).toBe('wait=10');
  });
});

describe('failures and suspects', () => {
  it('voids the hold on a definitive failure and refunds the member in full', async () => {
    const member = await givenMember(t, kop, { balance: 120_000n });
    primary.onPay('*', { kind: 'failed', rc: '02', message: 'Transaksi Gagal', transactionCreated: true });
    const paid = await quoteAndPay(t, member, PLN);
    const done = await waitForPayment(t, member.token, paid.id);
    expect(done).toMatchObject({ status: 'failed', failureCode: 'UPSTREAM_02' });
    expect(await balanceOf(t, member)).toEqual(
      expect.objectContaining({ balance: 120_000, available: 120_000 }),
    );
    expect(secondary.calls.filter((c) => c.method === 'pay')).toHaveLength(0);
    expect(await ledgerBreaches(t)).toEqual([]);
  });

  it('keeps a timed-out payment suspect, never re-sends it, and settles it by status polling', async () => {
    const member = await givenMember(t, kop, { balance: 120_000n });
    primary.onPay('*', { kind: 'suspect', rc: 'TIMEOUT', message: 'timed out' });
    primary.onStatus('*', [
      { kind: 'suspect', rc: '03', message: 'Pending' },
      { kind: 'success', upstreamRef: 'SN-LATE', rc: '00', message: 'Sukses' },
    ]);
    const paid = await quoteAndPay(t, member, PLN);
    await waitForPayment(t, member.token, paid.id, ['suspect']);
    const done = await waitForPayment(t, member.token, paid.id);
    expect(done).toMatchObject({ status: 'success', upstreamRef: 'SN-LATE' });
    expect(primary.calls.filter((c) => c.method === 'pay')).toHaveLength(1);
    expect(secondary.calls).toHaveLength(0);
    expect(primary.calls.filter((c) => c.method === 'status').length).toBeGreaterThanOrEqual(2);
    expect(await ledgerBreaches(t)).toEqual([]);
  });

  it('fails over to the next adapter only when the first provably created nothing', async () => {
    const member = await givenMember(t, kop, { balance: 120_000n });
    primary.onPay('*', {
      kind: 'failed',
      rc: 'ECONNREFUSED',
      message: 'connection refused',
      transactionCreated: false,
    });
    const paid = await quoteAndPay(t, member, PLN);
    const done = await waitForPayment(t, member.token, paid.id);
    expect(done.status).toBe('success');
    expect(secondary.calls.map((c) => c.method)).toEqual(['inquiry', 'pay']);
    const attempts = await t.deps.db.execute<{ adapter: string; state: string }>(
      sql`SELECT adapter, state FROM payment_attempts WHERE payment_id = ${paid.id} ORDER BY attempt_no`,
    );
    expect(attempts.rows).toEqual([
      { adapter: 'digiflazz', state: 'not_created' },
      { adapter: 'iak', state: 'success' },
    ]);
    expect(await ledgerBreaches(t)).toEqual([]);
  });

  it('refunds a success the upstream reverses later (confirmed by its status) with a new linked transaction', async () => {
    const member = await givenMember(t, kop, { balance: 120_000n });
    const paid = await quoteAndPay(t, member, PLN);
    await waitForPayment(t, member.token, paid.id);
    const attempt = await t.deps.db.execute<{ ref_id: string }>(
      sql`SELECT ref_id FROM payment_attempts WHERE payment_id = ${paid.id}`,
    );
    const refId = attempt.rows[0]!.ref_id;
    primary.onStatus(refId, { kind: 'refunded', rc: '74', message: 'Transaksi Refund' });
    const callback = primary.signedCallback({
      refId,
      outcome: { kind: 'refunded', rc: '74', message: 'Transaksi Refund' },
      deliveryId: randomUUID(),
    });
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/callbacks/digiflazz',
      headers: callback.headers as Record<string, string>,
      payload: callback.rawBody,
    });
    expect(response.statusCode).toBe(200);
    expect((await waitForPayment(t, member.token, paid.id, ['refunded'])).status).toBe('refunded');
    expect(await balanceOf(t, member)).toEqual(expect.objectContaining({ balance: 120_000 }));
    const refund = await t.deps.db.execute<{ reverses_tx_id: string | null }>(
      sql`SELECT reverses_tx_id::text FROM journal_transactions WHERE payment_id = ${paid.id} AND kind = 'payment_refund'`,
    );
    expect(refund.rows[0]!.reverses_tx_id).not.toBeNull();
    expect(await ledgerBreaches(t)).toEqual([]);
  });
});

describe('refusals before any money moves', () => {
  it('refuses a payment larger than the available balance before any upstream call', async () => {
    const member = await givenMember(t, kop, { balance: 50_000n });
    const quote = await inquire(t, member, PLN);
    const before = await snapshotCounts(t);
    const response = await pay(t, member, quote.json().id);
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('INSUFFICIENT_BALANCE');
    expect(primary.calls.filter((c) => c.method === 'pay')).toHaveLength(0);
    expect(await snapshotCounts(t)).toEqual(before);
  });

  it('refuses PLN inside the cut-off window before any upstream call or debit', async () => {
    // The production window (the other tests get one far from their clock).
    const night = await givenApp({
      adapters: [primary],
      clock,
      env: { PLN_CUTOFF_START: '23:00', PLN_CUTOFF_END: '00:30' },
    });
    try {
      const nightKop = await givenKoperasi(night);
      const member = await givenMember(night, nightKop, { balance: 500_000n });
      now = new Date('2026-11-28T23:15:00+07:00');
      const before = await snapshotCounts(night);
      const response = await inquire(night, member, PLN);
      expect(response.statusCode).toBe(422);
      expect(response.json().code).toBe('PRODUCT_CUT_OFF');
      expect(primary.calls).toHaveLength(0);
      const water = await inquire(night, member, { product: 'PDAM_TIRTA_BENTENG', customerNo: '12340000' });
      expect(water.statusCode).toBe(201);
      now = new Date('2026-11-28T22:50:00+07:00');
      const quote = await inquire(night, member, PLN);
      now = new Date('2026-11-28T23:01:00+07:00');
      const late = await pay(night, member, quote.json().id);
      expect(late.json().code).toBe('PRODUCT_CUT_OFF');
      expect((await snapshotCounts(night)).holds).toBe(before.holds);
    } finally {
      now = undefined;
      await night.close();
    }
  });

  it('refuses an expired quote and a quote paid twice', async () => {
    const member = await givenMember(t, kop, { balance: 500_000n });
    now = new Date('2026-11-28T10:00:00+07:00');
    const quote = await inquire(t, member, PLN);
    expect(quote.json().expiresAt).toBe('2026-11-28T03:15:00.000Z');
    now = new Date('2026-11-28T10:16:00+07:00');
    const expired = await pay(t, member, quote.json().id);
    expect(expired.json().code).toBe('QUOTE_EXPIRED');
    now = undefined;
    const fresh = await inquire(t, member, PLN);
    const first = await pay(t, member, fresh.json().id);
    expect(first.statusCode).toBe(202);
    await waitForPayment(t, member.token, first.json().id);
    const again = await pay(t, member, fresh.json().id);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('QUOTE_ALREADY_USED');
  });

  it('ends a quote at WIB midnight when that comes before 15 minutes', async () => {
    const member = await givenMember(t, kop, { balance: 500_000n });
    now = new Date('2026-11-28T23:55:00+07:00');
    const quote = await inquire(t, member, {
      product: 'BPJS_KESEHATAN',
      customerNo: '8888801234560000',
      months: 2,
    });
    expect(quote.statusCode).toBe(201);
    expect(quote.json().expiresAt).toBe('2026-11-28T17:00:00.000Z');
  });

  it('locks payments after 5 wrong PINs until the treasurer unlocks, without touching money', async () => {
    const member = await givenMember(t, kop, { balance: 500_000n });
    const quote = await inquire(t, member, PLN);
    const before = await snapshotCounts(t);
    const answers = [];
    for (let i = 0; i < 5; i++)
      answers.push((await pay(t, member, quote.json().id, { pin: '000000' })).json());
    expect(answers.slice(0, 4).map((a) => [a.code, a.remainingAttempts])).toEqual([
      ['PIN_INVALID', 4],
      ['PIN_INVALID', 3],
      ['PIN_INVALID', 2],
      ['PIN_INVALID', 1],
    ]);
    expect(answers[4]!.code).toBe('PIN_LOCKED');
    const locked = await pay(t, member, quote.json().id);
    expect(locked.statusCode).toBe(423);
    expect(locked.json().code).toBe('PIN_LOCKED');
    const after = await snapshotCounts(t);
    expect({ ...after, audit_log: before.audit_log }).toEqual(before);
    const unlock = await t.app.inject({
      method: 'POST',
      url: `/v1/members/${member.memberNo}/unlock-pin`,
      headers: bearer(kop.treasurerToken),
    });
    expect(unlock.json().pinLocked).toBe(false);
    const paid = await pay(t, member, quote.json().id);
    expect(paid.statusCode).toBe(202);
    await waitForPayment(t, member.token, paid.json().id);
  });

  it.each([
    [{ product: 'PLN_POSTPAID', customerNo: '12345' }, 'VALIDATION_FAILED'],
    [{ product: 'PLN_POSTPAID', customerNo: '5300000000001' }, 'VALIDATION_FAILED'],
    [{ product: 'PLN_PREPAID', customerNo: '12345678901', amount: 12_345 }, 'VALIDATION_FAILED'],
    [{ product: 'PLN_PREPAID', customerNo: '12345678901' }, 'VALIDATION_FAILED'],
    [{ product: 'BPJS_KESEHATAN', customerNo: '8888801234560000' }, 'VALIDATION_FAILED'],
    [{ product: 'BPJS_KESEHATAN', customerNo: '8888801234560000', months: 13 }, 'VALIDATION_FAILED'],
    [{ product: 'PDAM_TIRTA_BENTENG', customerNo: '12340000', months: 2 }, 'VALIDATION_FAILED'],
    [{ product: 'PULSA_TELKOMSEL', customerNo: '081234567890' }, 'PRODUCT_UNKNOWN'],
    [{ product: 'PLN_POSTPAID', customerNo: '530000000000', extra: 1 }, 'VALIDATION_FAILED'],
  ])('refuses the inquiry %j with %s and calls no upstream', async (payload, code) => {
    const member = await givenMember(t, kop);
    const response = await inquire(t, member, payload);
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(response.json().code).toBe(code);
    expect(primary.calls.filter((c) => c.method === 'inquiry')).toHaveLength(0);
  });
});

describe('a member paying again with the PIN this process remembers', () => {
  const paidOnce = async (member: Awaited<ReturnType<typeof givenMember>>) => {
    const first = await pay(t, member, (await inquire(t, member, PLN)).json().id);
    expect(first.statusCode, first.body).toBe(202);
    await waitForPayment(t, member.token, first.json().id);
    return first.json().id as string;
  };

  it('refuses the old PIN after the member changed it, spending a guess, and takes the new one', async () => {
    const member = await givenMember(t, kop, { balance: 500_000n });
    await paidOnce(member);
    const changed = await t.app.inject({
      method: 'POST',
      url: '/v1/me/pin',
      headers: bearer(member.token),
      payload: { currentPin: member.pin, newPin: '592046' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const token = changed.json().accessToken as string;
    const quote = (await inquire(t, { ...member, token }, PLN)).json().id as string;
    const before = await snapshotCounts(t);
    const old = await pay(t, { ...member, token }, quote, { pin: member.pin });
    expect(old.json()).toMatchObject({ code: 'PIN_INVALID', remainingAttempts: 4 });
    expect({ ...(await snapshotCounts(t)), audit_log: before.audit_log }).toEqual(before);
    expect((await balanceOf(t, member)).balance).toBe(500_000 - TOTAL);
    const paid = await pay(t, { ...member, token }, quote, { pin: '592046' });
    expect(paid.statusCode, paid.body).toBe(202);
  });

  it('refuses with PIN_LOCKED and writes nothing when the PIN was locked elsewhere since', async () => {
    const member = await givenMember(t, kop, { balance: 500_000n });
    await paidOnce(member);
    // Another API process locked it (five wrong guesses there): this process still remembers the right PIN.
    await t.deps.db.execute(
      sql`UPDATE users SET pin_locked_at = now(), pin_failures = 5 WHERE id = ${member.id}`,
    );
    const quote = (await inquire(t, member, PLN)).json().id as string;
    const before = await snapshotCounts(t);
    const locked = await pay(t, member, quote);
    expect(locked.statusCode).toBe(423);
    expect(locked.json().code).toBe('PIN_LOCKED');
    expect(await snapshotCounts(t)).toEqual(before);
  });

  it('replays an Idempotency-Key after its quote expired, and refuses the expired quote under a new key', async () => {
    const member = await givenMember(t, kop, { balance: 500_000n });
    await paidOnce(member);
    const quote = (await inquire(t, member, PLN)).json().id as string;
    const key = randomUUID();
    const first = await pay(t, member, quote, { key });
    expect(first.statusCode).toBe(202);
    await waitForPayment(t, member.token, first.json().id);
    now = new Date(Date.now() + 16 * 60_000);
    const again = await pay(t, member, quote, { key });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const other = await pay(t, member, quote);
    expect(other.json().code).toBe('QUOTE_ALREADY_USED');
    expect((await balanceOf(t, member)).balance).toBe(500_000 - 2 * TOTAL);
  });

  it('pays from the member’s savings and names the member in the answer', async () => {
    const member = await givenMember(t, kop, { balance: 500_000n });
    await paidOnce(member);
    const paid = await pay(t, member, (await inquire(t, member, PLN)).json().id);
    expect(paid.statusCode).toBe(202);
    expect(paid.json()).toMatchObject({ memberNo: member.memberNo, total: TOTAL });
    await waitForPayment(t, member.token, paid.json().id);
    expect((await balanceOf(t, member)).balance).toBe(500_000 - 2 * TOTAL);
  });
});

describe('concurrency', () => {
  it('turns 100 concurrent POSTs with one Idempotency-Key into one payment, one debit, one upstream call', async () => {
    const member = await givenMember(t, kop, { balance: 1_000_000n });
    const quote = await inquire(t, member, PLN);
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => pay(t, member, quote.json().id, { key })),
    );
    expect(responses.every((r) => r.statusCode === 202 || r.statusCode === 200)).toBe(true);
    const ids = new Set(responses.map((r) => r.json().id));
    expect(ids.size).toBe(1);
    const [id] = [...ids] as [string];
    await waitForPayment(t, member.token, id);
    expect(primary.payCount(quote.json().id.replaceAll('-', ''))).toBe(1);
    const holds = await t.deps.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM payments WHERE member_id = ${member.id}`,
    );
    expect(holds.rows[0]!.n).toBe(1);
    expect((await balanceOf(t, member)).balance).toBe(1_000_000 - TOTAL);
  });

  it('lets concurrent payments larger in sum than the balance succeed exactly as far as the balance allows', async () => {
    const member = await givenMember(t, kop, { balance: 5n * BigInt(TOTAL) + 1_000n });
    const quotes = await Promise.all(Array.from({ length: 12 }, () => inquire(t, member, PLN)));
    const responses = await Promise.all(quotes.map((q) => pay(t, member, q.json().id)));
    const accepted = responses.filter((r) => r.statusCode === 202);
    const refused = responses.filter((r) => r.statusCode === 422);
    expect(accepted).toHaveLength(5);
    expect(refused.every((r) => r.json().code === 'INSUFFICIENT_BALANCE')).toBe(true);
    for (const r of accepted) await waitForPayment(t, member.token, r.json().id);
    expect(await balanceOf(t, member)).toEqual(expect.objectContaining({ balance: 1_000, available: 1_000 }));
    expect(await ledgerBreaches(t)).toEqual([]);
  });
});

describe('callbacks and the treasurer', () => {
  async function givenSuspect(balance = 200_000n) {
    const member = await givenMember(t, kop, { balance });
    primary.onPay('*', { kind: 'suspect', rc: 'TIMEOUT', message: 'timed out' });
    primary.onStatus('*', { kind: 'suspect', rc: '03', message: 'Pending' });
    const paid = await quoteAndPay(t, member, PLN);
    await waitForPayment(t, member.token, paid.id, ['suspect']);
    const attempt = await t.deps.db.execute<{ ref_id: string }>(
      sql`SELECT ref_id FROM payment_attempts WHERE payment_id = ${paid.id}`,
    );
    return { member, paymentId: paid.id, refId: attempt.rows[0]!.ref_id };
  }

  const postCallback = (request: {
    headers: Record<string, string | string[] | undefined>;
    rawBody: Buffer;
  }) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/callbacks/digiflazz',
      headers: request.headers as Record<string, string>,
      payload: request.rawBody,
    });

  it('settles a suspect payment from a signed callback and ignores its replay', async () => {
    const { member, paymentId, refId } = await givenSuspect();
    const callback = primary.signedCallback({
      refId,
      outcome: { kind: 'success', upstreamRef: 'SN-CB', rc: '00', message: 'Sukses' },
      deliveryId: 'delivery-1',
    });
    expect((await postCallback(callback)).json()).toEqual({ status: 'applied' });
    expect(await waitForPayment(t, member.token, paymentId)).toMatchObject({
      status: 'success',
      upstreamRef: 'SN-CB',
    });
    const before = await snapshotCounts(t);
    expect((await postCallback(callback)).json()).toEqual({ status: 'duplicate' });
    const late = primary.signedCallback({
      refId,
      outcome: { kind: 'failed', rc: '02', message: 'Gagal', transactionCreated: true },
      deliveryId: 'delivery-2',
    });
    await postCallback(late);
    expect(
      (await t.app.inject({ url: `/v1/payments/${paymentId}`, headers: bearer(member.token) })).json().status,
    ).toBe('success');
    // A failure notice after success is checked with the upstream (its status says pending, so the worker
    // keeps asking: an outbox row); no money moves.
    expect({
      ...(await snapshotCounts(t)),
      callback_deliveries: before.callback_deliveries,
      outbox: before.outbox,
    }).toEqual(before);
  });

  it('rejects forged callbacks and changes nothing', async () => {
    const { member, paymentId, refId } = await givenSuspect();
    const genuine = primary.signedCallback({
      refId,
      outcome: { kind: 'success', upstreamRef: 'SN-X', rc: '00', message: 'Sukses' },
    });
    const before = await snapshotCounts(t);
    const tampered = { ...genuine, rawBody: Buffer.from(genuine.rawBody.toString().replace('SN-X', 'SN-Y')) };
    const unsigned = { headers: { 'content-type': 'application/json' }, rawBody: genuine.rawBody };
    for (const forged of [tampered, unsigned]) {
      const response = await postCallback(forged);
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe('CALLBACK_SIGNATURE_INVALID');
    }
    const garbage = await t.app.inject({
      method: 'POST',
      url: '/v1/callbacks/digiflazz',
      headers: { 'content-type': 'application/json' },
      payload: '{"data":',
    });
    expect(garbage.statusCode).toBeLessThan(500);
    expect((await t.app.inject({ method: 'POST', url: '/v1/callbacks/nope', payload: {} })).statusCode).toBe(
      404,
    );
    expect(await snapshotCounts(t)).toEqual(before);
    expect(
      (await t.app.inject({ url: `/v1/payments/${paymentId}`, headers: bearer(member.token) })).json().status,
    ).toBe('suspect');
  });

  it('lets the treasurer resolve a suspect payment, audited, and refuses resolving it twice', async () => {
    const { member, paymentId } = await givenSuspect();
    const resolve = (outcome: string) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/payments/${paymentId}/resolve`,
        headers: bearer(kop.treasurerToken),
        payload: { outcome, reason: 'dicek di portal agregator: gagal' },
      });
    const asMember = await t.app.inject({
      method: 'POST',
      url: `/v1/payments/${paymentId}/resolve`,
      headers: bearer(member.token),
      payload: { outcome: 'failed', reason: 'x' },
    });
    expect(asMember.statusCode).toBe(403);
    const resolved = await resolve('failed');
    expect(resolved.json()).toMatchObject({ status: 'failed', failureCode: 'RESOLVED_FAILED' });
    expect((await resolve('success')).json().code).toBe('PAYMENT_NOT_SUSPECT');
    expect((await balanceOf(t, member)).balance).toBe(200_000);
    const audit = await t.deps.db.execute<{ action: string; reason: string }>(
      sql`SELECT action, reason FROM audit_log WHERE subject_id = ${paymentId}`,
    );
    expect(audit.rows).toEqual([
      { action: 'payment.resolve.failed', reason: 'dicek di portal agregator: gagal' },
    ]);
    expect(await ledgerBreaches(t)).toEqual([]);
  });

  it('posts the price the treasurer read in the portal when a resolved success was charged another price', async () => {
    const { paymentId } = await givenSuspect();
    const resolve = (payload: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/payments/${paymentId}/resolve`,
        headers: bearer(kop.treasurerToken),
        payload: { reason: 'dicek di portal agregator: terbayar', ...payload },
      });
    // A failure has no price, and no upstream charges more than the member paid: refused, nothing changes.
    expect((await resolve({ outcome: 'failed', price: 101_000 })).statusCode).toBe(400);
    expect((await resolve({ outcome: 'success', price: TOTAL + 1 })).statusCode).toBe(400);
    const payable = await ledgerAmount('payable_gateway');
    // Quoted at 102 000 (100 000 + 2 500 admin − 500 commission); the upstream charged 101 900.
    const resolved = await resolve({ outcome: 'success', price: 101_900 });
    expect(resolved.json()).toMatchObject({ status: 'success' });
    const row = await t.deps.db.execute<{ price: string }>(
      sql`SELECT price::text FROM payments WHERE id = ${paymentId}`,
    );
    expect(row.rows[0]!.price).toBe('101900');
    expect((await ledgerAmount('payable_gateway')) - payable).toBe(101_900n);
    expect(await ledgerBreaches(t)).toEqual([]);
  });

  it('lists a suspect payment for the treasurer once it has been unresolved longer than SUSPECT_ALERT_MINUTES', async () => {
    now = new Date('2026-11-28T10:00:00+07:00');
    const { paymentId } = await givenSuspect();
    const attention = () =>
      t.app.inject({ url: '/v1/payments?attention=true', headers: bearer(kop.treasurerToken) });
    expect((await attention()).json().items.map((p: { id: string }) => p.id)).not.toContain(paymentId);
    now = new Date('2026-11-28T11:01:00+07:00');
    const listed = (await attention()).json().items.find((p: { id: string }) => p.id === paymentId);
    expect(listed).toMatchObject({
      status: 'suspect',
      needsAttention: true,
      suspectSince: '2026-11-28T03:00:00.000Z',
    });
  });

  it('settles exactly once when a treasurer and a callback race on one suspect payment', async () => {
    const { member, paymentId, refId } = await givenSuspect();
    const callback = primary.signedCallback({
      refId,
      outcome: { kind: 'success', upstreamRef: 'SN-RACE', rc: '00', message: 'Sukses' },
    });
    const [cb, resolved] = await Promise.all([
      postCallback(callback),
      t.app.inject({
        method: 'POST',
        url: `/v1/payments/${paymentId}/resolve`,
        headers: bearer(kop.treasurerToken),
        payload: { outcome: 'failed', reason: 'race' },
      }),
    ]);
    expect(cb.statusCode).toBe(200);
    const final = await waitForPayment(t, member.token, paymentId);
    if (resolved.statusCode === 200) expect(final.status).toBe('failed');
    else expect([resolved.json().code, final.status]).toEqual(['PAYMENT_NOT_SUSPECT', 'success']);
    const postings = await t.deps.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM journal_transactions WHERE payment_id = ${paymentId} AND kind IN ('payment_post', 'payment_void')`,
    );
    expect(postings.rows[0]!.n).toBe(1);
    expect(await ledgerBreaches(t)).toEqual([]);
  });
});

describe('reading payments', () => {
  it('shows members their own payments and treasurers the koperasi’s, and nobody else’s', async () => {
    const other = await givenKoperasi(t);
    const a1 = await givenMember(t, kop, { balance: 300_000n });
    const a2 = await givenMember(t, kop, { balance: 300_000n });
    const b1 = await givenMember(t, other, { balance: 300_000n });
    const p1 = await quoteAndPay(t, a1, PLN);
    const p2 = await quoteAndPay(t, a2, PLN);
    const p3 = await quoteAndPay(t, b1, PLN);
    for (const [m, p] of [
      [a1, p1],
      [a2, p2],
      [b1, p3],
    ] as const)
      await waitForPayment(t, m.token, p.id);
    const get = (token: string, id: string) =>
      t.app.inject({ url: `/v1/payments/${id}`, headers: bearer(token) });
    expect((await get(a1.token, p1.id)).statusCode).toBe(200);
    expect((await get(a1.token, p2.id)).statusCode).toBe(404);
    expect((await get(kop.treasurerToken, p2.id)).statusCode).toBe(200);
    expect((await get(kop.treasurerToken, p3.id)).statusCode).toBe(404);
    expect((await get(other.treasurerToken, p1.id)).statusCode).toBe(404);
    for (const path of ['receipt']) {
      expect(
        (await t.app.inject({ url: `/v1/payments/${p3.id}/${path}`, headers: bearer(kop.treasurerToken) }))
          .statusCode,
      ).toBe(404);
    }
    const resolveOther = await t.app.inject({
      method: 'POST',
      url: `/v1/payments/${p3.id}/resolve`,
      headers: bearer(kop.treasurerToken),
      payload: { outcome: 'failed', reason: 'x' },
    });
    expect(resolveOther.statusCode).toBe(404);
    const mine = await t.app.inject({ url: '/v1/payments', headers: bearer(a1.token) });
    expect(mine.json().items.map((p: { id: string }) => p.id)).toEqual([p1.id]);
  });

  it('pages through a treasurer’s list with a stable cursor', async () => {
    const member = await givenMember(t, kop, { balance: 1_000_000n });
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await quoteAndPay(t, member, PLN)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string; memberNo: string }[]; nextCursor: string | null } = (
        await t.app.inject({
          url: `/v1/payments?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          headers: bearer(member.token),
        })
      ).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect(
      (await t.app.inject({ url: '/v1/payments?limit=101', headers: bearer(member.token) })).statusCode,
    ).toBe(400);
    expect(
      (await t.app.inject({ url: '/v1/payments?cursor=not-a-cursor!!', headers: bearer(member.token) }))
        .statusCode,
    ).toBe(400);
    expect(
      (await t.app.inject({ url: '/v1/payments?cursor=bm90LWEtY3Vyc29y', headers: bearer(member.token) }))
        .statusCode,
    ).toBe(400);
  });

  it('serves a PDF struk for a successful payment and refuses one for a failed payment', async () => {
    const member = await givenMember(t, kop, { balance: 300_000n });
    const ok = await quoteAndPay(t, member, PLN, { wait: 10 });
    const receipt = await t.app.inject({
      url: `/v1/payments/${ok.id}/receipt`,
      headers: bearer(member.token),
    });
    expect(receipt.statusCode).toBe(200);
    expect(receipt.headers['content-type']).toBe('application/pdf');
    expect(receipt.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    primary.onPay('*', { kind: 'failed', rc: '02', message: 'Gagal', transactionCreated: true });
    const failed = await quoteAndPay(t, member, PLN, { wait: 10 });
    const none = await t.app.inject({
      url: `/v1/payments/${failed.id}/receipt`,
      headers: bearer(member.token),
    });
    expect(none.json().code).toBe('RECEIPT_NOT_AVAILABLE');
  });
});

/**
 * The job's read writes the first attempt (job-state.ts). Here no worker runs: the test is every worker, so it
 * decides exactly when two of them race.
 */
describe('two workers on the first step of one payment', () => {
  let solo: TestApp;
  let soloKop: GivenKoperasi;
  let upstream: FakeAdapter;

  beforeAll(async () => {
    upstream = createFakeAdapter({ name: 'digiflazz' });
    solo = await givenApp({ adapters: [upstream] });
    soloKop = await givenKoperasi(solo);
  });

  afterAll(async () => {
    await solo?.close();
  });

  async function accepted(): Promise<{
    id: string;
    ref: string;
    member: Awaited<ReturnType<typeof givenMember>>;
  }> {
    const member = await givenMember(solo, soloKop, { balance: 200_000n });
    const quote = await inquire(solo, member, PLN);
    const paid = await pay(solo, member, quote.json().id);
    expect(paid.statusCode).toBe(202);
    return { id: paid.json().id, ref: quote.json().id.replaceAll('-', ''), member };
  }

  it('sends once when five workers run the same first job at once', async () => {
    const { id, ref, member } = await accepted();
    await Promise.all(
      Array.from({ length: 5 }, () => processPaymentJob(solo.deps, { paymentId: id, seq: 0 }, solo.deps.log)),
    );
    expect(upstream.payCount(ref)).toBe(1);
    expect(await waitForPayment(solo, member.token, id)).toMatchObject({ status: 'success' });
    expect(await ledgerBreaches(solo)).toEqual([]);
  });

  it('does not send when another worker wrote the first attempt while this one was reading', async () => {
    const { id, ref } = await accepted();
    // "Another worker": its attempt row is written but not yet committed, so this job's read finds no attempt
    // and its insert waits on the row's key.
    const other = await solo.deps.database.pool.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        `INSERT INTO payment_attempts (payment_id, attempt_no, adapter, sku, ref_id, state, sent_at)
         VALUES ($1, 1, 'digiflazz', 'PLNPOST', $2, 'sending', now())`,
        [id, `${ref}-other`],
      );
      const job = processPaymentJob(solo.deps, { paymentId: id, seq: 0 }, solo.deps.log);
      await expect
        .poll(async () => {
          const waiting = await solo.deps.database.pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          return waiting.rows[0]!.n;
        })
        .toBe(1);
      await other.query('COMMIT');
      await job;
    } finally {
      other.release();
    }
    expect(upstream.payCount(ref)).toBe(0);
    const attempts = await solo.deps.database.pool.query<{ ref_id: string }>(
      'SELECT ref_id FROM payment_attempts WHERE payment_id = $1',
      [id],
    );
    expect(attempts.rows.map((r) => r.ref_id)).toEqual([`${ref}-other`]);
  });
});
