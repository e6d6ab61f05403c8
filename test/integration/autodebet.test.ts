/**
 * Autodebet (langganan): a member (with their PIN) or the treasurer (for a member without a phone, audited) sets
 * up a monthly payment of a saved number from savings; the scheduler pays it on its day, once, and when it cannot —
 * over the limit, savings short, nothing to pay yet, the biller down, paused — it says so, retries as it should and
 * never pays a month twice. Time is an injected clock that only moves forward through the file.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAdapter, createFakeAdapter } from '../../adapters/fake/index.js';
import { autodebetTick } from '../../src/autodebet/scheduler.js';
import type { Bill, InquiryOutcome } from '../../src/billers/port.js';
import type { Clock } from '../../src/clock.js';
import {
  type GivenKoperasi,
  type GivenMember,
  type TestApp,
  balanceOf,
  bearer,
  deposit,
  givenApp,
  givenKoperasi,
  givenMember,
  givenPengawas,
  ledgerBreaches,
  snapshotCounts,
  waitForPayment,
} from '../helpers/app.js';

let now = new Date('2025-12-20T09:00:00+07:00');
const clock: Clock = { now: () => now };
const at = (iso: string) => {
  const next = new Date(iso);
  if (next < now) throw new Error(`the clock only moves forward (${iso})`);
  now = next;
};

let t: TestApp;
let fake: FakeAdapter;
let kop: GivenKoperasi;
let other: GivenKoperasi;

/** The fake's bill: 100 000 + 2 500 admin; with the default koperasi fee of 1 000 the member pays 103 500. */
const TOTAL = 103_500;

beforeAll(async () => {
  fake = createFakeAdapter({ name: 'digiflazz' });
  t = await givenApp({
    adapters: [fake],
    workers: true,
    clock,
    // The test ticks the scheduler itself.
    env: { AUTODEBET_INTERVAL_MS: '3600000' },
  });
  kop = await givenKoperasi(t);
  other = await givenKoperasi(t);
});

afterAll(async () => {
  await t?.close();
});

type Method = 'GET' | 'POST' | 'PATCH';
const call = (token: string, method: Method, url: string, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

interface Subscription {
  id: string;
  status: string;
  customerNo: string;
  maxAmount: number;
  dayOfMonth: number;
  nextDueDate: string | null;
  needsAttention: boolean;
  thisMonth: { period: string; status: string; outcome: string | null; outcomeText: string } | null;
}

interface Detail extends Subscription {
  runs: {
    period: string;
    status: string;
    outcome: string | null;
    outcomeText: string;
    tries: number;
    payment: { id: string; status: string; total: number } | null;
    failedPaymentIds: string[];
  }[];
}

interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string;
  subscriptionId: string | null;
  paymentId: string | null;
  readAt: string | null;
}

async function subscribe(member: GivenMember, body: Record<string, unknown>): Promise<Subscription> {
  const created = await call(member.token, 'POST', '/v1/me/subscriptions', { pin: member.pin, ...body });
  expect(created.statusCode, created.body).toBe(201);
  return created.json<Subscription>();
}

const detail = async (member: GivenMember, id: string) => {
  const response = await call(member.token, 'GET', `/v1/me/subscriptions/${id}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Detail>();
};

const notices = async (token: string, url = '/v1/me/notifications') => {
  const response = await call(token, 'GET', url);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ items: Notification[]; unread: number; nextCursor: string | null }>();
};

const paymentsOf = async (subscriptionId: string) =>
  (
    await t.deps.db.execute<{ id: string; status: string; channel: string; total: string }>(
      sql`SELECT id, status, channel, total::text FROM payments WHERE subscription_id = ${subscriptionId}
          ORDER BY created_at`,
    )
  ).rows;

const tick = () => autodebetTick(t.deps);

/** Ticks until this subscription's payments have all ended and been followed up. */
async function settle(member: GivenMember, subscriptionId: string): Promise<void> {
  for (const payment of await paymentsOf(subscriptionId))
    await waitForPayment(t, member.token, payment.id, ['success', 'failed', 'refunded']);
  await tick();
}

function bill(amount: bigint): InquiryOutcome {
  const value: Bill = {
    customerName: 'PELANGGAN UJI',
    periods: [{ period: '202601', amount, penalty: 0n, admin: 2_500n }],
    billAmount: amount,
    penalty: 0n,
    adminFee: 2_500n,
    price: amount + 2_000n,
    details: {},
  };
  return { kind: 'bill', bill: value };
}

const cancel = async (member: GivenMember, id: string) =>
  expect((await call(member.token, 'POST', `/v1/me/subscriptions/${id}/cancel`)).statusCode).toBe(200);

describe('setting up autodebet', () => {
  let siti: GivenMember;
  let savedId: string;

  beforeAll(async () => {
    siti = await givenMember(t, kop, { balance: 500_000n, memberNo: 'AD-001' });
    const saved = await call(siti.token, 'POST', '/v1/me/saved-numbers', {
      product: 'PDAM_TIRTA_BENTENG',
      customerNo: '12340001',
      nickname: 'Air Rumah',
    });
    expect(saved.statusCode, saved.body).toBe(201);
    savedId = saved.json<{ id: string }>().id;
  });

  it('subscribes a saved number with the PIN, lists it with its next due date, and refuses it twice', async () => {
    const created = await subscribe(siti, { savedNumberId: savedId, dayOfMonth: 25, maxAmount: 300_000 });
    expect(created).toMatchObject({
      status: 'active',
      customerNo: '12340001',
      maxAmount: 300_000,
      dayOfMonth: 25,
      nextDueDate: '2025-12-25',
      thisMonth: null,
    });
    const list = await call(siti.token, 'GET', '/v1/me/subscriptions');
    expect(list.json<{ items: Subscription[] }>().items.map((s) => s.id)).toEqual([created.id]);

    const again = await call(siti.token, 'POST', '/v1/me/subscriptions', {
      product: 'PDAM_TIRTA_BENTENG',
      customerNo: '12340001',
      nickname: 'Lagi',
      dayOfMonth: 3,
      maxAmount: 100_000,
      pin: siti.pin,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'SUBSCRIPTION_EXISTS', subscriptionId: created.id });
  });

  it('refuses bad terms with a 4xx code, before spending a PIN try, and changes nothing', async () => {
    const before = await snapshotCounts(t);
    const subs = async () =>
      (await t.deps.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM subscriptions`)).rows[0]!.n;
    const count = await subs();
    const base = {
      product: 'PDAM_TIRTA_BENTENG',
      customerNo: '12349876',
      nickname: 'Air Kebun',
      dayOfMonth: 5,
      maxAmount: 200_000,
      pin: '000000',
    };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ dayOfMonth: 0 }, 400, 'VALIDATION_FAILED'],
      [{ dayOfMonth: 32 }, 400, 'VALIDATION_FAILED'],
      [{ dayOfMonth: 1.5 }, 400, 'VALIDATION_FAILED'],
      [{ maxAmount: 0 }, 400, 'VALIDATION_FAILED'],
      [{ maxAmount: -5 }, 400, 'VALIDATION_FAILED'],
      [{ maxAmount: 10_000_001 }, 400, 'VALIDATION_FAILED'],
      [{ maxAmount: 1000.5 }, 400, 'VALIDATION_FAILED'],
      [{ customerNo: '12' }, 400, 'VALIDATION_FAILED'],
      [{ months: 2 }, 400, 'VALIDATION_FAILED'],
      [{ product: 'BPJS_KESEHATAN', customerNo: '8888801234567890' }, 400, 'VALIDATION_FAILED'],
      [{ product: 'BPJS_KESEHATAN', customerNo: '8888801234567890', months: 13 }, 400, 'VALIDATION_FAILED'],
      [{ product: 'PLN_PREPAID', customerNo: '12345678901' }, 400, 'VALIDATION_FAILED'],
      [{ product: 'PDAM_ATLANTIS' }, 404, 'PRODUCT_UNKNOWN'],
      [{ nickname: '' }, 400, 'VALIDATION_FAILED'],
      [{ pin: undefined }, 400, 'VALIDATION_FAILED'],
      [
        { savedNumberId: '0190f0f0-0000-7000-8000-000000000000', product: undefined },
        400,
        'VALIDATION_FAILED',
      ],
    ];
    for (const [change, status, code] of cases) {
      const response = await call(siti.token, 'POST', '/v1/me/subscriptions', { ...base, ...change });
      expect(response.statusCode, JSON.stringify(change)).toBe(status);
      expect(response.json().code).toBe(code);
    }
    // A saved number that is not hers.
    const missing = await call(siti.token, 'POST', '/v1/me/subscriptions', {
      savedNumberId: '0190f0f0-0000-7000-8000-000000000000',
      dayOfMonth: 5,
      maxAmount: 200_000,
      pin: siti.pin,
    });
    expect(missing.statusCode).toBe(404);
    // The PIN was never tried by any of the above: the right one still works, a wrong one counts.
    const wrongPin = await call(siti.token, 'POST', '/v1/me/subscriptions', base);
    expect(wrongPin.statusCode).toBe(403);
    expect(wrongPin.json()).toMatchObject({ code: 'PIN_INVALID', remainingAttempts: 4 });
    expect(await subs()).toBe(count);
    const after = await snapshotCounts(t);
    expect(after.audit_log).toBe(before.audit_log);
    expect(after.payments).toBe(before.payments);
  });

  it('pauses, resumes and cancels for good; a state change that does not apply is a 409', async () => {
    const s = await subscribe(siti, {
      product: 'BPJS_KESEHATAN',
      customerNo: '8888801234567890',
      nickname: 'BPJS keluarga',
      months: 2,
      dayOfMonth: 31,
      maxAmount: 500_000,
    });
    const act = (action: string) => call(siti.token, 'POST', `/v1/me/subscriptions/${s.id}/${action}`);
    expect((await act('resume')).json()).toMatchObject({ code: 'SUBSCRIPTION_NOT_PAUSED' });
    expect((await act('pause')).json()).toMatchObject({ status: 'paused' });
    expect((await act('pause')).json()).toMatchObject({ code: 'SUBSCRIPTION_NOT_ACTIVE' });
    expect((await act('resume')).json()).toMatchObject({ status: 'active', nextDueDate: '2025-12-31' });
    // Lowering the limit needs no PIN; raising it does.
    const lower = await call(siti.token, 'PATCH', `/v1/me/subscriptions/${s.id}`, { maxAmount: 400_000 });
    expect(lower.json()).toMatchObject({ maxAmount: 400_000 });
    const raise = await call(siti.token, 'PATCH', `/v1/me/subscriptions/${s.id}`, { maxAmount: 600_000 });
    expect(raise.statusCode).toBe(400);
    const raised = await call(siti.token, 'PATCH', `/v1/me/subscriptions/${s.id}`, {
      maxAmount: 600_000,
      dayOfMonth: 30,
      pin: siti.pin,
    });
    expect(raised.json()).toMatchObject({ maxAmount: 600_000, dayOfMonth: 30 });
    expect((await act('cancel')).json()).toMatchObject({ status: 'cancelled', nextDueDate: null });
    for (const action of ['pause', 'resume', 'cancel'])
      expect((await act(action)).json()).toMatchObject({ code: 'SUBSCRIPTION_CANCELLED' });
    const patched = await call(siti.token, 'PATCH', `/v1/me/subscriptions/${s.id}`, { nickname: 'x' });
    expect(patched.json()).toMatchObject({ code: 'SUBSCRIPTION_CANCELLED' });
    // Cancelled is final, and frees the number for a new subscription.
    await subscribe(siti, {
      product: 'BPJS_KESEHATAN',
      customerNo: '8888801234567890',
      nickname: 'BPJS keluarga',
      months: 1,
      dayOfMonth: 1,
      maxAmount: 500_000,
    });
  });

  it('lets the treasurer set one up for a member without a phone (no PIN, audited, masked); pengawas only reads; another koperasi sees nothing', async () => {
    const budi = await givenMember(t, kop, { balance: 0n, memberNo: 'AD-002' });
    const created = await call(kop.treasurerToken, 'POST', '/v1/members/AD-002/subscriptions', {
      product: 'PDAM_TIRTA_BENTENG',
      customerNo: '12345678',
      nickname: 'Air Pak Budi',
      dayOfMonth: 12,
      maxAmount: 150_000,
    });
    expect(created.statusCode, created.body).toBe(201);
    const s = created.json<Subscription>();
    expect(s.customerNo).toBe('****5678');
    const audit = await t.deps.db.execute<{
      actor_type: string;
      after: { memberId: string; confirmedWith: string };
    }>(
      sql`SELECT actor_type, after FROM audit_log WHERE action = 'subscription.create' AND subject_id = ${s.id}`,
    );
    expect(audit.rows).toEqual([
      expect.objectContaining({
        actor_type: 'treasurer',
        after: expect.objectContaining({ memberId: budi.id, confirmedWith: 'mandate at the desk' }),
      }),
    ]);
    const created_by = await t.deps.db.execute<{ created_by: string }>(
      sql`SELECT created_by FROM subscriptions WHERE id = ${s.id}`,
    );
    expect(created_by.rows[0]!.created_by).not.toBe(budi.id);
    // The member sees it in full in their own list.
    const own = await call(budi.token, 'GET', '/v1/me/subscriptions');
    expect(own.json<{ items: Subscription[] }>().items).toEqual([
      expect.objectContaining({ id: s.id, customerNo: '12345678' }),
    ]);

    const pengawas = await givenPengawas(t, kop);
    expect((await call(pengawas.token, 'GET', '/v1/members/AD-002/subscriptions')).statusCode).toBe(200);
    expect((await call(pengawas.token, 'GET', `/v1/subscriptions/${s.id}`)).statusCode).toBe(200);
    const pengawasPause = await call(
      pengawas.token,
      'POST',
      `/v1/members/AD-002/subscriptions/${s.id}/pause`,
    );
    expect(pengawasPause.statusCode).toBe(403);

    // Another koperasi's treasurer, even with a member of the same number.
    await givenMember(t, other, { balance: 0n, memberNo: 'AD-002' });
    expect((await call(other.treasurerToken, 'GET', `/v1/subscriptions/${s.id}`)).statusCode).toBe(404);
    const foreign = await call(
      other.treasurerToken,
      'POST',
      `/v1/members/AD-002/subscriptions/${s.id}/pause`,
    );
    expect(foreign.statusCode).toBe(404);
    const theirs = await call(other.treasurerToken, 'GET', '/v1/members/AD-002/subscriptions');
    expect(theirs.json<{ items: unknown[] }>().items).toEqual([]);
    expect(
      (await call(other.treasurerToken, 'GET', '/v1/subscriptions')).json<{ items: unknown[] }>().items,
    ).toEqual([]);
    // Another member of the same koperasi.
    expect((await call(siti.token, 'GET', `/v1/me/subscriptions/${s.id}`)).statusCode).toBe(404);
    expect((await call(siti.token, 'POST', `/v1/me/subscriptions/${s.id}/cancel`)).statusCode).toBe(404);

    const paused = await call(kop.treasurerToken, 'POST', `/v1/members/AD-002/subscriptions/${s.id}/pause`);
    expect(paused.json()).toMatchObject({ status: 'paused' });
    const audited = await t.deps.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'subscription.pause' AND subject_id = ${s.id}
          AND actor_type = 'treasurer'`,
    );
    expect(audited.rows[0]!.n).toBe(1);
    await call(kop.treasurerToken, 'POST', `/v1/members/AD-002/subscriptions/${s.id}/cancel`);
  });
});

describe('the scheduler', () => {
  it('pays on the due day, once, from savings, and tells the member', async () => {
    const ani = await givenMember(t, kop, { balance: 500_000n, memberNo: 'AD-010' });
    const s = await subscribe(ani, {
      product: 'PDAM_TIRTA_BENTENG',
      customerNo: '12341010',
      nickname: 'Rumah Ibu',
      dayOfMonth: 10,
      maxAmount: 300_000,
    });
    at('2026-01-09T09:00:00+07:00');
    await tick();
    expect(await paymentsOf(s.id)).toEqual([]);

    at('2026-01-10T06:00:00+07:00');
    await Promise.all([tick(), tick(), tick()]);
    await tick();
    const [payment, ...more] = await paymentsOf(s.id);
    expect(more).toEqual([]);
    expect(payment).toMatchObject({ channel: 'autodebet', total: String(TOTAL) });
    await settle(ani, s.id);
    await tick();
    expect(await paymentsOf(s.id)).toHaveLength(1);
    expect(await balanceOf(t, ani)).toMatchObject({ balance: 500_000 - TOTAL, available: 500_000 - TOTAL });

    const history = await detail(ani, s.id);
    expect(history.runs).toEqual([
      expect.objectContaining({
        period: '2026-01',
        status: 'paid',
        outcome: 'PAYMENT_SUCCESS',
        payment: { id: payment!.id, status: 'success', total: TOTAL },
      }),
    ]);
    expect(history.nextDueDate).toBe('2026-02-10');
    const told = await notices(ani.token);
    expect(told.items).toEqual([
      expect.objectContaining({
        kind: 'autodebet_paid',
        paymentId: payment!.id,
        body: expect.stringContaining('Rp 103.500'),
      }),
    ]);
    expect(told.unread).toBe(1);
    const read = await call(ani.token, 'POST', '/v1/me/notifications/read', { all: true });
    expect(read.json()).toEqual({ marked: 1, unread: 0 });
    await cancel(ani, s.id);
  });

  it('skips a bill over the limit, pays nothing and tells the member and the treasurer', async () => {
    const rina = await givenMember(t, kop, { balance: 900_000n, memberNo: 'AD-020' });
    fake.onInquiry('12342020', bill(411_000n));
    const s = await subscribe(rina, {
      product: 'PDAM_TIRTA_BENTENG',
      customerNo: '12342020',
      nickname: 'Rumah Ibu',
      dayOfMonth: 3,
      maxAmount: 300_000,
    });
    at('2026-02-03T08:00:00+07:00');
    await tick();
    await tick();
    expect(await paymentsOf(s.id)).toEqual([]);
    expect(await balanceOf(t, rina)).toMatchObject({ balance: 900_000, available: 900_000 });
    const run = (await detail(rina, s.id)).runs[0];
    expect(run).toMatchObject({ status: 'skipped', outcome: 'OVER_LIMIT', tries: 1 });
    expect(run!.outcomeText).toContain('Rp 414.500');
    const mine = await notices(rina.token);
    expect(mine.items).toEqual([
      expect.objectContaining({
        kind: 'autodebet_over_limit',
        body: 'Autodebet PDAM Rumah Ibu tidak dibayar: tagihan Rp 414.500 melebihi batas Rp 300.000.',
      }),
    ]);
    const staff = await notices(kop.treasurerToken, '/v1/notifications');
    expect(staff.items).toContainEqual(
      expect.objectContaining({ kind: 'autodebet_over_limit', body: expect.stringContaining('AD-020') }),
    );
    // The koperasi's list shows it first among the ones to look at this month.
    const attention = await call(kop.treasurerToken, 'GET', '/v1/subscriptions?attention=true');
    expect(attention.json<{ items: Subscription[] }>().items).toEqual([
      expect.objectContaining({ id: s.id, needsAttention: true, customerNo: '****2020' }),
    ]);
    await cancel(rina, s.id);
  });

  it('when savings are short: tells the member once a day, tries again the next morning, pays after a deposit', async () => {
    const dewi = await givenMember(t, kop, { balance: 50_000n, memberNo: 'AD-030' });
    const s = await subscribe(dewi, {
      product: 'PDAM_TIRTA_BENTENG',
      customerNo: '12343030',
      nickname: 'Kontrakan',
      dayOfMonth: 5,
      maxAmount: 300_000,
    });
    at('2026-03-05T08:00:00+07:00');
    await tick();
    at('2026-03-05T20:00:00+07:00');
    await tick();
    expect(await paymentsOf(s.id)).toEqual([]);
    const run = (await detail(dewi, s.id)).runs[0];
    expect(run).toMatchObject({ status: 'pending', outcome: 'INSUFFICIENT_BALANCE', tries: 1 });
    const told = await notices(dewi.token);
    expect(told.items).toEqual([
      expect.objectContaining({
        kind: 'autodebet_insufficient',
        body: expect.stringContaining('(perlu Rp 103.500)'),
      }),
    ]);

    at('2026-03-06T07:00:00+07:00');
    await tick();
    expect((await notices(dewi.token)).items).toHaveLength(2);
    await deposit(t, kop, dewi.memberNo, 100_000n);
    at('2026-03-07T07:30:00+07:00');
    await tick();
    const [payment, ...more] = await paymentsOf(s.id);
    expect(more).toEqual([]);
    expect(payment).toMatchObject({ channel: 'autodebet' });
    await settle(dewi, s.id);
    expect(await balanceOf(t, dewi)).toMatchObject({ balance: 150_000 - TOTAL });
    expect((await detail(dewi, s.id)).runs[0]).toMatchObject({
      status: 'paid',
      outcome: 'PAYMENT_SUCCESS',
      tries: 3,
    });
    await cancel(dewi, s.id);
  });

  it('when there is nothing to pay yet: tries each morning and gives up after AUTODEBET_RETRY_DAYS', async () => {
    const eko = await givenMember(t, kop, { balance: 500_000n, memberNo: 'AD-040' });
    fake.onInquiry('12344040', {
      kind: 'rejected',
      reason: 'BILL_NOT_AVAILABLE',
      rc: '60',
      message: 'Tagihan belum tersedia',
    });
    const s = await subscribe(eko, {
      product: 'PDAM_TIRTA_BENTENG',
      customerNo: '12344040',
      nickname: 'Ruko',
      dayOfMonth: 10,
      maxAmount: 300_000,
    });
    for (const day of ['10', '11', '12', '13', '14']) {
      at(`2026-04-${day}T08:00:00+07:00`);
      await tick();
      await tick();
      expect((await detail(eko, s.id)).runs[0]).toMatchObject({ status: 'pending', outcome: 'NOTHING_DUE' });
    }
    expect((await notices(eko.token)).items).toEqual([]);
    at('2026-04-15T08:00:00+07:00');
    await tick();
    expect((await detail(eko, s.id)).runs[0]).toMatchObject({
      status: 'skipped',
      outcome: 'NOTHING_DUE',
      tries: 6,
    });
    expect((await notices(eko.token)).items).toEqual([
      expect.objectContaining({ kind: 'autodebet_nothing_due' }),
    ]);
    at('2026-04-16T08:00:00+07:00');
    await tick();
    expect((await detail(eko, s.id)).runs[0]).toMatchObject({ tries: 6 });
    expect(await paymentsOf(s.id)).toEqual([]);
    await cancel(eko, s.id);
  });

  it('when the biller is down: tries again later the same day and pays once it is back', async () => {
    const fajar = await givenMember(t, kop, { balance: 500_000n, memberNo: 'AD-050' });
    let down = true;
    fake.onInquiry('12345050', () =>
      down ? { kind: 'unavailable', rc: '500', message: 'upstream down' } : bill(100_000n),
    );
    const s = await subscribe(fajar, {
      product: 'PDAM_TIRTA_BENTENG',
      customerNo: '12345050',
      nickname: 'Toko',
      dayOfMonth: 8,
      maxAmount: 300_000,
    });
    at('2026-05-08T09:00:00+07:00');
    await tick();
    const waiting = (await detail(fajar, s.id)).runs[0];
    expect(waiting).toMatchObject({ status: 'pending', outcome: 'UPSTREAM_UNAVAILABLE' });
    at('2026-05-08T09:30:00+07:00');
    await tick();
    expect((await detail(fajar, s.id)).runs[0]).toMatchObject({ tries: 1 });
    down = false;
    at('2026-05-08T10:01:00+07:00');
    await tick();
    expect(await paymentsOf(s.id)).toHaveLength(1);
    await settle(fajar, s.id);
    expect((await detail(fajar, s.id)).runs[0]).toMatchObject({
      status: 'paid',
      outcome: 'PAYMENT_SUCCESS',
      tries: 2,
    });
    expect((await notices(fajar.token)).items.map((n) => n.kind)).toEqual(['autodebet_paid']);
    await cancel(fajar, s.id);
  });

  it('pays nothing while paused and pays once resumed; day 31 means the last day of a 30-day month', async () => {
    const gita = await givenMember(t, kop, { balance: 500_000n, memberNo: 'AD-060' });
    const s = await subscribe(gita, {
      product: 'PDAM_TIRTA_BENTENG',
      customerNo: '12346060',
      nickname: 'Kos',
      dayOfMonth: 31,
      maxAmount: 300_000,
    });
    expect((await call(gita.token, 'POST', `/v1/me/subscriptions/${s.id}/pause`)).statusCode).toBe(200);
    at('2026-06-30T08:00:00+07:00');
    await tick();
    expect(await paymentsOf(s.id)).toEqual([]);
    const resumed = await call(gita.token, 'POST', `/v1/me/subscriptions/${s.id}/resume`);
    expect(resumed.json()).toMatchObject({ nextDueDate: '2026-06-30' });
    await tick();
    expect(await paymentsOf(s.id)).toHaveLength(1);
    await settle(gita, s.id);
    expect((await detail(gita, s.id)).runs[0]).toMatchObject({ period: '2026-06', status: 'paid' });
    await cancel(gita, s.id);
  });

  it('after a payment fails upstream (money back), makes a new one later — never two successes', async () => {
    const hadi = await givenMember(t, kop, { balance: 500_000n, memberNo: 'AD-070' });
    let pays = 0;
    fake.onPay('12347070', (target) =>
      ++pays === 1
        ? { kind: 'failed', rc: '40', message: 'Transaksi gagal', transactionCreated: true }
        : {
            kind: 'success',
            upstreamRef: `OK${pays}`,
            price: target.amount - 500n,
            rc: '00',
            message: 'Sukses',
          },
    );
    const s = await subscribe(hadi, {
      product: 'PDAM_TIRTA_BENTENG',
      customerNo: '12347070',
      nickname: 'Rumah',
      dayOfMonth: 2,
      maxAmount: 300_000,
    });
    at('2026-07-02T08:00:00+07:00');
    await tick();
    await settle(hadi, s.id);
    expect((await paymentsOf(s.id)).map((p) => p.status)).toEqual(['failed']);
    expect((await detail(hadi, s.id)).runs[0]).toMatchObject({
      status: 'pending',
      outcome: 'PAYMENT_FAILED',
    });
    expect(await balanceOf(t, hadi)).toMatchObject({ balance: 500_000, available: 500_000 });
    await tick();
    expect(await paymentsOf(s.id)).toHaveLength(1);

    at('2026-07-02T09:01:00+07:00');
    await tick();
    await settle(hadi, s.id);
    await tick();
    const payments = await paymentsOf(s.id);
    expect(payments.map((p) => p.status)).toEqual(['failed', 'success']);
    const run = (await detail(hadi, s.id)).runs[0];
    expect(run).toMatchObject({
      status: 'paid',
      outcome: 'PAYMENT_SUCCESS',
      failedPaymentIds: [payments[0]!.id],
    });
    expect(await balanceOf(t, hadi)).toMatchObject({ balance: 500_000 - TOTAL });
    expect((await notices(hadi.token)).items.map((n) => n.kind)).toEqual([
      'autodebet_paid',
      'autodebet_failed',
    ]);
    await cancel(hadi, s.id);
  });

  it('leaves the ledger sound', async () => {
    expect(await ledgerBreaches(t)).toEqual([]);
  });
});
