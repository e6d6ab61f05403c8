/**
 * Reconciliation with a scripted upstream (the fake adapter) and hand-made settlement files: every
 * class, every automatic resolution, refusal of malformed files, idempotent re-ingestion, and the
 * treasurer's daily report agreeing with the ledger.
 */
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAdapter, createFakeAdapter } from '../../adapters/fake/index.js';
import type { Clock } from '../../src/clock.js';
import { SETTLEMENT_HEADER } from '../../src/recon/ingest.js';
import {
  ADMIN,
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
  snapshotCounts,
  waitForPayment,
} from '../helpers/app.js';

const DAY = '2026-11-28';
let now = new Date(`${DAY}T10:00:00+07:00`);
const clock: Clock = { now: () => now };
let t: TestApp;
let fake: FakeAdapter;
let kop: GivenKoperasi;
let member: GivenMember;
const PLN = { product: 'PLN_POSTPAID', customerNo: '530000000000' };
/** Water, not PLN: PLN is in its cut-off window around midnight WIB. */
const WATER = { product: 'PDAM_TIRTA_BENTENG', customerNo: '12340000' };

interface Paid {
  id: string;
  refId: string;
}

async function payWith(
  script: Parameters<FakeAdapter['onPay']>[1],
  settleTo: string[] = ['success', 'failed', 'suspect'],
  inquiry: Record<string, unknown> = PLN,
): Promise<Paid> {
  fake.onPay('*', script);
  const paid = await quoteAndPay(t, member, inquiry);
  await waitForPayment(t, member.token, paid.id, settleTo);
  const attempt = await t.deps.db.execute<{ ref_id: string }>(
    sql`SELECT ref_id FROM payment_attempts WHERE payment_id = ${paid.id}`,
  );
  return { id: paid.id, refId: attempt.rows[0]!.ref_id };
}

function csvRow(
  refId: string,
  status: string,
  options: { total?: number; price?: number; date?: string; time?: string } = {},
): string {
  const total = options.total ?? 102_500;
  const price = options.price ?? total - 500;
  const at = `${options.date ?? DAY}T${options.time ?? '10:00:01'}+07:00`;
  return [
    at,
    at,
    refId,
    `DF-${refId.slice(0, 6)}`,
    'pln',
    '530000000000',
    'BUDI',
    '202611',
    '',
    String(total - 2_500),
    '0',
    '2500',
    String(total),
    String(price),
    String(total - price),
    status,
    status === 'SUCCESS' ? '00' : '02',
    status === 'FAILED' ? '' : 'SN123',
    '',
  ].join(',');
}

function csvFile(rows: string[], trailer?: string): string {
  const totals = rows.reduce(
    (acc, row) => {
      const cells = row.split(',');
      return { total: acc.total + Number(cells[12]), price: acc.price + Number(cells[13]) };
    },
    { total: 0, price: 0 },
  );
  return `${SETTLEMENT_HEADER}\n${rows.join('\n')}\n${trailer ?? `TOTAL,${rows.length},${totals.total},${totals.price}`}\n`;
}

const upload = (body: string, date = DAY) =>
  t.app.inject({
    method: 'POST',
    url: `/v1/reconciliations/digiflazz/${date}`,
    headers: { ...ADMIN(t), 'content-type': 'text/csv' },
    payload: body,
  });

const statusOf = async (id: string) =>
  (await t.app.inject({ url: `/v1/payments/${id}`, headers: bearer(member.token) })).json().status;

beforeAll(async () => {
  fake = createFakeAdapter({ name: 'digiflazz' });
  t = await givenApp({
    adapters: [fake],
    clock,
    workers: true,
    env: { RECON_GRACE_HOURS: '12', POLL_INITIAL_MS: '600000' },
  });
  kop = await givenKoperasi(t);
  member = await givenMember(t, kop, { balance: 2_000_000n });
});

afterAll(async () => {
  await t?.close();
});

describe('a reconciled day', () => {
  const suspect = { kind: 'suspect', rc: 'TIMEOUT', message: 'timed out' } as const;
  const paidOk = {
    kind: 'success',
    upstreamRef: 'SN123',
    rc: '00',
    message: 'Sukses',
    price: 102_000n,
  } as const;
  let matched: Paid,
    lateSuccess: Paid,
    lateFailure: Paid,
    refunded: Paid,
    mismatched: Paid,
    absentOld: Paid,
    absentOk: Paid,
    absentNew: Paid;

  beforeAll(async () => {
    fake.onStatus('*', suspect);
    now = new Date(`${DAY}T08:00:00+07:00`);
    absentOld = await payWith(suspect, ['suspect']);
    now = new Date(`${DAY}T10:00:00+07:00`);
    matched = await payWith(paidOk);
    lateSuccess = await payWith(suspect, ['suspect']);
    lateFailure = await payWith(suspect, ['suspect']);
    refunded = await payWith(paidOk);
    mismatched = await payWith(paidOk);
    absentOk = await payWith(paidOk);
    now = new Date(`${DAY}T23:30:00+07:00`);
    absentNew = await payWith(suspect, ['suspect'], WATER);
    now = new Date('2026-11-29T06:30:00+07:00');
  });

  it('classifies every reference and resolves exactly what is safe, with an audit trail', async () => {
    const before = await balanceOf(t, member);
    const file = csvFile([
      csvRow(matched.refId, 'SUCCESS'),
      csvRow(lateSuccess.refId, 'SUCCESS'),
      csvRow(lateFailure.refId, 'FAILED'),
      csvRow(refunded.refId, 'REFUNDED', { time: '15:00:00' }),
      csvRow(mismatched.refId, 'SUCCESS', { price: 102_100 }),
      csvRow('PHANTOM000000000000000000000001', 'SUCCESS'),
    ]);
    const response = await upload(file);
    expect(response.statusCode).toBe(200);
    const { recon } = response.json();
    expect(recon.counts).toEqual({
      matched: 1,
      status_mismatch: 3,
      amount_mismatch: 1,
      missing_here: 1,
      missing_upstream: 3,
    });
    // absentOld: past the grace window the upstream is asked, says "pending", so a person decides.
    expect(recon.actions).toEqual({
      none: 1,
      auto_success: 1,
      auto_failed: 1,
      auto_refund: 1,
      needs_review: 4,
      waiting_grace: 1,
    });

    expect(await statusOf(lateSuccess.id)).toBe('success');
    expect(await statusOf(lateFailure.id)).toBe('failed');
    expect(await statusOf(refunded.id)).toBe('refunded');
    expect(await statusOf(absentOld.id)).toBe('suspect');
    expect(await statusOf(absentNew.id)).toBe('suspect');
    expect(await statusOf(mismatched.id)).toBe('success');
    // The void (lateFailure) frees its hold; the refund repays a posted payment; lateSuccess's hold is posted.
    const after = await balanceOf(t, member);
    expect(after.balance - before.balance).toBe(103_500 - 103_500);
    expect(after.available - before.available).toBe(2 * 103_500);
    const review = await t.deps.db.execute<{ review_reason: string | null }>(
      sql`SELECT review_reason FROM payments WHERE id = ${absentOld.id}`,
    );
    expect(review.rows[0]!.review_reason).toMatch(
      /not in the upstream settlement after the grace window; upstream status: TIMEOUT/,
    );

    const audit = await t.deps.db.execute<{ action: string; subject_id: string; reason: string }>(
      sql`SELECT action, subject_id, reason FROM audit_log WHERE action LIKE 'recon.%' ORDER BY id`,
    );
    expect(audit.rows.map((r) => [r.action, r.subject_id]).sort()).toEqual(
      [
        ['recon.auto_failed', lateFailure.id],
        ['recon.auto_refund', refunded.id],
        ['recon.auto_success', lateSuccess.id],
      ].sort(),
    );
    expect(await ledgerBreaches(t)).toEqual([]);

    const items = await t.app.inject({
      url: `/v1/reconciliations?date=${DAY}`,
      headers: bearer(kop.treasurerToken),
    });
    expect(items.json()).toMatchObject({
      reconciled: true,
      runs: [
        expect.objectContaining({ adapter: 'digiflazz', counts: expect.objectContaining({ matched: 1 }) }),
      ],
    });
    const notYet = await t.app.inject({
      url: '/v1/reconciliations?date=2026-11-20',
      headers: bearer(kop.treasurerToken),
    });
    expect(notYet.json()).toMatchObject({ reconciled: false, runs: [], items: [] });
    const classes = items
      .json()
      .items.map((i: { class: string; payment_id: string | null }) => [i.class, i.payment_id]);
    expect(classes).toContainEqual(['amount_mismatch', mismatched.id]);
    expect(classes).toContainEqual(['missing_upstream', absentOk.id]);
    expect(classes.some(([c]: [string]) => c === 'missing_here')).toBe(false); // a phantom is the operator's, not a koperasi's
  });

  it('fails a payment the settlement omits only once the upstream status says it never received it', async () => {
    fake.onStatus(absentOld.refId, { kind: 'not_found', rc: '50', message: 'Transaksi tidak ditemukan' });
    const before = await balanceOf(t, member);
    const again = await upload(csvFile([csvRow(matched.refId, 'SUCCESS')]));
    expect(again.statusCode).toBe(200);
    expect(await statusOf(absentOld.id)).toBe('failed');
    expect((await balanceOf(t, member)).available - before.available).toBe(103_500);
    expect(await ledgerBreaches(t)).toEqual([]);
  });

  it('ingests the same file twice as one and settles nothing twice', async () => {
    const file = csvFile([csvRow(matched.refId, 'SUCCESS'), csvRow(lateSuccess.refId, 'SUCCESS')]);
    const first = await upload(file);
    const postings = await snapshotCounts(t);
    const second = await upload(file);
    expect(second.json().file).toMatchObject({ duplicate: true, fileId: first.json().file.fileId });
    const after = await snapshotCounts(t);
    expect(after.journal_transactions).toBe(postings.journal_transactions);
    expect(await ledgerBreaches(t)).toEqual([]);
  });

  it.each([
    [
      'a wrong header',
      () => `ref,amount\n${csvRow('A1', 'SUCCESS')}\nTOTAL,1,102500,102000\n`,
      /wrong header/,
    ],
    ['a missing trailer', () => `${SETTLEMENT_HEADER}\n${csvRow('A1', 'SUCCESS')}\n`, /trailer is missing/],
    [
      'a trailer that does not add up',
      () => csvFile([csvRow('A1', 'SUCCESS')], 'TOTAL,1,999,102000'),
      /trailer total_amount/,
    ],
    [
      'a duplicate reference',
      () => csvFile([csvRow('A1', 'SUCCESS'), csvRow('A1', 'SUCCESS')]),
      /appears 2 times/,
    ],
    [
      'another date',
      () => csvFile([csvRow('A1', 'SUCCESS', { date: '2026-11-27' })]),
      /not on the settlement date/,
    ],
    [
      'a non-integer amount',
      () =>
        csvFile([csvRow('A1', 'SUCCESS').replace(',102500,', ',102500.5,')]).replace(
          /TOTAL.*/,
          'TOTAL,1,102500,102000',
        ),
      /whole number/,
    ],
    ['a bad status', () => csvFile([csvRow('A1', 'SUKSES')]), /status must be/],
    [
      'a row with too few columns',
      () => csvFile(['2026-11-28T10:00:00+07:00,x']).replace(/TOTAL.*/, 'TOTAL,1,0,0'),
      /unreadable row/,
    ],
    ['an empty body', () => '', /empty/],
  ])('refuses a file with %s, says which row and why, and changes nothing', async (_label, make, reason) => {
    const before = await snapshotCounts(t);
    const files = await t.deps.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM settlement_files`,
    );
    const response = await upload(make());
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('SETTLEMENT_INVALID');
    expect(JSON.stringify(response.json().problems)).toMatch(reason);
    expect(await snapshotCounts(t)).toEqual(before);
    const filesAfter = await t.deps.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM settlement_files`,
    );
    expect(filesAfter.rows[0]!.n).toBe(files.rows[0]!.n);
  });

  it('is for the platform admin only and refuses bad adapters and dates', async () => {
    const asTreasurer = await t.app.inject({
      method: 'POST',
      url: `/v1/reconciliations/digiflazz/${DAY}`,
      headers: { ...bearer(kop.treasurerToken), 'content-type': 'text/csv' },
      payload: 'x',
    });
    expect(asTreasurer.statusCode).toBe(403);
    expect((await upload(csvFile([]), '2026-13-01')).json().code).toBe('REPORT_DATE_INVALID');
    expect((await upload(csvFile([]), '2026-11-29')).json().code).toBe('REPORT_DATE_INVALID');
    const unknown = await t.app.inject({
      method: 'POST',
      url: `/v1/reconciliations/nope/${DAY}`,
      headers: { ...ADMIN(t), 'content-type': 'text/csv' },
      payload: 'x',
    });
    expect(unknown.json().code).toBe('ADAPTER_UNKNOWN');
  });
});

describe('the daily report', () => {
  it('puts 23:59:59 WIB and 00:00:00 WIB on different days and agrees with the ledger in every format', async () => {
    const other = await givenKoperasi(t);
    const m = await givenMember(t, other, { balance: 1_000_000n });
    fake.onPay('*', { kind: 'success', upstreamRef: 'SN1', rc: '00', message: 'Sukses', price: 102_000n });
    now = new Date('2026-11-26T23:59:59+07:00');
    const late = await quoteAndPay(t, m, WATER, { wait: 10 });
    now = new Date('2026-11-27T00:00:00+07:00');
    const early = await quoteAndPay(t, m, WATER, { wait: 10 });
    now = new Date('2026-11-29T07:00:00+07:00');
    expect([late.status, early.status]).toEqual(['success', 'success']);

    const csv = async (date: string) =>
      (
        await t.app.inject({
          url: `/v1/reports/daily?date=${date}&format=csv`,
          headers: bearer(other.treasurerToken),
        })
      ).body;
    const day26 = await csv('2026-11-26');
    const day27 = await csv('2026-11-27');
    expect(day26).toContain(late.id);
    expect(day26).not.toContain(early.id);
    expect(day27).toContain(early.id);
    expect(day27).toContain('2026-11-27 00:00:00');
    expect(day26).toContain('2026-11-26 23:59:59');
    expect(day27).toContain('****0000');
    expect(day27).not.toContain('12340000');

    const ledger = await t.deps.db.execute<{ code: string; net: string }>(sql`
      SELECT a.code, sum(CASE WHEN e.side = 'C' THEN e.amount ELSE -e.amount END)::text AS net
      FROM entries e JOIN accounts a ON a.id = e.account_id JOIN books b ON b.id = a.book_id JOIN journal_transactions j ON j.id = e.tx_id
      WHERE b.koperasi_id = ${other.id} AND j.created_at >= '2026-11-27T00:00:00+07:00' AND j.created_at < '2026-11-28T00:00:00+07:00'
        AND a.code IN ('fee_income', 'commission_income', 'payable_gateway') GROUP BY a.code`);
    const figures = Object.fromEntries(ledger.rows.map((r) => [r.code, r.net]));
    expect(figures).toEqual({ fee_income: '1000', commission_income: '500', payable_gateway: '102000' });
    expect(day27).toMatch(/^fee_income,,,,1000\r?$/m);
    expect(day27).toMatch(/^commission_income,,,,500\r?$/m);
    expect(day27).toMatch(/^payable_to_gateway,,,,102000\r?$/m);

    const xlsx = await t.app.inject({
      url: '/v1/reports/daily?date=2026-11-27&format=xlsx',
      headers: bearer(other.treasurerToken),
    });
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const values: unknown[] = [];
    workbook.eachSheet((sheet) => sheet.eachRow((row) => values.push(...(row.values as unknown[]))));
    expect(values).toContain(early.id);
    expect(values).toContain(1_000);
    expect(values).toContain(102_000);
    const pdf = await t.app.inject({
      url: '/v1/reports/daily?date=2026-11-27&format=pdf',
      headers: bearer(other.treasurerToken),
    });
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('refuses bad dates and formats and other roles', async () => {
    expect(
      (
        await t.app.inject({
          url: '/v1/reports/daily?date=2026-02-30&format=csv',
          headers: bearer(kop.treasurerToken),
        })
      ).json().code,
    ).toBe('REPORT_DATE_INVALID');
    expect(
      (
        await t.app.inject({
          url: '/v1/reports/daily?date=2026-11-27&format=doc',
          headers: bearer(kop.treasurerToken),
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await t.app.inject({
          url: '/v1/reports/daily?date=2026-11-27&format=csv',
          headers: bearer(member.token),
        })
      ).statusCode,
    ).toBe(403);
  });
});

describe('settlement CSV framing', () => {
  const DAY_OF_FRAMING = '2026-11-21';
  const quotedRow = (refId: string) => {
    const at = `${DAY_OF_FRAMING}T10:00:01+07:00`;
    // A customer name with a comma, escaped quotes and a line break inside one quoted field.
    return [
      at,
      at,
      refId,
      'DF-1',
      'pln',
      '530000000000',
      '"BUDI, ""PAK""\nRT 01"',
      '202611',
      '',
      '100000',
      '0',
      '2500',
      '102500',
      '102000',
      '500',
      'SUCCESS',
      '00',
      'SN123',
      '',
    ].join(',');
  };

  it('reads quoted fields with commas, quotes and line breaks, CRLF line ends and a byte-order mark', async () => {
    const refId = 'FRAMING00000000000000000000000001';
    const body = `\uFEFF${SETTLEMENT_HEADER}\r\n${quotedRow(refId)}\r\nTOTAL,1,102500,102000\r\n`;
    const response = await upload(body, DAY_OF_FRAMING);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().recon.counts).toEqual({ missing_here: 1 });
    const stored = await t.deps.db.execute<{ line_no: number; total_amount: string; sn_or_token: string }>(
      sql`SELECT line_no, total_amount::text, sn_or_token FROM settlement_rows WHERE ref_id = ${refId}`,
    );
    // Every column after the quoted one lands where it belongs; the row starts on the file's line 2.
    expect(stored.rows[0]).toEqual({ line_no: 2, total_amount: '102500', sn_or_token: 'SN123' });
  });

  it('refuses a file whose quote is never closed, naming the line, and stores nothing', async () => {
    const body = `${SETTLEMENT_HEADER}\n${quotedRow('FRAMING00000000000000000000000002').replace('RT 01"', 'RT 01')}\nTOTAL,1,102500,102000\n`;
    const response = await upload(body, '2026-11-22');
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ code: 'SETTLEMENT_INVALID' });
    const files = await t.deps.db.execute(
      sql`SELECT 1 FROM settlement_files WHERE settlement_date = '2026-11-22'`,
    );
    expect(files.rows).toHaveLength(0);
  });
});
