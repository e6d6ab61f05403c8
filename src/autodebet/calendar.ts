/**
 * The autodebet calendar, in WIB months: a subscription is due on its day of the month (29–31 mean the month's
 * last day in shorter months) and keeps trying up to AUTODEBET_RETRY_DAYS after it; a run is per period YYYY-MM.
 */
import { wibDate, wibDayRange } from '../clock.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** YYYY-MM of the WIB month containing `at`. */
export const periodOf = (at: Date): string => wibDate(at).slice(0, 7);

export function daysInMonth(period: string): number {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The WIB date (YYYY-MM-DD) a subscription is due in `period`. */
export function dueDate(period: string, dayOfMonth: number): string {
  return `${period}-${pad(Math.min(dayOfMonth, daysInMonth(period)))}`;
}

export function addDays(date: string, days: number): string {
  return wibDate(new Date(wibDayRange(date).start.getTime() + days * 86_400_000));
}

export function nextPeriod(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01` : `${year}-${pad(month + 1)}`;
}

/** The last WIB date a run of `period` is tried on. */
export function lastTryDate(period: string, dayOfMonth: number, retryDays: number): string {
  return addDays(dueDate(period, dayOfMonth), retryDays);
}

/** 07:00 WIB the day after `date`: a new day's try comes in the morning, when people look at their phone. */
export function morningAfter(date: string): Date {
  return new Date(`${addDays(date, 1)}T07:00:00+07:00`);
}
