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

/** "2026-11" → "November 2026"; anything else is returned as it is. */
export function formatBulan(month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  const name = match ? BULAN[Number(match[2]) - 1] : undefined;
  return match && name ? `${name} ${match[1]}` : month;
}
