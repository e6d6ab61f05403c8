/**
 * The treasurers: each looks at what Pintu shows as needing them (`GET /v1/payments?status=suspect` and
 * `?attention=true`), checks the aggregator's portal for the payment's current upstream attempt (here: the sandbox
 * truth) and resolves only when that truth is final. Success (the deposit carries the price) → success; failed or
 * refunded → failed; never recorded and never going to be → failed; pending or possibly still arriving → wait.
 */
import { fakeNow, type ClockPlan } from './clock.js';
import { call, field } from './http.js';
import { sleep } from './net.js';
import type { World } from './onboarding.js';
import { NOTHING_IN_FLIGHT_AFTER_MS } from './settings.js';
import type { Stack } from './stack.js';
import { readTruth, type TruthIndex } from './truth.js';

export interface TreasurerStats {
  looked: number;
  resolvedSuccess: number;
  resolvedFailed: number;
  /** The payment moved on between the list and the resolve (409): a race a person loses too. */
  raced: number;
  waiting: number;
}

interface Attempt {
  payment_id: string;
  adapter: string;
  ref_id: string;
  sku: string;
  sent_at: Date;
  customer_no: string;
}

interface Listed {
  id: string;
  status: string;
  suspectSince: string | null;
}

/** Digiflazz prepaid: the status check is a re-sent top-up, so a ref missing upstream may still be created. */
const statusMayCreate = (attempt: Attempt) => attempt.adapter === 'digiflazz' && /^pln\d+$/.test(attempt.sku);

export function decide(attempt: Attempt, truth: TruthIndex, now: number): 'success' | 'failed' | undefined {
  const txn = truth.get(attempt.adapter, attempt.ref_id);
  if (txn?.state === 'success') return 'success';
  if (txn?.state === 'failed' || txn?.state === 'refunded') return 'failed';
  if (txn?.state === 'pending') return undefined;
  // Not recorded (or only inquired). Final only once nothing of ours can still arrive, and nothing we send
  // later can create it: the 1042 scenario never records anything.
  if (now - new Date(attempt.sent_at).getTime() < NOTHING_IN_FLIGHT_AFTER_MS) return undefined;
  if (statusMayCreate(attempt) && attempt.customer_no.slice(-4) !== '1042') return undefined;
  return 'failed';
}

async function listed(api: string, token: string, query: string): Promise<Listed[]> {
  const answer = await call(api, `/v1/payments?limit=100&${query}`, { token, timeoutMs: 10_000 });
  if (answer.status !== 200) return [];
  return ((answer.body as { items?: Listed[] }).items ?? []).filter((p) => p.status === 'suspect');
}

async function currentAttempts(stack: Stack, ids: string[]): Promise<Attempt[]> {
  const rows = await stack.db.query<Attempt>(
    `SELECT DISTINCT ON (a.payment_id) a.payment_id, a.adapter, a.ref_id, a.sku, a.sent_at, p.customer_no
       FROM payment_attempts a JOIN payments p ON p.id = a.payment_id
      WHERE a.payment_id = ANY($1::uuid[]) ORDER BY a.payment_id, a.attempt_no DESC`,
    [ids],
  );
  return rows.rows;
}

/** One look at every koperasi's list. */
export async function treasurerRound(
  stack: Stack,
  world: World,
  clock: ClockPlan,
  stats: TreasurerStats,
): Promise<void> {
  const truth = await readTruth(stack.sandboxUrl);
  const now = fakeNow(clock);
  for (const kop of world.koperasi) {
    const seen = new Map<string, Listed>();
    for (const query of ['status=suspect', 'attention=true']) {
      for (const p of await listed(world.api, kop.treasurerToken, query).catch(() => [])) seen.set(p.id, p);
    }
    if (seen.size === 0) continue;
    for (const attempt of await currentAttempts(stack, [...seen.keys()])) {
      stats.looked += 1;
      const outcome = decide(attempt, truth, now);
      if (outcome === undefined) {
        stats.waiting += 1;
        continue;
      }
      const txn = truth.get(attempt.adapter, attempt.ref_id);
      const reason = `checked the ${attempt.adapter} portal: ref ${attempt.ref_id} is ${txn?.state ?? 'not recorded'}`;
      const answer = await call(world.api, `/v1/payments/${attempt.payment_id}/resolve`, {
        token: kop.treasurerToken,
        // A person reads what the portal says the deposit was charged (a top-up is priced when it is bought).
        body: {
          outcome,
          reason,
          ...(outcome === 'success' && txn?.price ? { price: Number(txn.price) } : {}),
        },
        timeoutMs: 15_000,
      }).catch(() => undefined);
      if (answer?.status === 200) {
        if (outcome === 'success') stats.resolvedSuccess += 1;
        else stats.resolvedFailed += 1;
      } else if (field(answer, 'code') === 'PAYMENT_NOT_SUSPECT') stats.raced += 1;
    }
  }
}

/** Rounds every `intervalMs` until `stopped()`; a round that fails (API or PostgreSQL down) is simply retried. */
export async function treasurerLoop(
  stack: Stack,
  world: World,
  clock: ClockPlan,
  stats: TreasurerStats,
  stopped: () => boolean,
  intervalMs = 1_500,
): Promise<void> {
  while (!stopped()) {
    await treasurerRound(stack, world, clock, stats).catch(() => undefined);
    await sleep(intervalMs);
  }
}
