/**
 * Carries out the planned faults at their times and counts each one that happened. Faults with a duration
 * (refusal, blackhole, slow upstream, PostgreSQL down) end by themselves; `restoreAll` ends whatever is left when
 * the load stops.
 */
import { call } from './http.js';
import { sleep } from './net.js';
import type { PlannedFault } from './plan.js';
import type { Violation } from './report.js';
import { SLOW_MS } from './settings.js';
import type { Stack } from './stack.js';
import { forgeCallback } from './forged.js';

export interface FaultLog {
  counts: Record<string, number>;
  violations: Violation[];
  log(line: string): void;
}

export const count = (log: FaultLog, kind: string, n = 1) => {
  log.counts[kind] = (log.counts[kind] ?? 0) + n;
};

async function configure(stack: Stack, patch: Record<string, unknown>): Promise<boolean> {
  const answer = await call(stack.sandboxUrl, '/_sandbox/config', { body: patch }).catch(() => undefined);
  return answer?.status === 200;
}

export async function runFault(stack: Stack, fault: PlannedFault, log: FaultLog): Promise<void> {
  const dialect = fault.dialect ?? 'digiflazz';
  const duration = fault.durationMs ?? 0;
  switch (fault.kind) {
    case 'fee_change':
      if (await configure(stack, { adminPerPeriod: fault.admin, commissionPerPeriod: fault.commission })) {
        count(log, fault.kind);
      }
      return;
    case 'upstream_refuse':
      await stack.proxies[dialect].refuse();
      count(log, `${fault.kind}`);
      await sleep(duration);
      await stack.proxies[dialect].restore();
      return;
    case 'upstream_blackhole':
      stack.proxies[dialect].blackhole();
      count(log, fault.kind);
      await sleep(duration);
      await stack.proxies[dialect].restore();
      return;
    case 'upstream_reset':
      stack.proxies[dialect].reset();
      count(log, fault.kind);
      return;
    case 'upstream_slow':
      // A third of the requests answer only after Pintu's timeout (the sandbox still acts on them).
      if (await configure(stack, { slowRate: 0.3, slowMs: SLOW_MS })) count(log, fault.kind);
      await sleep(duration);
      await configure(stack, { slowRate: 0 });
      return;
    case 'worker_kill': {
      const worker = stack.workers[(fault.target ?? 0) % stack.workers.length]!;
      if (worker.running()) {
        await worker.kill();
        count(log, fault.kind);
      }
      return;
    }
    case 'api_kill': {
      const api = stack.apis[(fault.target ?? 0) % stack.apis.length]!;
      if (api.running()) {
        await api.kill();
        count(log, fault.kind);
      }
      return;
    }
    case 'redis_flush':
      await stack.redis.flushAll();
      count(log, fault.kind);
      return;
    case 'postgres_stop':
      await stack.postgres.stop();
      count(log, fault.kind);
      log.log(`postgres stopped for ${duration} ms`);
      await sleep(duration);
      await stack.postgres.start();
      return;
    case 'forged_callback':
      if (await forgeCallback(stack, dialect, fault.pick ?? 0, log.violations)) count(log, fault.kind);
      return;
  }
}

/** The end of the load: every proxy passes again, the upstream answers on time and delivers callbacks plainly. */
export async function restoreAll(stack: Stack, quietKnobs: Record<string, unknown>): Promise<void> {
  await Promise.all([stack.proxies.digiflazz.restore(), stack.proxies.iak.restore()]);
  for (let i = 0; i < 20 && !(await configure(stack, quietKnobs)); i++) await sleep(500);
}
