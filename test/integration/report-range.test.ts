/**
 * Reports over a range of days and a month (the RAT needs a year): every payment of the range, one line per day
 * and the totals — the month's totals equal the sum of its daily reports — and the treasurer's feed filtered by
 * product, member and day.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAdapter, createFakeAdapter } from '../../adapters/fake/index.js';
import type { Clock } from '../../src/clock.js';
import {
  type GivenKoperasi,
  type GivenMember,
  type TestApp,
  bearer,
  givenApp,
  givenKoperasi,
  givenMember,
  givenPengawas,
  quoteAndPay,
} from '../helpers/app.js';

let now = new Date('2026-11-03T09:00:00+07:00');
const clock: Clock = { now: () => now };
let t: TestApp;
let fake: FakeAdapter;
let kop: GivenKoperasi;
let other: GivenKoperasi;
let siti: GivenMember;
let budi: GivenMember;
const paid: { id: string; at: string; product: string; member: string }[] = [];

const WATER = { product: 'PDAM_TIRTA_BENTENG', customerNo: '12340000' };
const POWER = { product: 'PLN_POSTPAID', customerNo: '530000000000' };

beforeAll(async () => {
  fake = createFakeAdapter({ name: 'digiflazz' });
  t = await givenApp({ adapters: [fake], workers: true, clock });
  kop = await givenKoperasi(t);
  other = await givenKoperasi(t);
  siti = await givenMember(t, kop, { balance: 2_000_000n, memberNo: 'S-001' });
  budi = await givenMember(t, kop, { balance: 2_000_000n, memberNo: 'B-002' });
  // Five payments on three days of November (one at 23:59:59 WIB, one at 00:00:00), one on 1 December.
  const plan: [string, GivenMember, typeof WATER][] = [
    ['2026-11-03T09:00:00+07:00', siti, WATER],
    ['2026-11-03T23:59:59+07:00', budi, WATER],
    ['2026-11-04T00:00:00+07:00', siti, WATER],
    ['2026-11-04T09:00:00+07:00', siti, POWER],
    ['2026-11-30T12:00:00+07:00', budi, POWER],
    ['2026-12-01T08:00:00+07:00', siti, WATER],
  ];
  for (const [at, member, bill] of plan) {
    now = new Date(at);
    const p = await quoteAndPay(t, member, bill, { wait: 10 });
    expect(p.status).toBe('success');
    paid.push({ id: p.id, at, product: bill.product, member: member.memberNo });
  }
  now = new Date('2026-12-04T10:00:00+07:00');
});

afterAll(async () => {
  await t?.close();
});

const get = (url: string, token = kop.treasurerToken) => t.app.inject({ url, headers: bearer(token) });

/** The CSV's three tables: payments, totals, days (separated by empty records). */
function tables(csv: string): string[][][] {
  const records: string[][] = parse(csv, { relax_column_count: true, skip_empty_lines: false });
  const out: string[][][] = [[]];
  for (const r of records) {
    if (r.length === 1 && r[0] === '') out.push([]);
    else out.at(-1)!.push(r);
  }
  return out;
}

const totalsOf = (csv: string) => {
  const [, totals = []] = tables(csv);
  const sums: Record<string, number> = {};
  for (const [section, product, status, count, amount] of totals.slice(1)) {
    const key = section === 'by_product_status' ? `${product}/${status}` : section!;
    sums[`${key}:count`] = Number(count || 0);
    sums[`${key}:amount`] = Number(amount || 0);
  }
  return sums;
};

describe('a month and a range', () => {
  it("a month's totals equal the sum of its daily reports, with one line per day and every payment", async () => {
    const month = await get('/v1/reports/range?month=2026-11&format=csv');
    expect(month.statusCode).toBe(200);
    expect(month.headers['content-disposition']).toContain(`laporan-bulanan-${kop.code}-2026-11.csv`);
    const [payments = [], , days = []] = tables(month.body);
    expect(payments.slice(1).map((r) => r[0])).toEqual(paid.slice(0, 5).map((p) => p.id));

    const sum: Record<string, number> = {};
    for (const date of ['2026-11-03', '2026-11-04', '2026-11-30', '2026-11-15']) {
      const daily = totalsOf((await get(`/v1/reports/daily?date=${date}&format=csv`)).body);
      for (const [k, v] of Object.entries(daily)) sum[k] = (sum[k] ?? 0) + v;
    }
    const monthly = totalsOf(month.body);
    expect(monthly['fee_income:amount']).toBeGreaterThan(0);
    for (const key of Object.keys({ ...sum, ...monthly }))
      expect([key, monthly[key] ?? 0]).toEqual([key, sum[key] ?? 0]);

    expect(days[0]).toEqual([
      'date',
      'payment_count',
      'success_count',
      'success_total',
      'fee_income',
      'commission_income',
      'payable_to_gateway',
    ]);
    expect(days.slice(1).map((d) => [d[0], d[1]])).toEqual([
      ['2026-11-03', '2'],
      ['2026-11-04', '2'],
      ['2026-11-30', '1'],
    ]);
    const day3 = totalsOf((await get('/v1/reports/daily?date=2026-11-03&format=csv')).body);
    expect(Number(days[1]![4])).toBe(day3['fee_income:amount']);
    expect(Number(days[1]![6])).toBe(day3['payable_to_gateway:amount']);
  });

  it('a range crosses months, and comes as XLSX and PDF too', async () => {
    const range = await get('/v1/reports/range?from=2026-11-30&to=2026-12-01&format=csv');
    const [payments = []] = tables(range.body);
    expect(payments.slice(1).map((r) => r[0])).toEqual(paid.slice(4).map((p) => p.id));
    expect(range.headers['content-disposition']).toContain('2026-11-30_2026-12-01.csv');
    const xlsx = await get('/v1/reports/range?month=2026-11&format=xlsx');
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const pdf = await get('/v1/reports/range?from=2026-01-01&to=2026-12-31&format=pdf');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('refuses 367 days, reversed or impossible dates, half a range and a month with a range', async () => {
    const refused = async (query: string) =>
      (await get(`/v1/reports/range?${query}`)).json<{ code: string; status: number }>();
    expect(await refused('from=2025-12-30&to=2026-12-31')).toMatchObject({
      code: 'REPORT_DATE_INVALID',
      status: 400,
    });
    expect((await get('/v1/reports/range?from=2025-12-31&to=2026-12-31')).statusCode).toBe(200); // 366 days
    expect(await refused('from=2026-12-02&to=2026-12-01')).toMatchObject({ code: 'REPORT_DATE_INVALID' });
    expect(await refused('from=2026-02-30&to=2026-03-01')).toMatchObject({ code: 'REPORT_DATE_INVALID' });
    expect(await refused('from=2026-11-01')).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await refused('month=2026-13')).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await refused('month=2026-11&from=2026-11-01')).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await refused('month=2026-11&format=doc')).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('shows nothing of another koperasi, lets the pengawas read it, and refuses a member', async () => {
    const elsewhere = await get('/v1/reports/range?month=2026-11&format=csv', other.treasurerToken);
    expect(elsewhere.statusCode).toBe(200);
    for (const p of paid) expect(elsewhere.body).not.toContain(p.id);
    const pengawas = await givenPengawas(t, kop);
    expect((await get('/v1/reports/range?month=2026-11', pengawas.token)).statusCode).toBe(200);
    expect((await get('/v1/reports/range?month=2026-11', siti.token)).statusCode).toBe(403);
  });
});

describe("the treasurer's feed filters", () => {
  const ids = async (query: string, token = kop.treasurerToken) => {
    const response = await get(`/v1/payments?limit=100&${query}`, token);
    expect(response.statusCode).toBe(200);
    return response
      .json<{ items: { id: string }[] }>()
      .items.map((p) => p.id)
      .sort();
  };
  const expected = (keep: (p: (typeof paid)[number]) => boolean) =>
    paid
      .filter(keep)
      .map((p) => p.id)
      .sort();

  it('by product, by member number or part of the name, by WIB day, and together', async () => {
    expect(await ids('product=PLN_POSTPAID')).toEqual(expected((p) => p.product === 'PLN_POSTPAID'));
    expect(await ids('member=s-001')).toEqual(expected((p) => p.member === 'S-001'));
    expect(await ids(`member=${encodeURIComponent('B-002')}`)).toEqual(expected((p) => p.member === 'B-002'));
    expect(await ids('member=Anggota%20B')).toEqual(expected((p) => p.member === 'B-002'));
    expect(await ids('date=2026-11-03')).toEqual(expected((p) => p.at.startsWith('2026-11-03')));
    expect(await ids('date=2026-11-04')).toEqual(expected((p) => p.at.startsWith('2026-11-04')));
    expect(await ids('product=PDAM_TIRTA_BENTENG&member=S-001&date=2026-11-04&status=success')).toEqual(
      expected(
        (p) => p.product === 'PDAM_TIRTA_BENTENG' && p.member === 'S-001' && p.at.startsWith('2026-11-04'),
      ),
    );
    expect(await ids('member=%25')).toEqual([]);
    expect(await ids('product=PLN_POSTPAID', other.treasurerToken)).toEqual([]);
  });

  it('pages through a filtered feed and refuses impossible filters with 400', async () => {
    const first = (await get('/v1/payments?limit=2&member=S-001')).json<{
      items: { id: string }[];
      nextCursor: string;
    }>();
    const rest = (await get(`/v1/payments?limit=10&member=S-001&cursor=${first.nextCursor}`)).json<{
      items: { id: string }[];
      nextCursor: string | null;
    }>();
    expect([...first.items, ...rest.items].map((p) => p.id).sort()).toEqual(
      expected((p) => p.member === 'S-001'),
    );
    expect(rest.nextCursor).toBeNull();
    for (const query of ['date=2026-02-30', 'date=kemarin', 'product=pln', `member=${'x'.repeat(65)}`])
      expect((await get(`/v1/payments?${query}`)).json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        status: 400,
      });
  });

  it('keeps a member to their own payments whatever the filter', async () => {
    expect(await ids('member=B-002', siti.token)).toEqual([]);
    expect(await ids('product=PLN_POSTPAID', siti.token)).toEqual(
      expected((p) => p.member === 'S-001' && p.product === 'PLN_POSTPAID'),
    );
  });
});
