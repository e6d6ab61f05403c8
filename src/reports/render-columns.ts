/**
 * The transaction table's columns, in order, once for all three formats: the CSV header key, the
 * Indonesian label the XLSX and PDF show, and how to read the cell from a row. One list keeps the
 * formats from drifting apart.
 */
import type { Rupiah } from '../money.js';
import type { ReportRow } from './types.js';

export type ColumnKey =
  | 'payment_id'
  | 'time_wib'
  | 'member_no'
  | 'member_name'
  | 'product'
  | 'customer_no'
  | 'bill_amount'
  | 'penalty'
  | 'admin_fee'
  | 'koperasi_fee'
  | 'total'
  | 'upstream_ref'
  | 'status'
  | 'recon_result';

interface ColumnBase<K extends string, V> {
  key: ColumnKey;
  label: string;
  kind: K;
  get: (row: ReportRow) => V;
}

/** `status` and `recon` hold raw values; XLSX and PDF translate them with labels.ts, the CSV does not. */
export type ReportColumn =
  ColumnBase<'text' | 'time' | 'status' | 'recon', string> | ColumnBase<'amount', Rupiah>;

export const COLUMNS: readonly ReportColumn[] = [
  { key: 'payment_id', label: 'ID Pembayaran', kind: 'text', get: (r) => r.paymentId },
  { key: 'time_wib', label: 'Waktu (WIB)', kind: 'time', get: (r) => r.timeWib },
  { key: 'member_no', label: 'No. Anggota', kind: 'text', get: (r) => r.memberNo },
  { key: 'member_name', label: 'Nama Anggota', kind: 'text', get: (r) => r.memberName },
  { key: 'product', label: 'Produk', kind: 'text', get: (r) => r.product },
  { key: 'customer_no', label: 'No. Pelanggan', kind: 'text', get: (r) => r.customerNo },
  { key: 'bill_amount', label: 'Tagihan', kind: 'amount', get: (r) => r.billAmount },
  { key: 'penalty', label: 'Denda', kind: 'amount', get: (r) => r.penalty },
  { key: 'admin_fee', label: 'Admin', kind: 'amount', get: (r) => r.adminFee },
  { key: 'koperasi_fee', label: 'Biaya Koperasi', kind: 'amount', get: (r) => r.koperasiFee },
  { key: 'total', label: 'Total', kind: 'amount', get: (r) => r.total },
  { key: 'upstream_ref', label: 'Ref. Penyedia', kind: 'text', get: (r) => r.upstreamRef },
  { key: 'status', label: 'Status', kind: 'status', get: (r) => r.status },
  { key: 'recon_result', label: 'Hasil Rekonsiliasi', kind: 'recon', get: (r) => r.reconResult },
];
