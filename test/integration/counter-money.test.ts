/**
 * The money of a payment someone other than the member starts (issue 14), at the level of the payment functions:
 * cash at the counter lands in the kasir's drawer and is held like savings; a failure or an upstream reversal gives
 * it back to what the koperasi owes the customer, never to anybody's savings; a payment from savings started for
 * a member takes only that member's quote and refuses an overdraft without writing anything.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeAdapter, createFakeAdapter } from '../../adapters/fake/index.js';
import { withTransaction } from '../../src/db/client.js';
import { findPayment } from '../../src/payments/repository.js';
import { quoteFor } from '../../src/payments/quotes.js';
import { acceptCash, acceptFromSavings, announcePayment } from '../../src/payments/service.js';
import {
  type GivenKoperasi,
  type TestApp,
  balanceOf,
  givenApp,
  givenKoperasi,
  givenMember,
  ledgerBreaches,
  snapshotCounts,
} from '../helpers/app.js';

let t: TestApp;
let kop: GivenKoperasi;
let primary: FakeAdapter;
let shift: { id: string; kasirId: string; drawerAccountId: bigint };

const PLN = { product: 'PLN_POSTPAID', customerNo: '530000000000' };
const TOTAL = 103_500n;
const KOPERASI_FEE = 1_000n;

beforeAll(async () => {
  primary = createFakeAdapter({ name: 'digiflazz' });
  t = await givenApp({ adapters: [primary], workers: true });
  kop = await givenKoperasi(t);
  // A kasir with an open shift and an empty float, written as the counter's own routes would.
  const kasirId = randomUUID();
  await t.deps.db.execute(sql`
    INSERT INTO users (id, koperasi_id, role, username, name, password_hash)
    VALUES (${kasirId}, ${kop.id}, 'kasir', 'kasir-satu', 'Kasir Satu', 'not-a-hash')`);
  const bookId = (await t.deps.ledger.findBookId(t.deps.db, kop.id))!;
  const drawer = await t.deps.ledger.openCashDrawerAccount(t.deps.db, bookId, kasirId, 'Kasir Satu');
  const shiftId = randomUUID();
  await t.deps.db.execute(sql`
    INSERT INTO counter_shifts (id, koperasi_id, kasir_id, drawer_account_id, opening_float, opened_at)
    VALUES (${shiftId}, ${kop.id}, ${kasirId}, ${drawer.id}, 0, now())`);
  shift = { id: shiftId, kasirId, drawerAccountId: drawer.id };
});

beforeEach(() => primary.reset());

afterAll(async () => {
  await t?.close();
});

async function balanceByCode(code: string): Promise<bigint> {
  const rows = await t.deps.db.execute<{ s: string }>(sql`
    SELECT coalesce(sum(b.balance), 0)::text AS s FROM account_balances b JOIN accounts a ON a.id = b.account_id
    JOIN books k ON k.id = a.book_id WHERE k.koperasi_id = ${kop.id} AND a.code = ${code}`);
  return BigInt(rows.rows[0]!.s);
}

const drawer = () => balanceByCode(`cash_drawer:${shift.kasirId}`);
const owedToCustomers = () => balanceByCode('counter_customer_funds');

async function finalOf(paymentId: string, statuses = ['success', 'failed', 'refunded']) {
  await expect
    .poll(async () => (await findPayment(t.deps.db, paymentId))?.status, { timeout: 15_000 })
    .toSatisfy((s) => statuses.includes(s as string));
  return (await findPayment(t.deps.db, paymentId))!;
}

async function payCash(key = randomUUID()) {
  const quote = await quoteFor(t.deps, { koperasiId: kop.id, memberId: null, kasirId: shift.kasirId }, PLN);
  const accepted = await withTransaction(t.deps.db, (tx) =>
    acceptCash(t.deps, tx, {
      quote,
      shift,
      payerName: 'Bu Sri',
      idempotency: { scope: `user:${shift.kasirId}`, key, fingerprint: quote.id },
    }),
  );
  if (!accepted.replayed) await announcePayment(t.deps, accepted.payment);
  return { quote, accepted, key };
}

describe('cash at the counter', () => {
  it('puts the cash in the drawer and pays the bill out of it like savings, for a customer who is not a member', async () => {
    const [drawerBefore, feeBefore] = [await drawer(), await balanceByCode('fee_income')];
    const { accepted } = await payCash();
    expect(accepted.replayed).toBe(false);
    if (accepted.replayed) return;
    const paid = await finalOf(accepted.payment.id);
    expect(paid).toMatchObject({
      status: 'success',
      memberId: null,
      channel: 'counter',
      funding: 'cash',
      kasirId: shift.kasirId,
      shiftId: shift.id,
      payerName: 'Bu Sri',
      total: TOTAL,
    });
    expect(await drawer()).toBe(drawerBefore + TOTAL);
    expect(await owedToCustomers()).toBe(0n);
    expect(await balanceByCode('in_flight')).toBe(0n);
    expect(await balanceByCode('fee_income')).toBe(feeBefore + KOPERASI_FEE);
    expect(await ledgerBreaches(t)).toEqual([]);
  });

  it('owes the cash back to the customer when the upstream refuses the payment', async () => {
    primary.onPay('*', { kind: 'failed', rc: '40', message: 'Gagal', transactionCreated: true });
    const before = { drawer: await drawer(), owed: await owedToCustomers() };
    const { accepted } = await payCash();
    if (accepted.replayed) throw new Error('not a replay');
    expect((await finalOf(accepted.payment.id)).status).toBe('failed');
    // The cash is still in the drawer until the kasir hands it over; the koperasi owes it meanwhile.
    expect(await drawer()).toBe(before.drawer + TOTAL);
    expect(await owedToCustomers()).toBe(before.owed + TOTAL);
    expect(await ledgerBreaches(t)).toEqual([]);
  });

  it("owes the cash back when the upstream reverses a paid bill, and touches nobody's savings", async () => {
    const member = await givenMember(t, kop, { balance: 50_000n });
    const { accepted } = await payCash();
    if (accepted.replayed) throw new Error('not a replay');
    expect((await finalOf(accepted.payment.id)).status).toBe('success');
    const owed = await owedToCustomers();
    const refId = (await findPayment(t.deps.db, accepted.payment.id))!.refId;
    primary.onStatus('*', { kind: 'failed', rc: '07', message: 'reversed', transactionCreated: true });
    const notice = primary.signedCallback({
      refId,
      outcome: { kind: 'failed', rc: '07', message: 'reversed', transactionCreated: true },
      deliveryId: randomUUID(),
    });
    await t.app.inject({
      method: 'POST',
      url: '/v1/callbacks/digiflazz',
      headers: notice.headers as Record<string, string>,
      payload: notice.rawBody,
    });
    expect((await finalOf(accepted.payment.id, ['refunded'])).status).toBe('refunded');
    expect(await owedToCustomers()).toBe(owed + TOTAL);
    expect(await balanceOf(t, member)).toEqual(
      expect.objectContaining({ balance: 50_000, available: 50_000 }),
    );
    expect(await ledgerBreaches(t)).toEqual([]);
  });

  it('takes the cash once for a repeated request with the same Idempotency-Key', async () => {
    const before = await drawer();
    const first = await payCash();
    if (first.accepted.replayed) throw new Error('not a replay');
    const again = await withTransaction(t.deps.db, (tx) =>
      acceptCash(t.deps, tx, {
        quote: first.quote,
        shift,
        idempotency: { scope: `user:${shift.kasirId}`, key: first.key, fingerprint: first.quote.id },
      }),
    );
    expect(again).toEqual({ replayed: true, paymentId: first.accepted.payment.id });
    await finalOf(first.accepted.payment.id);
    expect(await drawer()).toBe(before + TOTAL);
  });
});

describe('savings, started for a member', () => {
  it("takes only that member's quote and refuses an overdraft without writing anything", async () => {
    const poor = await givenMember(t, kop, { balance: 10_000n });
    const other = await givenMember(t, kop, { balance: 500_000n });
    const quote = await quoteFor(t.deps, { koperasiId: kop.id, memberId: poor.id, kasirId: null }, PLN);
    const counts = await snapshotCounts(t);
    await expect(
      withTransaction(t.deps.db, (tx) =>
        acceptFromSavings(t.deps, tx, { quote, memberId: other.id, origin: { channel: 'autodebet' } }),
      ),
    ).rejects.toMatchObject({ code: 'QUOTE_NOT_FOUND' });
    await expect(
      withTransaction(t.deps.db, (tx) =>
        acceptFromSavings(t.deps, tx, { quote, memberId: poor.id, origin: { channel: 'autodebet' } }),
      ),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_BALANCE' });
    expect(await snapshotCounts(t)).toEqual(counts);
    expect(await balanceOf(t, poor)).toEqual(expect.objectContaining({ balance: 10_000, available: 10_000 }));
  });

  it('pays from the savings of the member it was started for, marked with its channel', async () => {
    const member = await givenMember(t, kop, { balance: 200_000n });
    const quote = await quoteFor(t.deps, { koperasiId: kop.id, memberId: member.id, kasirId: null }, PLN);
    const subscriptionId = randomUUID();
    const accepted = await withTransaction(t.deps.db, (tx) =>
      acceptFromSavings(t.deps, tx, {
        quote,
        memberId: member.id,
        origin: { channel: 'autodebet', subscriptionId },
      }),
    );
    if (accepted.replayed) throw new Error('not a replay');
    await announcePayment(t.deps, accepted.payment);
    expect(await finalOf(accepted.payment.id)).toMatchObject({
      status: 'success',
      channel: 'autodebet',
      funding: 'savings',
      subscriptionId,
      memberId: member.id,
    });
    expect((await balanceOf(t, member)).available).toBe(200_000 - Number(TOTAL));
    expect(await ledgerBreaches(t)).toEqual([]);
  });
});
