/**
 * Tutup hari: a WIB day's payments by status, fee income, deposits and corrections, what is owed upstream,
 * the open items, reconciliation per upstream and the balances at the end of the day — the same numbers as
 * the daily report and the "Hari ini" strip.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAdapter, createFakeAdapter } from '../../adapters/fake/index.js';
import type { Clock } from '../../src/clock.js';
import {
  type GivenKoperasi,
  type GivenMember,
  type TestApp,
  bearer,
  deposit,
  givenApp,
  givenKoperasi,
  givenMember,
  givenPengawas,
  quoteAndPay,
} from '../helpers/app.js';

let now = new Date('2026-11-10T08:00:00+07:00');
const clock: Clock = { now: () => now };
let t: TestApp;
let fake: FakeAdapter;
let kop: GivenKoperasi;
let other: GivenKoperasi;
let siti: GivenMember;
let correctedId: string;

const WATER = { product: 'PDAM_TIRTA_BENTENG', customerNo: '12340000' };
const STUCK = { product: 'PDAM_TIRTA_BENTENG', customerNo: '12349999' };

interface Closing {
  date: string;
  complete: boolean;
  payments: { count: number; byStatus: { status: string; count: number; total: number }[] };
  feeIncome: number;
  commissionIncome: number;
  owedUpstream: number;
  deposits: { count: number; total: number; corrections: { count: number; total: number }; net: number };
  open: { suspects: number; daySuspects: { count: number; total: number }; reviewPayments: number };
  reconciliation: { reconciled: boolean; runs: unknown[] };
  balances: { code: string; balance: number; accounts: number }[];
}

beforeAll(async () => {
  fake = createFakeAdapter({ name: 'digiflazz' });
  fake.onPay(STUCK.customerNo, { kind: 'suspect', rc: '03', message: 'Pending' });
  fake.onStatus(STUCK.customerNo, { kind: 'suspect', rc: '03', message: 'Pending' });
  t = await givenApp({ adapters: [fake], workers: true, clock });
  kop = await givenKoperasi(t);
  other = await givenKoperasi(t);
  siti = await givenMember(t, kop, { balance: 500_000n, memberNo: 'S-010' });
  now = new Date('2026-11-10T09:00:00+07:00');
  expect((await quoteAndPay(t, siti, WATER, { wait: 10 })).status).toBe('success');
  expect((await quoteAndPay(t, siti, WATER, { wait: 10 })).status).toBe('success');
  await quoteAndPay(t, siti, STUCK, { wait: 1 });
  const wrong = await deposit(t, kop, siti.memberNo, 70_000n);
  correctedId = wrong.json<{ transactionId: string }>().transactionId;
  const corrected = await t.app.inject({
    method: 'POST',
    url: `/v1/deposits/${correctedId}/correction`,
    headers: { ...bearer(kop.treasurerToken), 'idempotency-key': randomUUID() },
    payload: { reason: 'salah anggota' },
  });
  expect(corrected.statusCode).toBe(201);
  now = new Date('2026-11-11T07:00:00+07:00');
  await deposit(t, kop, siti.memberNo, 10_000n); // the next day: not in the 10th's closing
});

afterAll(async () => {
  await t?.close();
});

const closing = (query: string, token = kop.treasurerToken) =>
  t.app.inject({ url: `/v1/closing${query}`, headers: bearer(token) });

describe('tutup hari', () => {
  it('adds up the day: payments by status, income, owed upstream, deposits and corrections, balances at day end', async () => {
    const response = await closing('?date=2026-11-10');
    expect(response.statusCode).toBe(200);
    const day = response.json<Closing>();
    expect(day.date).toBe('2026-11-10');
    expect(day.complete).toBe(true);
    expect(day.payments.count).toBe(3);
    expect(day.payments.byStatus).toEqual(
      expect.arrayContaining([
        { status: 'success', count: 2, total: 207_000 },
        { status: 'suspect', count: 1, total: 103_500 },
      ]),
    );
    expect(day.feeIncome).toBe(2_000);
    expect(day.commissionIncome).toBe(1_000);
    expect(day.owedUpstream).toBe(2 * 102_000);
    // The opening deposit of 500 000 was on the 10th too (the clock stood at 08:00).
    expect(day.deposits).toEqual({
      count: 2,
      total: 570_000,
      corrections: { count: 1, total: 70_000 },
      net: 500_000,
    });
    expect(day.open).toMatchObject({ suspects: 1, daySuspects: { count: 1, total: 103_500 } });
    expect(day.reconciliation).toEqual({ reconciled: false, runs: [] });
    const balance = (code: string) => day.balances.find((b) => b.code === code)?.balance;
    expect(balance('deposits_cash')).toBe(500_000);
    expect(balance('savings')).toBe(500_000 - 3 * 103_500);
    expect(balance('in_flight')).toBe(103_500);
    expect(balance('fee_income')).toBe(2_000);
    expect(balance('payable_gateway')).toBe(204_000);
  });

  it('agrees with the daily report and defaults to today', async () => {
    const csv = (
      await t.app.inject({
        url: '/v1/reports/daily?date=2026-11-10&format=csv',
        headers: bearer(kop.treasurerToken),
      })
    ).body;
    expect(csv).toMatch(/^fee_income,,,,2000\r?$/m);
    expect(csv).toMatch(/^payable_to_gateway,,,,204000\r?$/m);
    const today = (await closing('')).json<Closing>();
    expect(today.date).toBe('2026-11-11');
    expect(today.complete).toBe(false);
    expect(today.deposits).toMatchObject({ count: 1, total: 10_000 });
    expect(today.payments.count).toBe(0);
  });

  it('shows another koperasi nothing of this one, lets the pengawas read, refuses a member', async () => {
    const elsewhere = (await closing('?date=2026-11-10', other.treasurerToken)).json<Closing>();
    expect(elsewhere.payments.count).toBe(0);
    expect(elsewhere.deposits.total).toBe(0);
    expect(elsewhere.open.suspects).toBe(0);
    const pengawas = await givenPengawas(t, kop);
    expect((await closing('?date=2026-11-10', pengawas.token)).statusCode).toBe(200);
    expect((await closing('?date=2026-11-10', siti.token)).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/v1/closing' })).statusCode).toBe(401);
  });

  it('refuses impossible, future and malformed dates with a 4xx', async () => {
    const cases: [string, string][] = [
      ['?date=2026-02-30', 'REPORT_DATE_INVALID'],
      ['?date=2026-11-12', 'REPORT_DATE_INVALID'],
      ['?date=10-11-2026', 'VALIDATION_FAILED'],
      ['?day=2026-11-10', 'VALIDATION_FAILED'],
    ];
    for (const [query, code] of cases)
      expect((await closing(query)).json()).toMatchObject({ code, status: 400 });
  });
});

describe('reconciliation items for a person', () => {
  it('are listed for the treasurer and the pengawas, never for a member', async () => {
    const review = await t.app.inject({
      url: '/v1/reconciliations/review',
      headers: bearer(kop.treasurerToken),
    });
    expect(review.statusCode).toBe(200);
    expect(review.json()).toMatchObject({ since: '2026-10-12', items: [] });
    expect(
      (await t.app.inject({ url: '/v1/reconciliations/review', headers: bearer(siti.token) })).statusCode,
    ).toBe(403);
  });
});
