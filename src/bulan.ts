/**
 * Indonesian month names, for every place a month is written for people: reports, the office summary, the
 * web app (which imports this file too). No imports, so the browser bundle takes it as it is.
 */
export const BULAN = [
  'Januari',
  'Februari',
  'Maret',
  'April',
  'Mei',
  'Juni',
  'Juli',
  'Agustus',
  'September',
  'Oktober',
  'November',
  'Desember',
] as const;

export const BULAN_SINGKAT = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'Mei',
  'Jun',
  'Jul',
  'Agu',
  'Sep',
  'Okt',
  'Nov',
  'Des',
] as const;

/** A billing period as upstreams send it, "202610" → "Okt 2026" (struk, app and reports alike). */
export function formatPeriode(value: string): string {
  const match = /^(\d{4})(\d{2})$/.exec(value);
  const name = match ? BULAN_SINGKAT[Number(match[2]) - 1] : undefined;
  return match && name ? `${name} ${match[1]}` : value;
}

/** "2026-11" → "November 2026"; anything else is returned as it is. */
export function formatBulan(month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  const name = match ? BULAN[Number(match[2]) - 1] : undefined;
  return match && name ? `${name} ${match[1]}` : month;
}
