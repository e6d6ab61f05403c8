/**
 * Digiflazz answers → port values (bills, tokens).
 *
 * Vendor docs: https://developer.digiflazz.com/api/buyer/cek-tagihan/ (desc.detail[] per period),
 * https://developer.digiflazz.com/api/buyer/topup/ (prepaid sn), flazzsignal.digiswitch.id/h2h/1.0/api/bayar-tagihan.
 */
import type { Bill, BillPeriod, PayOutcome, Rupiah, StatusOutcome } from '../../src/billers/port.js';
import type { PayVerdict } from './codes.js';
import {
  decode,
  inquiryAnswer,
  meterCheckAnswer,
  type Decoded,
  type InquiryData,
  type MeterCheckData,
  type TransactionData,
} from './wire.js';

/** Why an rc-00 answer could still not be turned into a bill. */
export type BillParse = { ok: true; bill: Bill } | { ok: false; problem: string };

/** The parts of an inquiry answer (inq-pasca or pln-subscribe) that decide the outcome. */
export interface InquiryView {
  rc: string;
  status: string | undefined;
  message: string;
  /** Echoed ref_id (inq-pasca only). */
  refId: string | undefined;
  /** Only meaningful once the rc said "bill". */
  bill: () => BillParse;
}

export function readInquiry(body: string, denomination: Rupiah | undefined): Decoded<InquiryView> {
  if (denomination !== undefined) {
    const decoded = decode(meterCheckAnswer, body);
    if (!decoded.ok) return decoded;
    const data = decoded.value.data;
    const view = {
      rc: data.rc,
      status: data.status ?? undefined,
      message: data.message ?? '',
      refId: undefined,
    };
    return { ok: true, value: { ...view, bill: () => tokenBill(data, denomination) } };
  }
  const decoded = decode(inquiryAnswer, body);
  if (!decoded.ok) return decoded;
  const data = decoded.value.data;
  const view = {
    rc: data.rc,
    status: data.status ?? undefined,
    message: data.message ?? '',
    refId: data.ref_id ?? undefined,
  };
  return { ok: true, value: { ...view, bill: () => postpaidBill(data) } };
}

/** Postpaid: one BillPeriod per `desc.detail[]` entry; bill, denda and admin are the sums of the periods. */
export function postpaidBill(data: InquiryData): BillParse {
  const detail = data.desc?.detail ?? [];
  if (detail.length === 0) return { ok: false, problem: 'bill has no desc.detail periods' };
  if (data.price == null) return { ok: false, problem: 'bill has no price' };

  const periods: BillPeriod[] = detail.map((entry) => ({
    period: entry.periode,
    amount: entry.nilai_tagihan,
    penalty: entry.denda ?? 0n,
    admin: entry.admin ?? 0n,
  }));
  const details = scalarDetails(data.desc ?? {});
  const first = detail[0];
  const last = detail[detail.length - 1];
  if (first?.meter_awal != null && last?.meter_akhir != null) {
    details.meter = `${first.meter_awal}-${last.meter_akhir}`;
  }
  return {
    ok: true,
    bill: {
      customerName: data.customer_name ?? '',
      periods,
      billAmount: sum(periods.map((p) => p.amount)),
      penalty: sum(periods.map((p) => p.penalty)),
      adminFee: sum(periods.map((p) => p.admin)),
      price: data.price,
      details,
    },
  };
}

/** PLN token: the meter check gives the name and tariff, the (ext) price fields give admin and price. */
export function tokenBill(data: MeterCheckData, denomination: Rupiah): BillParse {
  if (data.price == null || data.admin == null) {
    return { ok: false, problem: 'meter check has no admin/price for the denomination' };
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
      price: data.price,
      details,
    },
  };
}

/** Scalar entries of `desc` (tarif, daya, lembar_tagihan, jumlah_peserta, nama_cabang…) as strings. */
function scalarDetails(desc: Record<string, unknown>): Record<string, string> {
  const details: Record<string, string> = {};
  for (const [key, value] of Object.entries(desc)) {
    if (key === 'detail') continue;
    if (typeof value === 'string' || typeof value === 'number') details[key] = String(value);
  }
  return details;
}

/** Prepaid `sn` is `TOKEN/NAME/TARIF/DAYA/KWH`; TOKEN has 20 digits, with or without dashes. */
export function tokenFromSerial(sn: string | null | undefined): string | undefined {
  const digits = sn?.split('/')[0]?.replace(/[\s-]/g, '') ?? '';
  if (!/^\d{20}$/.test(digits)) return undefined;
  return digits.match(/\d{4}/g)?.join('-');
}

/** Builds the outcome of a pay/status answer or webhook from its verdict. */
export function transactionOutcome(
  data: TransactionData,
  verdict: PayVerdict,
  prepaid: boolean,
): StatusOutcome {
  const rc = data.rc;
  const message = data.message ?? '';
  switch (verdict.kind) {
    case 'success': {
      const outcome: Extract<PayOutcome, { kind: 'success' }> = {
        kind: 'success',
        upstreamRef: data.sn ?? '',
        rc,
        message,
      };
      const token = prepaid ? tokenFromSerial(data.sn) : undefined;
      if (token !== undefined) outcome.token = token;
      if (data.price != null) outcome.price = data.price;
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

function sum(values: Rupiah[]): Rupiah {
  return values.reduce((total, value) => total + value, 0n);
}
