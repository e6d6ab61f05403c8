/**
 * Fake time. Every child (PostgreSQL, Redis, sandbox, API, workers) runs under libfaketime with one relative
 * offset, so the whole system agrees that it is a little before WIB midnight when the load starts; the WIB day
 * boundary passes during the run, and the previous day becomes a past day whose settlement can be reconciled.
 * Monotonic clocks are left alone (timers and timeouts keep real durations). The simulator itself runs on real
 * time and computes the fake time as Date.now() + offset.
 */
import { existsSync } from 'node:fs';
import { loadTimeline } from './timeline.js';

export const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
export const FAKETIME_MISSING = "install Debian's faketime: apt-get install -y faketime";

export const hasFaketime = () => existsSync(LIBFAKETIME);

const WIB_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

export interface ClockPlan {
  /** Seconds added to the real clock in every child. */
  offsetSeconds: number;
  /** Real epoch ms at which the load should start (the simulator waits for it when set-up was quick). */
  loadStartReal: number;
  /** Fake epoch ms of the WIB midnight the run crosses. */
  midnight: number;
  /** The WIB day before that midnight (reconciled after it) and the day after. */
  previousDay: string;
  nextDay: string;
  /** The PLN cut-off window, HH:MM WIB: one minute the run passes through. */
  cutOff: { start: string; end: string };
}

export const wibDate = (epochMs: number) => new Date(epochMs + WIB_MS).toISOString().slice(0, 10);

/** The fake clock reaches WIB midnight `timeline.midnightAt` ms after the load starts (see timeline.ts). */
export function planClock(seconds: number, setupEstimateMs: number, realNow = Date.now()): ClockPlan {
  const timeline = loadTimeline(seconds);
  const beforeMidnightMs = timeline.midnightAt;
  const loadStartReal = realNow + setupEstimateMs;
  // The next WIB midnight at least a day away, so the run never touches the real date.
  const wibNow = realNow + WIB_MS;
  const midnight = Math.floor(wibNow / DAY_MS) * DAY_MS + 2 * DAY_MS - WIB_MS;
  const offsetMs = midnight - beforeMidnightMs - loadStartReal;
  const offsetSeconds = Math.round(offsetMs / 1000);
  return {
    offsetSeconds,
    loadStartReal,
    midnight,
    previousDay: wibDate(midnight - 1),
    nextDay: wibDate(midnight),
    cutOff: timeline.cutOff,
  };
}

/** The environment that puts a child on the fake clock. */
export const faketimeEnv = (offsetSeconds: number): Record<string, string> => ({
  LD_PRELOAD: LIBFAKETIME,
  FAKETIME: `${offsetSeconds >= 0 ? '+' : ''}${offsetSeconds}s`,
  FAKETIME_DONT_FAKE_MONOTONIC: '1',
});

export const fakeNow = (plan: Pick<ClockPlan, 'offsetSeconds'>) => Date.now() + plan.offsetSeconds * 1000;
