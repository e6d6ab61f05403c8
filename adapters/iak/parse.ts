/**
 * IAK answers → port values (bills, tokens, outcomes).
 *
 * Vendor docs: https://api.iak.id/api/postpaid/core/products/pln/inquiry (desc.bill.detail[]),
 * https://api.iak.id/api/postpaid/core/products/pdam/inquiry (one entry per period or one unified entry),
 * https://api.iak.id/api/postpaid/core/products/bpjs-kesehatan/inquiry (no detail: top-level period/nominal/admin).
 */
import type { Bill, BillPeriod, PayOutcome, Rupiah, StatusOutcome } from '../../src/billers/port.js';
import type { PayVerdict } from './codes.js';
import {
  decode,
  envelope,
  period as periodSchema,
  plnInquiryData,
  postpaidInquiryData,
  type Decoded,
  type PlnInquiryData,
  type PostpaidInquiryData,
} from './wire.js';

const plnInquiryAnswer = envelope(plnInquiryData);
const postpaidInquiryAnswer = envelope(postpaidInquiryData);

export type BillParse = { ok: true; bill: Bill } | { ok: false; problem: string };

/** The parts of an inquiry answer (inq-pasca or inquiry-pln) that decide the outcome. */
export interface InquiryView {
  code: string;
  message: string;
  /** Echoed ref_id (inq-pasca only). */
  refId: string | undefined;
  /** Only meaningful once the rc said "bill". */
  bill: () => BillParse;
}

export function readInquiry(body: string, denomination: Rupiah | undefined): Decoded<InquiryView> {
  if (denomination !== undefined) {
    const decoded = decode(plnInquiryAnswer, body);
    if (!decoded.ok) return decoded;
    const data = decoded.value.data;
    const view = { code: data.code, message: data.message ?? '', refId: undefined };
    return { ok: true, value: { ...view, bill: () => tokenBill(data, denomination) } };
  }
  const decoded = decode(postpaidInquiryAnswer, body);
  if (!decoded.ok) return decoded;
  const data = decoded.value.data;
  const view = { code: data.code, message: data.message ?? '', refId: data.ref_id ?? undefined };
  return { ok: true, value: { ...view, bill: () => postpaidBill(data) } };
}

/**
 * Postpaid: one BillPeriod per `desc.bill.detail[]` entry (sums give bill, denda, admin). Products that answer
 * without detail (BPJS) are one period from the top-level `period`, `nominal` and `admin`.
 * `Bill.price` is IAK's `selling_price`: what our deposit pays.
 */
export function postpaidBill(data: PostpaidInquiryData): BillParse {
  if (data.tr_id == null) return { ok: false, problem: 'bill has no tr_id to pay it with' };
  if (data.selling_price == null) return { ok: false, problem: 'bill has no selling_price' };
  const detail = data.desc?.bill?.detail ?? [];
  let periods: BillPeriod[];
  if (detail.length > 0) {
    periods = detail.map((entry) => ({
      period: entry.period,
      amount: entry.nominal,
      penalty: entry.denda ?? 0n,
      admin: entry.admin ?? 0n,
    }));
  } else {
    const single = periodSchema.safeParse(data.period);
    if (!single.success || data.nominal == null) return { ok: false, problem: 'bill has no periods' };
    periods = [{ period: single.data, amount: data.nominal, penalty: 0n, admin: data.admin ?? 0n }];
  }
  const details = scalarDetails(data.desc ?? {}, 'bill');
  const first = detail[0];
  const last = detail[detail.length - 1];
  if (first?.meter_awal != null && last?.meter_akhir != null) {
    details.meter = `${first.meter_awal}-${last.meter_akhir}`;
  }
  return {
    ok: true,
    bill: {
      customerName: data.tr_name ?? '',
      periods,
      billAmount: sum(periods.map((p) => p.amount)),
      penalty: sum(periods.map((p) => p.penalty)),
      adminFee: sum(periods.map((p) => p.admin)),
      price: data.selling_price,
      upstreamHandle: data.tr_id,
      details,
    },
  };
}

/** PLN token: inquiry-pln gives the name and tariff; with product_code (ext) also admin and selling_price. */
export function tokenBill(data: PlnInquiryData, denomination: Rupiah): BillParse {
  if (data.selling_price == null || data.admin == null) {
    return { ok: false, problem: 'meter check has no admin/selling_price for the product' };
  }
  const details: Record<string, string> = {};
  if (data.meter_no != null) details.meter_no = data.meter_no;
  if (data.subscriber_id != null) details.subscriber_id = data.subscriber_id;
  if (data.segment_power != null) {
    details.segment_power = data.segment_power;
    // "R1 /000001300" → tarif R1, daya 1300 (VA).
    const [tarif, daya] = data.segment_power.split('/').map((part) => part.trim());
    if (tarif) details.tarif = tarif;
    if (daya && /^\d+$/.test(daya)) details.daya = String(Number(daya));
  }
  return {
    ok: true,
    bill: {
      customerName: data.name ?? '',
      periods: [],
      billAmount: denomination,
      penalty: 0n,
      adminFee: data.admin,
      price: data.selling_price,
      details,
    },
  };
}

/** What an answer says about a transaction, independent of its dialect (postpaid or prepaid). */
export interface TransactionFacts {
  code: string;
  message: string;
  upstreamRef: string;
  token?: string | undefined;
  /** What our deposit paid (`selling_price`), when the answer says. */
  price?: Rupiah | null | undefined;
}

export function transactionOutcome(facts: TransactionFacts, verdict: PayVerdict): StatusOutcome {
  const { code: rc, message } = facts;
  switch (verdict.kind) {
    case 'success': {
      const outcome: Extract<PayOutcome, { kind: 'success' }> = {
        kind: 'success',
        upstreamRef: facts.upstreamRef,
        rc,
        message,
      };
      if (facts.token !== undefined) outcome.token = facts.token;
      if (facts.price != null) outcome.price = facts.price;
      return outcome;
    }
    case 'failed':
      return { kind: 'failed', rc, message, transactionCreated: verdict.transactionCreated };
    default:
      return { kind: verdict.kind, rc, message };
  }
}

/** The pay column never yields not_found; should it ever, "not found" after a pay proves nothing: suspect. */
export function asPayOutcome(outcome: StatusOutcome): PayOutcome {
  return outcome.kind === 'not_found'
    ? { kind: 'suspect', rc: outcome.rc, message: outcome.message }
    : outcome;
}

/** Prepaid `sn` is `TOKEN/NAME/TARIF/DAYA/KWH`; TOKEN has 20 digits, with or without dashes. */
export function tokenFromSerial(sn: string | null | undefined): string | undefined {
  const digits = sn?.split('/')[0]?.replace(/[\s-]/g, '') ?? '';
  if (!/^\d{20}$/.test(digits)) return undefined;
  return digits.match(/\d{4}/g)?.join('-');
}

/** 'YYYY-MM-DD' (a real calendar date) → 'YYYYMMDD'. */
export function compactDate(date: string): string {
  const parsed = new Date(`${date}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
    Number.isNaN(parsed.getTime()) ||
    parsed.toISOString().slice(0, 10) !== date
  ) {
    throw new Error(`settlement date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
  }
  return date.replaceAll('-', '');
}

/** Scalar entries of `desc` (tarif, daya, lembar_tagihan, jumlah_peserta, nama_cabang…) as strings. */
function scalarDetails(desc: Record<string, unknown>, skip: string): Record<string, string> {
  const details: Record<string, string> = {};
  for (const [key, value] of Object.entries(desc)) {
    if (key === skip) continue;
    if (typeof value === 'string' || typeof value === 'number') details[key] = String(value);
  }
  return details;
}

function sum(values: Rupiah[]): Rupiah {
  return values.reduce((total, value) => total + value, 0n);
}
