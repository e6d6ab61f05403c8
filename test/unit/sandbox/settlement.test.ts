import { Writable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SETTLEMENT_COLUMNS,
  renderSettlementCsv,
  writeSyntheticSettlement,
} from '../../../adapters/sandbox/index.js';
import { eventually, givenSandbox, settlementPath, sign, type Running } from './helpers.js';

let s: Running | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const HEADER = SETTLEMENT_COLUMNS.join(',');
const D = new Date('2026-11-28T10:00:00+07:00');
const at = (iso: string) => new Date(iso);

interface Parsed {
  header: string;
  rows: Array<Record<string, string>>;
  trailer: string[];
}

/** The files here hold no quoted fields, so a split is enough. */
function parse(csv: string): Parsed {
  const lines = csv.trimEnd().split('\n');
  const header = lines[0] ?? '';
  const rows = lines.slice(1, -1).map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(SETTLEMENT_COLUMNS.map((column, i) => [column, cells[i] ?? '']));
  });
  return { header, rows, trailer: (lines.at(-1) ?? '').split(',') };
}

async function fetchFile(dialect: 'digiflazz' | 'iak', compact: string) {
  const response = await fetch(`${s!.base}${settlementPath(dialect, compact)}`);
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

describe('settlement file', () => {
  it('lists the WIB day’s final transactions with a TOTAL trailer, and a refund on the refund’s day', async () => {
    s = await givenSandbox({ refundMs: 150, resetRate: 0 }, D);
    const pay = async (suffix: string, refId: string) => {
      await s!.dgf.inquiry('pln', `53000000${suffix}`, refId);
      return s!.dgf.pay('pln', `53000000${suffix}`, refId);
    };
    const ok = await pay('0002', 'SET1');
    await pay('1037', 'SET2');
    await pay('1042', 'SET3');
    await pay('1105', 'SET4');
    await s.dgf.inquiry('pln', '530000000000', 'SET5'); // inquired only: never in a file
    await pay('1039', 'SET6');
    await eventually(() => s!.sandbox.stats().digiflazz.byState.pending === 0);
    const token = await s.dgf.topUp('pln20', '12345671074', 'SET7');
    s.sandbox.setClock(at('2026-11-29T09:00:00+07:00'));
    await eventually(() => s!.sandbox.stats().digiflazz.byState.refunded === 1);

    s.sandbox.setClock(at('2026-11-29T03:59:59+07:00'));
    expect((await fetchFile('digiflazz', '20261128')).status).toBe(404);

    s.sandbox.setClock(at('2026-11-29T04:00:00+07:00'));
    const file = await fetchFile('digiflazz', '20261128');
    expect(file.status).toBe(200);
    expect(file.type).toMatch(/^text\/csv/);
    const { header, rows, trailer } = parse(file.body);
    expect(header).toBe(HEADER);
    expect(rows.map((r) => [r.ref_id, r.status, r.rc])).toEqual([
      ['SET1', 'SUCCESS', '00'],
      ['SET2', 'FAILED', '02'],
      ['SET4', 'SUCCESS', '00'],
      ['SET6', 'SUCCESS', '00'],
      ['SET7', 'SUCCESS', '00'],
    ]);
    const first = rows[0]!;
    expect(first).toMatchObject({
      product_code: 'pln',
      customer_no: '530000000002',
      customer_name: ok.data.customer_name,
      periods: '202610;202611',
      months: '',
      total_amount: String(ok.data.selling_price),
      price: String(ok.data.price),
      commission: '1000',
      sn_or_token: ok.data.sn,
      trx_time: '2026-11-28T10:00:00+07:00',
    });
    expect(Number(first.bill_amount) + Number(first.penalty) + Number(first.admin_fee)).toBe(
      Number(first.total_amount),
    );
    expect(rows[4]!.sn_or_token).toBe(token.data.sn.split('/')[0]);
    const sum = (column: string) => rows.reduce((total, r) => total + Number(r[column]), 0);
    expect(trailer).toEqual(['TOTAL', '5', String(sum('total_amount')), String(sum('price'))]);

    s.sandbox.setClock(at('2026-11-30T04:00:00+07:00'));
    const next = parse((await fetchFile('digiflazz', '20261129')).body);
    expect(next.rows.map((r) => [r.ref_id, r.status, r.rc, r.final_time])).toEqual([
      ['SET7', 'REFUNDED', '74', '2026-11-29T09:00:00+07:00'],
    ]);
    expect(next.trailer[1]).toBe('1');
  });

  it('shows a success refunded the same day once, as REFUNDED', async () => {
    s = await givenSandbox({ refundMs: 20 }, D);
    await s.iak.topUp('hpln20000', '12345671074', 'SET8');
    await eventually(() => s!.sandbox.stats().iak.byState.refunded === 1);
    s.sandbox.setClock(at('2026-11-29T05:00:00+07:00'));
    const { rows } = parse((await fetchFile('iak', '20261128')).body);
    expect(rows.map((r) => [r.ref_id, r.status, r.product_code])).toEqual([
      ['SET8', 'REFUNDED', 'hpln20000'],
    ]);
  });

  it('adds phantomRowsPerDay SUCCESS rows with ref_ids nobody sent, the same on every fetch', async () => {
    s = await givenSandbox({ phantomRowsPerDay: 3 }, D);
    await s.iak.inquireAndPay('BPJS', '8888801234560000', 'SET9');
    s.sandbox.setClock(at('2026-11-29T04:00:00+07:00'));
    const body = (await fetchFile('iak', '20261128')).body;
    const { rows, trailer } = parse(body);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ ref_id: 'SET9', months: '1', status: 'SUCCESS' });
    const phantoms = rows.slice(1);
    expect(phantoms.every((r) => /^PHANTOM20261128\d{6}$/.test(r.ref_id!) && r.status === 'SUCCESS')).toBe(
      true,
    );
    expect(phantoms.every((r) => r.trx_time!.startsWith('2026-11-28T'))).toBe(true);
    expect(trailer[1]).toBe('4');
    expect((await fetchFile('iak', '20261128')).body).toBe(body);
  });

  it('is an empty file with a zero trailer for a quiet day', async () => {
    s = await givenSandbox({}, at('2026-12-01T04:00:00+07:00'));
    expect((await fetchFile('digiflazz', '20261130')).body).toBe(`${HEADER}\nTOTAL,0,0,0\n`);
  });

  it('refuses a wrong sign with HTTP 401 and a malformed date with HTTP 400', async () => {
    s = await givenSandbox({}, at('2026-12-01T04:00:00+07:00'));
    expect((await s.get(settlementPath('digiflazz', '20261130', sign('settlement20261129')))).status).toBe(
      401,
    );
    expect((await s.get(settlementPath('iak', '20261131'))).status).toBe(400);
  });
});

describe('settlement rendering helpers', () => {
  it('writes a synthetic file with the canonical header, rows and trailer', async () => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    const totals = await writeSyntheticSettlement(sink, {
      date: '2026-11-28',
      rows: 1_000,
      refIdFor: (i) => `BENCH${i}`,
      rowFor: (i) => (i === 7 ? { status: 'FAILED', rc: '02' } : {}),
    });
    const { header, rows, trailer } = parse(Buffer.concat(chunks).toString('utf8'));
    expect(header).toBe(HEADER);
    expect(rows).toHaveLength(1_000);
    expect(rows[7]).toMatchObject({ ref_id: 'BENCH7', status: 'FAILED' });
    expect(rows.every((r) => r.trx_time!.startsWith('2026-11-28T'))).toBe(true);
    expect(trailer).toEqual(['TOTAL', '1000', String(totals.totalAmount), String(totals.price)]);
  });

  it('renders the same bytes with csv-stringify as the synthetic writer, quoting only when needed', async () => {
    const row = {
      trxTime: D,
      finalTime: D,
      refId: 'Q1',
      billerTrxId: 'X',
      productCode: 'pln',
      customerNo: '530000000000',
      customerName: 'BUDI, "SANTOSO"',
      periods: ['202611'],
      months: undefined,
      billAmount: 100_000n,
      penalty: 0n,
      adminFee: 2_500n,
      commission: 500n,
      status: 'SUCCESS' as const,
      rc: '00',
      snOrToken: '1',
      noref: '2',
    };
    const rendered = await text(renderSettlementCsv([row]));
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    await writeSyntheticSettlement(sink, { date: '2026-11-28', rows: 1, rowFor: () => row });
    expect(Buffer.concat(chunks).toString('utf8')).toBe(rendered);
    expect(rendered).toContain('"BUDI, ""SANTOSO"""');
    expect(rendered.endsWith('TOTAL,1,102500,102000\n')).toBe(true);
  });
});
