/**
 * When each fault happens, from the seed. Every kind at least once, more in longer runs (per minute of load), all
 * inside the first 80 % of the load so recovery starts before the drain. Settlement files of the day before
 * midnight are uploaded after it, in every shape, and again later ("late") during the drain.
 */
import type { Dialect } from '../../adapters/sandbox/index.js';
import type { Random } from '../../adapters/sandbox/prng.js';
import type { FaultKind, PlannedFault, PlannedUpload, SettlementShape } from './plan.js';
import type { Timeline } from './timeline.js';

const PER_MINUTE: Record<FaultKind, number> = {
  fee_change: 2,
  upstream_refuse: 1.5,
  upstream_blackhole: 1,
  upstream_reset: 1.5,
  upstream_slow: 1,
  worker_kill: 2,
  api_kill: 1,
  redis_flush: 0.7,
  postgres_stop: 0.5,
  forged_callback: 4,
};

const DIALECTS: readonly Dialect[] = ['digiflazz', 'iak'];

/** Each kind's duration range, ms (0 = instant). PostgreSQL stays down long enough to exhaust job retries. */
const DURATION: Record<FaultKind, [number, number]> = {
  fee_change: [0, 0],
  upstream_refuse: [2_000, 5_000],
  upstream_blackhole: [3_000, 6_000],
  upstream_reset: [0, 0],
  upstream_slow: [4_000, 8_000],
  worker_kill: [0, 0],
  api_kill: [0, 0],
  redis_flush: [0, 0],
  postgres_stop: [3_000, 6_000],
  forged_callback: [0, 0],
};

export function planFaults(random: Random, timeline: Timeline): PlannedFault[] {
  const minutes = timeline.loadMs / 60_000;
  const from = Math.round(timeline.loadMs * 0.08);
  const to = Math.round(timeline.loadMs * 0.8);
  const faults: PlannedFault[] = [];
  for (const kind of Object.keys(PER_MINUTE) as FaultKind[]) {
    const count = Math.max(1, Math.round(minutes * PER_MINUTE[kind]));
    for (let i = 0; i < count; i++) {
      const [min, max] = DURATION[kind];
      const fault: PlannedFault = { at: random.int(from, to), kind };
      if (max > 0) fault.durationMs = random.int(min, max);
      // The first refusal hits the first route of every product, so payments fail over to the second upstream
      // (which otherwise sees little traffic); every other upstream fault picks its dialect at random.
      if (kind.startsWith('upstream_') || kind === 'forged_callback') {
        fault.dialect = kind === 'upstream_refuse' && i === 0 ? 'digiflazz' : random.pick(DIALECTS);
      }
      if (kind === 'worker_kill' || kind === 'api_kill') fault.target = random.int(0, 7);
      if (kind === 'fee_change') {
        fault.admin = random.int(15, 35) * 100;
        fault.commission = random.int(0, 10) * 100;
      }
      if (kind === 'forged_callback') fault.pick = random.int(0, 1_000_000);
      faults.push(fault);
    }
  }
  // One PostgreSQL outage at a time: a second stop inside the first would shorten nothing and confuse the count.
  const sorted = faults.sort((a, b) => a.at - b.at);
  let pgFreeAt = 0;
  return sorted.filter((f) => {
    if (f.kind !== 'postgres_stop') return true;
    if (f.at < pgFreeAt) return false;
    pgFreeAt = f.at + (f.durationMs ?? 0) + 5_000;
    return true;
  });
}

/**
 * Two uploads per dialect after midnight, covering complete, partial, phantom and drift between them, then a late
 * complete upload of each during the drain (the same day's file again, after the runs that used the first ones).
 */
export function planUploads(random: Random, timeline: Timeline): PlannedUpload[] {
  const shapes: SettlementShape[] = ['partial', 'phantom', 'drift', 'complete'];
  for (let i = shapes.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [shapes[i], shapes[j]] = [shapes[j]!, shapes[i]!];
  }
  const from = timeline.midnightAt + 2_000;
  const to = Math.max(from + 1_000, timeline.loadMs - 1_000);
  const extra = Math.max(0, Math.round(timeline.loadMs / 300_000));
  const uploads: PlannedUpload[] = shapes.map((shape, i) => ({
    at: random.int(from, to),
    dialect: DIALECTS[i % 2]!,
    shape,
    salt: random.int(0, 1_000_000),
  }));
  for (let i = 0; i < extra; i++) {
    uploads.push({
      at: random.int(from, to),
      dialect: random.pick(DIALECTS),
      shape: random.pick(['partial', 'phantom', 'drift', 'complete'] as const),
      salt: random.int(0, 1_000_000),
    });
  }
  for (const dialect of DIALECTS) {
    uploads.push({ at: timeline.loadMs + random.int(3_000, 10_000), dialect, shape: 'late', salt: 0 });
  }
  return uploads.sort((a, b) => a.at - b.at);
}
