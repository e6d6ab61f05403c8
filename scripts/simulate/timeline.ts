/**
 * The run's shape in load time (ms from the start of the load), from `--seconds` alone: where WIB midnight falls
 * and which minute is the PLN cut-off. clock.ts turns it into a faketime offset; the schedule places PLN payments
 * and settlement uploads by it.
 */
import type { Random } from '../../adapters/sandbox/prng.js';

export interface Timeline {
  loadMs: number;
  /** WIB midnight, ms into the load. */
  midnightAt: number;
  /** The PLN cut-off as [from, to) in load time, and as HH:MM WIB for Pintu and the sandbox. */
  cutOffAt: [number, number];
  cutOff: { start: string; end: string };
  /** A moment of the load when PLN is paid (outside the cut-off). */
  plnOpenAt(random: Random): number;
}

/**
 * Midnight falls halfway through the load (at least 15 s in). Long runs get the cut-off minute 23:58–23:59, so
 * PLN is paid before, refused during and paid after it; short runs get 00:00–00:01, so PLN is paid before
 * midnight and refused after it (and quotes of the old day expire at midnight too).
 */
export function loadTimeline(seconds: number): Timeline {
  const loadMs = seconds * 1000;
  const midnightAt = Math.max(15, Math.round(seconds * 0.5)) * 1000;
  const long = midnightAt >= 150_000;
  const cutOffAt: [number, number] = long
    ? [midnightAt - 120_000, midnightAt - 60_000]
    : [midnightAt, midnightAt + 60_000];
  const windows: [number, number][] = [
    [0, cutOffAt[0]],
    [cutOffAt[1], loadMs],
  ];
  const open = windows.filter(([from, to]) => to - from > 1_000);
  return {
    loadMs,
    midnightAt,
    cutOffAt,
    cutOff: long ? { start: '23:58', end: '23:59' } : { start: '00:00', end: '00:01' },
    plnOpenAt(random) {
      const [from, to] = random.pick(open);
      return random.int(from, to - 1);
    },
  };
}
