/**
 * The operator's settlement uploads for the day before midnight: the sandbox's canonical CSV of that day (its
 * control route, so the 04:00 D+1 rule does not wait us out), edited into the planned shape, with the trailer
 * recomputed so the file stays valid, then POSTed to `/v1/reconciliations/{adapter}/{date}`.
 *
 *   complete   as the upstream rendered it
 *   partial    a third of the rows dropped (a half-exported file)
 *   phantom    extra SUCCESS rows for refs nobody sent
 *   drift      one SUCCESS row at another total or price (preferably a payment whose answer was lost)
 *   late       the complete file again, during the drain, after the runs that used the earlier files
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { createRandom, type Random } from '../../adapters/sandbox/prng.js';
import { SETTLEMENT_COLUMNS } from '../../adapters/sandbox/index.js';
import { callRetrying, newRetryStats } from './http.js';
import type { PlannedUpload } from './plan.js';
import { ADMIN_TOKEN } from './settings.js';
import type { Stack } from './stack.js';

type Row = Record<(typeof SETTLEMENT_COLUMNS)[number], string>;

/** Suffixes whose answers are lost or late: their payments are the likeliest to be open when the file comes. */
const DRIFT_PREFERRED = ['1105', '1099', '1039'];

function edit(rows: Row[], upload: PlannedUpload, random: Random, date: string): Row[] {
  switch (upload.shape) {
    case 'partial': {
      if (rows.length === 0) return rows;
      const drop = Math.max(1, Math.floor(rows.length / 3));
      const out = [...rows];
      for (let i = 0; i < drop; i++) out.splice(random.int(0, out.length - 1), 1);
      return out;
    }
    case 'phantom': {
      const count = random.int(1, 3);
      const phantoms = Array.from({ length: count }, (_, i): Row => {
        const template: Row = rows.length > 0 ? random.pick(rows) : emptyTemplate(upload.dialect, date);
        return {
          ...template,
          ref_id: `PHANTOM${upload.salt}X${i}`,
          biller_trx_id: `PH${upload.salt}${i}`,
          status: 'SUCCESS',
          rc: '00',
        };
      });
      return [...rows, ...phantoms];
    }
    case 'drift': {
      const successes = rows.filter((r) => r.status === 'SUCCESS');
      if (successes.length === 0) return rows;
      const preferred = successes.filter((r) => DRIFT_PREFERRED.includes(r.customer_no.slice(-4)));
      const target = random.pick(preferred.length > 0 ? preferred : successes);
      const delta = random.int(1, 4) * 500;
      const drifted: Row = random.chance(0.5)
        ? // The total moved (a higher admin), and the price with it.
          {
            ...target,
            admin_fee: plus(target.admin_fee, delta),
            total_amount: plus(target.total_amount, delta),
            price: plus(target.price, delta),
          }
        : // Only the price moved (a bigger commission).
          { ...target, commission: plus(target.commission, delta), price: plus(target.price, -delta) };
      return rows.map((r) => (r === target ? drifted : r));
    }
    default:
      return rows;
  }
}

const plus = (value: string, delta: number) => String(Math.max(0, Number(value) + delta));

function emptyTemplate(dialect: string, date: string): Row {
  const time = `${date}T12:00:00+07:00`;
  return {
    trx_time: time,
    final_time: time,
    ref_id: '',
    biller_trx_id: '',
    product_code: dialect === 'digiflazz' ? 'pln' : 'PLNPOSTPAID',
    customer_no: '530000000000',
    customer_name: 'PHANTOM',
    periods: date.slice(0, 7).replace('-', ''),
    months: '',
    bill_amount: '100000',
    penalty: '0',
    admin_fee: '2500',
    total_amount: '102500',
    price: '102000',
    commission: '500',
    status: 'SUCCESS',
    rc: '00',
    sn_or_token: '0000000000000000',
    noref: '0000000000000000',
  };
}

export function renderCsv(rows: Row[]): string {
  const body = stringify(rows, { header: true, columns: [...SETTLEMENT_COLUMNS] });
  const total = rows.reduce((s, r) => s + Number(r.total_amount), 0);
  const price = rows.reduce((s, r) => s + Number(r.price), 0);
  return `${body}TOTAL,${rows.length},${total},${price}\n`;
}

export function parseCsv(text: string): Row[] {
  const lines = text.trimEnd().split('\n');
  if (!lines.at(-1)?.startsWith('TOTAL,')) throw new Error('settlement file without a TOTAL trailer');
  return parse<Row>(lines.slice(0, -1).join('\n'), { columns: true, skip_empty_lines: true });
}

export interface UploadResult {
  shape: PlannedUpload['shape'];
  dialect: string;
  rows: number;
  status: number | undefined;
  summary: unknown;
}

export async function uploadSettlement(
  stack: Stack,
  upload: PlannedUpload,
  seed: number,
): Promise<UploadResult> {
  const date = stack.clock.previousDay;
  const canonical = await fetch(`${stack.sandboxUrl}/_sandbox/settlement/${upload.dialect}/${date}`, {
    signal: AbortSignal.timeout(30_000),
  });
  if (!canonical.ok)
    throw new Error(`sandbox settlement ${upload.dialect} ${date}: HTTP ${canonical.status}`);
  const rows = edit(parseCsv(await canonical.text()), upload, createRandom(seed ^ upload.salt), date);
  const answer = await callRetrying(
    stack.api,
    `/v1/reconciliations/${upload.dialect}/${date}`,
    { token: ADMIN_TOKEN, csv: renderCsv(rows), timeoutMs: 60_000 },
    newRetryStats(),
    90_000,
  );
  return {
    shape: upload.shape,
    dialect: upload.dialect,
    rows: rows.length,
    status: answer?.status,
    summary: answer?.body,
  };
}
