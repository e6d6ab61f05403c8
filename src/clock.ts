/**
 * Time, injectable (tests move it to the PLN cut-off window or past a quote's expiry) and the WIB
 * calendar. Every "day" in Pintu is a calendar day in Asia/Jakarta (UTC+7, no daylight saving).
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;

/** YYYY-MM-DD of the WIB calendar day containing `at`. */
export function wibDate(at: Date): string {
  return new Date(at.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 10);
}

/** Minutes since WIB midnight. */
export function wibMinuteOfDay(at: Date): number {
  const shifted = new Date(at.getTime() + WIB_OFFSET_MS);
  return shifted.getUTCHours() * 60 + shifted.getUTCMinutes();
}

/** [start, end) instants of a WIB calendar day given as YYYY-MM-DD. */
export function wibDayRange(date: string): { start: Date; end: Date } {
  const start = new Date(`${date}T00:00:00+07:00`);
  if (Number.isNaN(start.getTime()) || wibDate(start) !== date)
    throw new RangeError(`not a calendar date: ${date}`);
  return { start, end: new Date(start.getTime() + 24 * 60 * 60 * 1000) };
}

/** The first instant of the next WIB day after `at`. */
export function endOfWibDay(at: Date): Date {
  return wibDayRange(wibDate(at)).end;
}

/** The WIB date before `date` (YYYY-MM-DD). */
export function previousWibDate(date: string): string {
  return wibDate(new Date(wibDayRange(date).start.getTime() - 1));
}

/** ISO 8601 with +07:00, e.g. 2026-11-28T23:59:59+07:00, for people and settlement files. */
export function formatWib(at: Date): string {
  return `${new Date(at.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}

/** True when the WIB time of `at` is inside [start, end), a window that may wrap midnight. */
export function inWibWindow(at: Date, start: string, end: string): boolean {
  const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const m = wibMinuteOfDay(at);
  const s = toMinutes(start);
  const e = toMinutes(end);
  return s <= e ? m >= s && m < e : m >= s || m < e;
}
