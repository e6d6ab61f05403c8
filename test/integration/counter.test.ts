/**
 * The koperasi's counter (loket): kasir accounts, a shift from the opening float to the closing count, cash and
 * savings payments at the desk, cash handed back for a failed payment exactly once, and the books, the daily report
 * and Tutup hari agreeing with all of it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAdapter, createFakeAdapter } from '../../adapters/fake/index.js';
import { wibDate } from '../../src/clock.js';
import { COUNTER_CHECKS } from '../../src/counter/checks.js';
import { sealAll } from '../../src/ledger/sealing.js';
import { verifyLedger } from '../../src/ledger/verify.js';
import { PAYMENT_CHECKS } from '../../src/payments/checks.js';
import {
  type GivenKoperasi,
  type GivenMember,
  type TestApp,
  balanceOf,
  bearer,
  changeOwn,
  givenApp,
  givenKoperasi,
  givenMember,
  givenPengawas,
  login,
  quoteAndPay,
} from '../helpers/app.js';

const OK = { product: 'PDAM_TIRTA_BENTENG', customerNo: '55510000' };
const FAILS = { product: 'PDAM_TIRTA_BENTENG', customerNo: '55511037' };
const TOTAL = 103_500; // the fake upstream's bill 100 000 + admin 2 500 + the koperasi fee 1 000

let t: TestApp;
let fake: FakeAdapter;
let kop: GivenKoperasi;
let other: GivenKoperasi;
let siti: GivenMember;

interface Kasir {
  id: string;
  username: string;
  token: string;
}

interface Shift {
  id: string;
  status: 'open' | 'closed';
  openingFloat: number;
  expected: number;
  counted: number | null;
  difference: number | null;
  closedBy: string | null;
  cash: Record<
    'taken' | 'succeeded' | 'failed' | 'processing' | 'returned',
    { count: number; total: number }
  >;
  savings: { count: number; total: number };
}

interface Payment {
  id: string;
  status: string;
  total: number;
  channel: string;
  funding: string;
  memberNo: string | null;
  payerName: string | null;
  cashToReturn: boolean;
  cashReturnedAt: string | null;
}

const PASSWORD = 'sandi-kasir-sendiri-1';

async function givenKasir(k: GivenKoperasi, username: string, name = `Kasir ${username}`): Promise<Kasir> {
  const created = await t.app.inject({
    method: 'POST',
    url: '/v1/kasir',
    headers: bearer(k.treasurerToken),
    payload: { username, name, password: 'sandi-dari-bendahara-1' },
  });
  expect(created.statusCode, created.body).toBe(201);
  const first = await login(t, k.code, username, 'sandi-dari-bendahara-1');
  const token = await changeOwn(t, first, 'password', {
    currentPassword: 'sandi-dari-bendahara-1',
    newPassword: PASSWORD,
  });
  return { id: created.json<{ id: string }>().id, username, token };
}

const post = (token: string, url: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { ...bearer(token), 'idempotency-key': randomUUID(), ...headers },
    payload: payload as Record<string, unknown>,
  });

const get = (token: string, url: string) => t.app.inject({ url, headers: bearer(token) });

async function openShift(kasir: Kasir, openingFloat: number): Promise<Shift> {
  const response = await post(kasir.token, '/v1/counter/shifts', { openingFloat });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Shift>();
}

async function quote(kasir: Kasir, bill: Record<string, unknown>): Promise<{ id: string; total: number }> {
  const response = await post(kasir.token, '/v1/counter/inquiries', bill);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function payCash(kasir: Kasir, bill: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const q = await quote(kasir, bill);
  const response = await post(
    kasir.token,
    '/v1/counter/payments',
    { quoteId: q.id, funding: 'cash', ...extra },
    { prefer: 'wait=10' },
  );
  expect([200, 202], response.body).toContain(response.statusCode);
  return response.json<Payment>();
}

/** The balance of an account of the koperasi's book, in its normal direction, as the ledger keeps it. */
async function accountBalance(k: GivenKoperasi, code: string): Promise<number> {
  const rows = await t.database.superuser<{ b: string }>(
    `SELECT coalesce(sum(ab.balance), 0)::text AS b FROM accounts a JOIN books bk ON bk.id = a.book_id
     LEFT JOIN account_balances ab ON ab.account_id = a.id WHERE bk.koperasi_id = $1 AND a.code = $2`,
    [k.id, code],
  );
  return Number(rows.rows[0]!.b);
}

async function counterBreaches() {
  await sealAll(t.deps.db);
  const report = await verifyLedger(t.deps.db, [...PAYMENT_CHECKS, ...COUNTER_CHECKS]);
  return report.checks.filter((c) => !c.ok);
}

let ani: Kasir;
let budi: Kasir;
let cici: Kasir;
let aniShift: Shift;
let paid: Payment;
let failed: Payment;

beforeAll(async () => {
  fake = createFakeAdapter({ name: 'digiflazz' });
  fake.onPay(FAILS.customerNo, { kind: 'failed', rc: '40', message: 'Gagal', transactionCreated: true });
  t = await givenApp({ adapters: [fake], workers: true });
  kop = await givenKoperasi(t);
  other = await givenKoperasi(t);
  siti = await givenMember(t, kop, { balance: 500_000n, memberNo: 'S-001' });
  ani = await givenKasir(kop, 'ani', 'Ani Lestari');
  budi = await givenKasir(kop, 'budi', 'Budi Kasir');
  cici = await givenKasir(kop, 'cici', 'Cici Kasir');
});

afterAll(async () => {
  await t?.close();
});

describe('kasir accounts', () => {
  it('are created by the treasurer only, read by the pengawas, and must replace the password first', async () => {
    const pengawas = await givenPengawas(t, kop);
    const listed = await get(pengawas.token, '/v1/kasir');
    expect(listed.statusCode).toBe(200);
    expect(listed.json<{ items: { username: string }[] }>().items.map((k) => k.username)).toEqual([
      'ani',
      'budi',
      'cici',
    ]);
    const byPengawas = await post(pengawas.token, '/v1/kasir', {
      username: 'dedi',
      name: 'Dedi',
      password: 'sandi-dari-bendahara-1',
    });
    expect(byPengawas.statusCode).toBe(403);
    expect(
      (await post(siti.token, '/v1/kasir', { username: 'x', name: 'x', password: 'x' })).statusCode,
    ).toBe(403);
    const taken = await post(kop.treasurerToken, '/v1/kasir', {
      username: 'ani',
      name: 'Ani lagi',
      password: 'sandi-dari-bendahara-1',
    });
    expect(taken.json()).toMatchObject({ code: 'USERNAME_TAKEN' });

    const created = await post(kop.treasurerToken, '/v1/kasir', {
      username: 'dedi',
      name: 'Dedi',
      password: 'sandi-dari-bendahara-1',
    });
    expect(created.json()).toMatchObject({ role: 'kasir', mustChangePassword: true, disabled: false });
    const first = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      payload: { koperasi: kop.code, username: 'dedi', password: 'sandi-dari-bendahara-1' },
    });
    expect(first.json()).toMatchObject({ role: 'kasir', mustChange: true });
    const refused = await post(first.json<{ accessToken: string }>().accessToken, '/v1/counter/shifts', {
      openingFloat: 0,
    });
    expect(refused.json()).toMatchObject({ code: 'CREDENTIALS_CHANGE_REQUIRED' });
    // Another koperasi's treasurer sees none of them.
    expect((await get(other.treasurerToken, '/v1/kasir')).json()).toEqual({ items: [] });
  });

  it('a disabled kasir cannot sign in, and a token still held is refused at the counter', async () => {
    const dedi = (await get(kop.treasurerToken, '/v1/kasir'))
      .json<{ items: { id: string; username: string }[] }>()
      .items.find((k) => k.username === 'dedi')!;
    const token = await changeOwn(t, await login(t, kop.code, 'dedi', 'sandi-dari-bendahara-1'), 'password', {
      currentPassword: 'sandi-dari-bendahara-1',
      newPassword: PASSWORD,
    });
    const disabled = await post(kop.treasurerToken, `/v1/kasir/${dedi.id}/disable`, {});
    expect(disabled.json()).toMatchObject({ disabled: true });
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      payload: { koperasi: kop.code, username: 'dedi', password: PASSWORD },
    });
    expect(signIn.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect((await post(token, '/v1/counter/shifts', { openingFloat: 0 })).statusCode).toBe(403);
    expect((await post(other.treasurerToken, `/v1/kasir/${dedi.id}/enable`, {})).statusCode).toBe(404);
    const audit = await t.database.superuser<{ action: string }>(
      `SELECT action FROM audit_log WHERE subject_id = $1 ORDER BY id`,
      [dedi.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'kasir.create',
      'user.password_change',
      'kasir.disable',
    ]);
  });
});

describe('a shift at the desk', () => {
  it('opens with the float moved from the koperasi cash into the drawer, once', async () => {
    const cashBefore = await accountBalance(kop, 'deposits_cash');
    const key = randomUUID();
    const first = await post(
      ani.token,
      '/v1/counter/shifts',
      { openingFloat: 200_000 },
      { 'idempotency-key': key },
    );
    expect(first.statusCode).toBe(201);
    aniShift = first.json<Shift>();
    expect(aniShift).toMatchObject({ status: 'open', openingFloat: 200_000, expected: 200_000 });
    const replay = await post(
      ani.token,
      '/v1/counter/shifts',
      { openingFloat: 200_000 },
      { 'idempotency-key': key },
    );
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json<Shift>().id).toBe(aniShift.id);
    expect((await post(ani.token, '/v1/counter/shifts', { openingFloat: 1 })).json()).toMatchObject({
      code: 'SHIFT_ALREADY_OPEN',
    });
    expect((await post(ani.token, '/v1/counter/shifts', { openingFloat: -1 })).statusCode).toBe(400);
    expect(await accountBalance(kop, `cash_drawer:${ani.id}`)).toBe(200_000);
    expect(await accountBalance(kop, 'deposits_cash')).toBe(cashBefore - 200_000);
    // The treasurer and a member cannot open a shift: it is the kasir's drawer.
    expect((await post(kop.treasurerToken, '/v1/counter/shifts', { openingFloat: 0 })).statusCode).toBe(403);
    expect((await post(siti.token, '/v1/counter/shifts', { openingFloat: 0 })).statusCode).toBe(403);
  });

  it('takes cash for a bill from a non-member: into the drawer, through the pipeline, to success', async () => {
    paid = await payCash(ani, OK, { payerName: 'Pak Joko', payerPhone: '081234567890' });
    expect(paid).toMatchObject({
      status: 'success',
      total: TOTAL,
      channel: 'counter',
      funding: 'cash',
      memberNo: null,
      payerName: 'Pak Joko',
      cashToReturn: false,
    });
    const current = (await get(ani.token, '/v1/counter/shifts/current')).json<{ shift: Shift }>();
    expect(current.shift.expected).toBe(200_000 + TOTAL);
    expect(current.shift.cash.succeeded).toEqual({ count: 1, total: TOTAL });
    expect(await accountBalance(kop, 'counter_customer_funds')).toBe(0);
    const receipt = await get(ani.token, `/v1/payments/${paid.id}/receipt`);
    expect(receipt.statusCode).toBe(200);
  });

  it('refuses cash from a kasir without an open shift, and changes nothing', async () => {
    const q = await quote(budi, OK);
    const refused = await post(budi.token, '/v1/counter/payments', { quoteId: q.id, funding: 'cash' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'SHIFT_NOT_OPEN' });
    // A kasir cannot pay another kasir's quote, nor a savings quote without the member.
    const theirs = await post(ani.token, '/v1/counter/payments', { quoteId: q.id, funding: 'cash' });
    expect(theirs.json()).toMatchObject({ code: 'QUOTE_NOT_FOUND' });
    const count = await t.database.superuser<{ n: number }>(
      `SELECT count(*)::int AS n FROM payments WHERE kasir_id = $1`,
      [budi.id],
    );
    expect(count.rows[0]!.n).toBe(0);
  });

  it('a failed cash payment owes the customer the cash; the shift will not close until it is handed back', async () => {
    failed = await payCash(ani, FAILS);
    expect(failed).toMatchObject({
      status: 'failed',
      funding: 'cash',
      cashToReturn: true,
      cashReturnedAt: null,
    });
    expect(await accountBalance(kop, 'counter_customer_funds')).toBe(TOTAL);
    const current = (await get(ani.token, '/v1/counter/shifts/current')).json<{
      shift: Shift;
      cashToReturn: { paymentId: string; total: number }[];
    }>();
    expect(current.cashToReturn).toEqual([expect.objectContaining({ paymentId: failed.id, total: TOTAL })]);
    expect(current.shift.cash.failed).toEqual({ count: 1, total: TOTAL });
    const owed = (await get(ani.token, '/v1/counter/payments?toReturn=true')).json<{
      items: Payment[];
      cashToReturn: { count: number; total: number };
    }>();
    expect(owed.items.map((p) => p.id)).toEqual([failed.id]);
    expect(owed.cashToReturn).toEqual({ count: 1, total: TOTAL });

    const close = await post(ani.token, `/v1/counter/shifts/${aniShift.id}/close`, { counted: 200_000 });
    expect(close.statusCode).toBe(409);
    expect(close.json()).toMatchObject({ code: 'CASH_RETURN_PENDING', payments: [failed.id], total: TOTAL });
  });

  it('hands the cash back exactly once under concurrent requests', async () => {
    const drawerBefore = await accountBalance(kop, `cash_drawer:${ani.id}`);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => post(ani.token, `/v1/counter/payments/${failed.id}/cash-returned`, {})),
    );
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes).toEqual([200, 409, 409, 409, 409, 409]);
    for (const a of answers.filter((x) => x.statusCode === 409))
      expect(a.json()).toMatchObject({ code: 'CASH_ALREADY_RETURNED' });
    const returned = answers.find((a) => a.statusCode === 200)!.json<Payment>();
    expect(returned.cashToReturn).toBe(false);
    expect(returned.cashReturnedAt).not.toBeNull();
    expect(await accountBalance(kop, `cash_drawer:${ani.id}`)).toBe(drawerBefore - TOTAL);
    expect(await accountBalance(kop, 'counter_customer_funds')).toBe(0);
    const txs = await t.database.superuser<{ n: number }>(
      `SELECT count(*)::int AS n FROM journal_transactions WHERE payment_id = $1 AND kind = 'counter_cash_return'`,
      [failed.id],
    );
    expect(txs.rows[0]!.n).toBe(1);
    // Not cash, or not failed: nothing to hand back.
    const notReturnable = await post(ani.token, `/v1/counter/payments/${paid.id}/cash-returned`, {});
    expect(notReturnable.json()).toMatchObject({ code: 'PAYMENT_NOT_RETURNABLE' });
    // Another koperasi's kasir cannot even see it.
    const outsider = await givenKasir(other, 'eka');
    await openShift(outsider, 0);
    const foreign = await post(outsider.token, `/v1/counter/payments/${failed.id}/cash-returned`, {});
    expect(foreign.statusCode).toBe(404);
  });

  it("takes a member's savings at the desk with the member's PIN: a wrong PIN counts, the right one pays", async () => {
    const before = await balanceOf(t, siti);
    const q = await post(ani.token, '/v1/counter/inquiries', { ...OK, memberNo: siti.memberNo });
    expect(q.json()).toMatchObject({ member: { memberNo: 'S-001', pinLocked: false }, total: TOTAL });
    const quoteId = q.json<{ id: string }>().id;
    const noPin = await post(ani.token, '/v1/counter/payments', { quoteId, funding: 'savings' });
    expect(noPin.statusCode).toBe(400);
    const wrong = await post(ani.token, '/v1/counter/payments', {
      quoteId,
      funding: 'savings',
      pin: '000000',
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ code: 'PIN_INVALID', remainingAttempts: 4 });
    const right = await post(
      ani.token,
      '/v1/counter/payments',
      { quoteId, funding: 'savings', pin: siti.pin },
      { prefer: 'wait=10' },
    );
    expect(right.json()).toMatchObject({ status: 'success', channel: 'counter', funding: 'savings' });
    expect((await balanceOf(t, siti)).balance).toBe(before.balance - TOTAL);
    const current = (await get(ani.token, '/v1/counter/shifts/current')).json<{ shift: Shift }>();
    expect(current.shift.savings).toEqual({ count: 1, total: TOTAL });
    // Savings do not touch the drawer.
    expect(current.shift.expected).toBe(200_000 + TOTAL);
    // The member sees it in their own history.
    const mine = (await get(siti.token, '/v1/payments')).json<{ items: Payment[] }>();
    expect(mine.items[0]).toMatchObject({ channel: 'counter', funding: 'savings' });
  });

  it('closes short: expected vs counted, the difference to selisih kas, and the shift detail lists every movement', async () => {
    const cashBefore = await accountBalance(kop, 'deposits_cash');
    const expected = 200_000 + TOTAL;
    const counted = expected - 5_000;
    const close = await post(ani.token, `/v1/counter/shifts/${aniShift.id}/close`, {
      counted,
      note: 'uang kembalian kurang',
    });
    expect(close.statusCode, close.body).toBe(200);
    expect(close.json()).toMatchObject({
      status: 'closed',
      expected,
      counted,
      difference: -5_000,
      closedBy: 'Ani Lestari',
    });
    expect(await accountBalance(kop, `cash_drawer:${ani.id}`)).toBe(0);
    expect(await accountBalance(kop, 'cash_over_short')).toBe(5_000);
    expect(await accountBalance(kop, 'deposits_cash')).toBe(cashBefore + counted);
    const again = await post(ani.token, `/v1/counter/shifts/${aniShift.id}/close`, { counted });
    expect(again.json()).toMatchObject({ code: 'SHIFT_NOT_OPEN' });

    const detail = (await get(kop.treasurerToken, `/v1/counter/shifts/${aniShift.id}`)).json<{
      movements: { kind: string; amount: number; balanceAfter: number }[];
    }>();
    expect(detail.movements.map((m) => [m.kind, m.amount, m.balanceAfter])).toEqual([
      ['counter_float', 200_000, 200_000],
      ['counter_cash_in', TOTAL, 200_000 + TOTAL],
      ['counter_cash_in', TOTAL, 200_000 + 2 * TOTAL],
      ['counter_cash_return', -TOTAL, 200_000 + TOTAL],
      ['counter_close', -expected, 0],
    ]);
    const audit = await t.database.superuser<{ action: string }>(
      `SELECT action FROM audit_log WHERE subject_id = $1 ORDER BY id`,
      [aniShift.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['counter.shift_open', 'counter.shift_close']);
  });

  it('closes over, and the treasurer closes a shift a kasir left open; a kasir cannot close another one', async () => {
    const budiShift = await openShift(budi, 50_000);
    const over = await post(budi.token, `/v1/counter/shifts/${budiShift.id}/close`, { counted: 51_000 });
    expect(over.json()).toMatchObject({ expected: 50_000, counted: 51_000, difference: 1_000 });
    expect(await accountBalance(kop, 'cash_over_short')).toBe(5_000 - 1_000);

    const forgotten = await openShift(cici, 10_000);
    expect(
      (await post(budi.token, `/v1/counter/shifts/${forgotten.id}/close`, { counted: 0 })).statusCode,
    ).toBe(404);
    expect(
      (await post(other.treasurerToken, `/v1/counter/shifts/${forgotten.id}/close`, { counted: 0 }))
        .statusCode,
    ).toBe(404);
    const pengawas = await givenPengawas(t, kop);
    expect(
      (await post(pengawas.token, `/v1/counter/shifts/${forgotten.id}/close`, { counted: 0 })).statusCode,
    ).toBe(403);
    const byTreasurer = await post(kop.treasurerToken, `/v1/counter/shifts/${forgotten.id}/close`, {
      counted: 10_000,
      note: 'kasir pulang tanpa tutup shift',
    });
    expect(byTreasurer.json()).toMatchObject({
      expected: 10_000,
      difference: 0,
      closedBy: expect.any(String),
    });
    const audit = await t.database.superuser<{ actor_type: string }>(
      `SELECT actor_type FROM audit_log WHERE subject_id = $1 AND action = 'counter.shift_close'`,
      [forgotten.id],
    );
    expect(audit.rows).toEqual([{ actor_type: 'treasurer' }]);

    const list = (await get(kop.treasurerToken, `/v1/counter/shifts?date=${wibDate(new Date())}`)).json<{
      items: Shift[];
    }>();
    expect(list.items.map((s) => s.difference).sort()).toEqual([-5_000, 0, 1_000].sort());
    const own = (await get(budi.token, '/v1/counter/shifts')).json<{ items: Shift[] }>();
    expect(own.items.map((s) => s.id)).toEqual([budiShift.id]);
  });
});

describe('the books, the daily report and Tutup hari', () => {
  it('Tutup hari and the daily report show the counter: payments by funding and the cash of the shifts', async () => {
    const today = wibDate(new Date());
    const closing = (await get(kop.treasurerToken, `/v1/closing?date=${today}`)).json<{
      counter: {
        payments: Record<'cash' | 'savings', { count: number; total: number; fee: number; failed: number }>;
        cash: Record<string, number>;
      };
    }>();
    expect(closing.counter.payments.cash).toEqual({ count: 1, total: TOTAL, fee: 1_000, failed: 1 });
    expect(closing.counter.payments.savings).toEqual({ count: 1, total: TOTAL, fee: 1_000, failed: 0 });
    expect(closing.counter.cash).toMatchObject({
      shifts: 3,
      openShifts: 0, // the other koperasi's kasir has one open: not this koperasi's
      floats: 260_000,
      taken: 2 * TOTAL,
      returned: TOTAL,
      expected: 200_000 + TOTAL + 50_000 + 10_000,
      counted: 200_000 + TOTAL - 5_000 + 51_000 + 10_000,
      difference: -4_000,
      owed: 0,
    });
    const csv = (await get(kop.treasurerToken, `/v1/reports/daily?date=${today}&format=csv`)).body;
    expect(csv).toMatch(/^counter_cash_payments,,,1,103500\r?$/m);
    expect(csv).toMatch(/^counter_savings_payments,,,1,103500\r?$/m);
    expect(csv).toMatch(/^counter_cash_difference,,,,-4000\r?$/m);
  });

  it('ledger verify is clean after all of it, and reports each counter invariant broken by hand', async () => {
    expect(await counterBreaches()).toEqual([]);
    const drawer = await t.database.superuser<{ id: string }>(
      `SELECT a.id::text FROM accounts a WHERE a.code = $1`,
      [`cash_drawer:${budi.id}`],
    );
    const drawerId = drawer.rows[0]!.id;
    // (a) cash in a drawer whose kasir has no open shift.
    await t.database.superuser(`UPDATE account_balances SET balance = balance + 700 WHERE account_id = $1`, [
      drawerId,
    ]);
    expect((await counterBreaches()).map((c) => c.name)).toContain('cash_drawers_empty_when_closed');
    await t.database.superuser(`UPDATE account_balances SET balance = balance - 700 WHERE account_id = $1`, [
      drawerId,
    ]);
    // (b) a failed cash payment the ledger does not owe the customer.
    await t.database.superuser(`UPDATE payments SET status = 'failed' WHERE id = $1`, [paid.id]);
    expect((await counterBreaches()).map((c) => c.name)).toContain('counter_funds_match_cash_owed');
    await t.database.superuser(`UPDATE payments SET status = 'success' WHERE id = $1`, [paid.id]);
    // (c) a closing whose difference does not add up.
    await t.database.superuser(`UPDATE counter_shifts SET difference = difference + 1 WHERE id = $1`, [
      aniShift.id,
    ]);
    const broken = await counterBreaches();
    expect(broken.map((c) => c.name)).toEqual(['closed_shifts_add_up']);
    expect(broken[0]!.breaches).toEqual([expect.objectContaining({ shift_id: aniShift.id })]);
    await t.database.superuser(`UPDATE counter_shifts SET difference = difference - 1 WHERE id = $1`, [
      aniShift.id,
    ]);
    expect(await counterBreaches()).toEqual([]);
  });
});

describe('after the shift', () => {
  it('a retried cash payment answers with the payment it made even after the shift closed', async () => {
    const dedi = await givenKasir(kop, 'fajar');
    const shift = await openShift(dedi, 0);
    const q = await quote(dedi, OK);
    const key = randomUUID();
    const pay = () =>
      post(
        dedi.token,
        '/v1/counter/payments',
        { quoteId: q.id, funding: 'cash' },
        { 'idempotency-key': key, prefer: 'wait=10' },
      );
    const first = await pay();
    expect(first.statusCode, first.body).toBe(200);
    const closed = await post(dedi.token, `/v1/counter/shifts/${shift.id}/close`, { counted: q.total });
    expect(closed.json()).toMatchObject({ difference: 0 });
    const again = await pay();
    expect(again.statusCode, again.body).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json<Payment>().id).toBe(first.json<Payment>().id);
  });

  it("a kasir reads the counter's payments, not the members' own from the app", async () => {
    const kasir = await givenKasir(kop, 'euis');
    const own = await quoteAndPay(t, siti, OK, { wait: 10 });
    expect((await get(kasir.token, `/v1/payments/${own.id}`)).statusCode).toBe(404);
    const list = (await get(kasir.token, '/v1/payments?limit=100')).json<{ items: Payment[] }>();
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((p) => p.channel === 'counter')).toBe(true);
  });

  it('the treasurer closes a shift whose failed cash was never collected; another kasir hands it back later', async () => {
    const gita = await givenKasir(kop, 'gita');
    const shift = await openShift(gita, 0);
    const failed = await payCash(gita, FAILS);
    expect(failed).toMatchObject({ status: 'failed', cashToReturn: true });
    const owedBefore = await accountBalance(kop, 'counter_customer_funds');
    const byKasir = await post(gita.token, `/v1/counter/shifts/${shift.id}/close`, { counted: TOTAL });
    expect(byKasir.json()).toMatchObject({ code: 'CASH_RETURN_PENDING' });
    const byTreasurer = await post(kop.treasurerToken, `/v1/counter/shifts/${shift.id}/close`, {
      counted: TOTAL,
      note: 'pelanggan belum kembali',
    });
    expect(byTreasurer.statusCode, byTreasurer.body).toBe(200);
    expect(byTreasurer.json()).toMatchObject({ expected: TOTAL, counted: TOTAL, difference: 0 });
    // The cash went to the koperasi's kas with the count; the customer is still owed it.
    expect(await accountBalance(kop, `cash_drawer:${gita.id}`)).toBe(0);
    expect(await accountBalance(kop, 'counter_customer_funds')).toBe(owedBefore);

    const hani = await givenKasir(kop, 'hani');
    await openShift(hani, 200_000);
    const handed = await post(hani.token, `/v1/counter/payments/${failed.id}/cash-returned`, {});
    expect(handed.statusCode, handed.body).toBe(200);
    expect(handed.json()).toMatchObject({ cashToReturn: false });
    expect(await accountBalance(kop, `cash_drawer:${hani.id}`)).toBe(200_000 - TOTAL);
    expect(await accountBalance(kop, 'counter_customer_funds')).toBe(owedBefore - TOTAL);
    expect(await counterBreaches()).toEqual([]);
  });
});
