/** How amounts, times and statuses read in Bahasa Indonesia. Amounts are integer rupiah. */
import type { ActorType, PaymentStatus, ProductCategory } from './types';

import { PAYMENT_STATUS_LABELS } from '../../src/glossary';

/** 1234567 → "Rp 1.234.567" (the formatter the struk and the reports use too). */
export { formatRupiah as rupiah } from '../../src/money';

const number = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 });

/** "1.234.567" or "Rp 1.234.567" typed by a person → 1234567; undefined when it is not a whole number. */
export function parseRupiah(text: string): number | undefined {
  const digits = text.replace(/^\s*Rp\.?\s*/i, '').replace(/[.\s]/g, '');
  if (!/^\d{1,13}$/.test(digits)) return undefined;
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : undefined;
}

const WIB = 'Asia/Jakarta';
const dateTime = new Intl.DateTimeFormat('id-ID', {
  timeZone: WIB,
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const timeOnly = new Intl.DateTimeFormat('id-ID', { timeZone: WIB, hour: '2-digit', minute: '2-digit' });
const dayOnly = new Intl.DateTimeFormat('id-ID', {
  timeZone: WIB,
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});
const isoDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: WIB,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** "29 Nov 2026, 11.12 WIB". */
export const wibDateTime = (iso: string): string => `${dateTime.format(new Date(iso))} WIB`;
/** "11.12 WIB". */
export const wibTime = (iso: string): string => `${timeOnly.format(new Date(iso))} WIB`;
/** "23.00" (WIB, 24-hour, Indonesian dot). */
export const wibClock = (iso: string): string => timeOnly.format(new Date(iso));
/** "29 Nov 2026" (WIB) of an instant. */
export const wibDate = (iso: string): string => dayOnly.format(new Date(iso));
/** Today's WIB calendar date, YYYY-MM-DD. */
export const todayWib = (now = new Date()): string => isoDate.format(now);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];
/** Bill period "202611" → "Nov 2026"; anything else as given. */
export { formatPeriode as period } from '../../src/bulan';

/** The same words as the struk and the reports (src/glossary.ts). */
export const STATUS_LABELS: Record<PaymentStatus, string> = PAYMENT_STATUS_LABELS;

export const statusLabel = (status: string): string => STATUS_LABELS[status as PaymentStatus] ?? status;
export const isFinal = (status: PaymentStatus): boolean =>
  status === 'success' || status === 'failed' || status === 'refunded';

/** Short product names for lists, when the catalog has not loaded. */
export const PRODUCT_NAMES: Record<string, string> = {
  PLN_POSTPAID: 'PLN Pascabayar',
  PLN_PREPAID: 'Token Listrik PLN',
  BPJS_KESEHATAN: 'BPJS Kesehatan',
  PDAM_TIRTA_BENTENG: 'PDAM Tirta Benteng',
  PDAM_KOTA_SURABAYA: 'PDAM Surya Sembada',
};
export const productName = (code: string): string => PRODUCT_NAMES[code] ?? code.replaceAll('_', ' ');

/** A file size for people: "12 KB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte`;
  if (bytes < 1024 * 1024) return `${number.format(Math.round(bytes / 1024))} KB`;
  return `${new Intl.NumberFormat('id-ID', { maximumFractionDigits: 1 }).format(bytes / 1024 / 1024)} MB`;
}

/** A calendar day YYYY-MM-DD → "29 Nov 2026" (no time zone arithmetic: the day is already a WIB day). */
export function day(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const month = match ? MONTHS[Number(match[2]) - 1] : undefined;
  return match && month ? `${Number(match[3])} ${month} ${match[1]}` : value;
}

/** "29 Nov" for chart axes. */
export function shortDay(value: string): string {
  const match = /^\d{4}-(\d{2})-(\d{2})$/.exec(value);
  const month = match ? MONTHS[Number(match[1]) - 1] : undefined;
  return match && month ? `${Number(match[2])} ${month}` : value;
}

/** "2026-11" → "November 2026". */
export { formatBulan as monthName } from '../../src/bulan';

/** How long, in words: 5 → "5 menit", 130 → "2 jam 10 menit", 3000 → "2 hari 2 jam". */
export function ageInWords(minutes: number): string {
  if (minutes < 1) return 'kurang dari 1 menit';
  if (minutes < 60) return `${minutes} menit`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const rest = minutes % 60;
    return rest ? `${hours} jam ${rest} menit` : `${hours} jam`;
  }
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest ? `${days} hari ${rest} jam` : `${days} hari`;
}

/** "1.234" (a count, Indonesian grouping). */
export const count = (value: number): string => number.format(value);

/** Product categories as members say them. */
export const CATEGORY_NAMES: Record<ProductCategory, string> = {
  electricity: 'Listrik',
  water: 'Air (PDAM)',
  health: 'BPJS Kesehatan',
};

/** Who did something, in words (the audit log). */
export const ACTOR_LABELS: Record<ActorType, string> = {
  operator: 'Operator platform',
  admin: 'Operator platform',
  supervisor: 'Petugas Dinas',
  treasurer: 'Bendahara',
  pengawas: 'Pengawas',
  member: 'Anggota',
  system: 'Sistem',
  upstream: 'Pemasok/upstream',
};

/** "12.5" or "12,5" → "12,5 kWh" (Indonesian decimal comma); undefined when it is not a number. */
export function kwh(value: string): string | undefined {
  const match = /^(\d{1,7})(?:[.,](\d{1,3}))?$/.exec(value.trim().replace(/\s*kwh$/i, ''));
  if (!match) return undefined;
  return `${Number(match[1]).toLocaleString('id-ID')}${match[2] ? `,${match[2]}` : ''} kWh`;
}

/**
 * The kWh a PLN token bought, from the upstream's serial "TOKEN/NAME/TARIF/DAYA/KWH" (Digiflazz) when it
 * carries one: "12,5 kWh".
 */
export function tokenKwh(upstreamRef: string | null): string | undefined {
  const parts = upstreamRef?.split('/') ?? [];
  return parts.length >= 5 ? kwh(parts[parts.length - 1]!) : undefined;
}
