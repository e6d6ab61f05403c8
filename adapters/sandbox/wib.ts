/**
 * WIB calendar (Asia/Jakarta, UTC+7, no daylight saving). Upstream days, the same-day pay rule, the PLN
 * cut-off and settlement files are all in WIB (ppob.md §3.8). Kept here rather than imported from
 * src/ so the sandbox depends on nothing but its own folder.
 */
const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The instant shifted so that its UTC fields read as WIB wall-clock fields. */
const shifted = (at: Date) => new Date(at.getTime() + WIB_OFFSET_MS);

/** YYYY-MM-DD of the WIB day containing `at`. */
export function wibDate(at: Date): string {
  return shifted(at).toISOString().slice(0, 10);
}

/** YYYYMM of the WIB month `monthsBack` months before the one containing `at`. */
export function wibPeriod(at: Date, monthsBack = 0): string {
  const wall = shifted(at);
  const index = wall.getUTCFullYear() * 12 + wall.getUTCMonth() - monthsBack;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${year}${String(month).padStart(2, '0')}`;
}

let cachedDay = Number.NaN;
let cachedPrefix = '';
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * ISO 8601 with +07:00 (settlement files, like DANA and SNAP). Called twice per settlement row, so the date part
 * is cached per WIB day and the time is plain arithmetic.
 */
export function formatWib(at: Date): string {
  const wall = at.getTime() + WIB_OFFSET_MS;
  const day = Math.floor(wall / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  const seconds = Math.floor((wall - day * DAY_MS) / 1000);
  return `${cachedPrefix}${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}+07:00`;
}

/** IAK `datetime`: YmdHis in WIB. */
export function ymdHis(at: Date): string {
  return shifted(at).toISOString().slice(0, 19).replace(/\D/g, '');
}

/** True when the WIB time of `at` lies in [start, end) (HH:MM); the window may wrap midnight. */
export function inWibWindow(at: Date, start: string, end: string): boolean {
  const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const wall = shifted(at);
  const minute = wall.getUTCHours() * 60 + wall.getUTCMinutes();
  const from = toMinutes(start);
  const to = toMinutes(end);
  return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
}

/** Start of the WIB day given as YYYYMMDD, or undefined when it is not a calendar date. */
export function wibDayStart(compact: string): Date | undefined {
  if (!/^\d{8}$/.test(compact)) return undefined;
  const iso = `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;
  const start = new Date(`${iso}T00:00:00+07:00`);
  if (Number.isNaN(start.getTime()) || wibDate(start) !== iso) return undefined;
  return start;
}

/** YYYY-MM-DD of the WIB day given as YYYYMMDD. */
export const dashedDate = (compact: string) =>
  `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;

export { DAY_MS };
