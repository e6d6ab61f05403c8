/**
 * After the load: no more faults, everything restored; pending and refund timers, callback retries, polls,
 * reconciliation and the treasurers finish their work. Waits (bounded, scaled with the load) until the upstream
 * is quiet, every payment is final or listed for a person with nothing a person could decide yet, and no final
 * payment still has a step scheduled (a refund notice being confirmed with the upstream).
 */
import { fakeNow, type ClockPlan } from './clock.js';
import { sleep } from './net.js';
import { SUSPECT_ALERT_MINUTES } from './settings.js';
import type { Stack } from './stack.js';
import { decide } from './treasurer.js';
import { readTruth, type TruthIndex } from './truth.js';

export interface OpenPayment {
  id: string;
  status: string;
  suspect_since: Date | null;
  review_reason: string | null;
  has_outbox: boolean;
  adapter: string | null;
  ref_id: string | null;
  sku: string | null;
  sent_at: Date | null;
  customer_no: string;
}

export async function hasReviewColumn(stack: Stack): Promise<boolean> {
  const rows = await stack.db.query(
    `SELECT 1 FROM information_schema.columns WHERE table_name = 'payments' AND column_name = 'review_reason'`,
  );
  return rows.rows.length > 0;
}

export async function openPayments(stack: Stack, review: boolean): Promise<OpenPayment[]> {
  const rows = await stack.db.query<OpenPayment>(`
    SELECT p.id, p.status, p.suspect_since, ${review ? 'p.review_reason' : 'NULL::text AS review_reason'},
           EXISTS (SELECT 1 FROM outbox o WHERE o.payment_id = p.id) AS has_outbox,
           a.adapter, a.ref_id, a.sku, a.sent_at, p.customer_no
      FROM payments p
      LEFT JOIN LATERAL (SELECT * FROM payment_attempts x WHERE x.payment_id = p.id ORDER BY x.attempt_no DESC LIMIT 1) a ON true
     WHERE p.status IN ('processing', 'suspect')`);
  return rows.rows;
}

/** Listed for a person: a review reason, or suspect for longer than SUSPECT_ALERT_MINUTES (`?attention=true`). */
export const listedForPerson = (p: OpenPayment, now: number) =>
  p.review_reason !== null ||
  (p.status === 'suspect' &&
    p.suspect_since !== null &&
    now - new Date(p.suspect_since).getTime() > SUSPECT_ALERT_MINUTES * 60_000);

/** Something the upstream will still do by itself: a pending transaction, a refund to come, a callback to send. */
export function upstreamBusy(truth: TruthIndex): number {
  let busy = 0;
  for (const dialect of ['digiflazz', 'iak'] as const) {
    for (const txn of truth.truth[dialect].transactions) {
      if (txn.state === 'pending') busy += 1;
      else if (txn.scenario === '1074' && txn.state === 'success') busy += 1;
      else if (txn.callbacks.some((c) => c.fate === 'queued' || c.fate === 'retrying' || c.fate === 'held'))
        busy += 1;
    }
  }
  return busy;
}

/** Final payments with an outbox row: a follow-up (the confirmation of a refund notice) still to run. */
async function followUps(stack: Stack): Promise<number> {
  const rows = await stack.db.query<{ n: number }>(`
    SELECT count(*)::int AS n FROM outbox o JOIN payments p ON p.id = o.payment_id WHERE p.status IN ('success', 'failed', 'refunded')`);
  return rows.rows[0]?.n ?? 0;
}

export interface DrainResult {
  ms: number;
  timedOut: boolean;
  /** Open at the end and not listed for a person, or listed though the upstream's answer is final. */
  stuck: OpenPayment[];
}

export async function drain(
  stack: Stack,
  clock: ClockPlan,
  deadlineMs: number,
  log: (line: string) => void,
): Promise<DrainResult> {
  const started = Date.now();
  const review = await hasReviewColumn(stack);
  let stuck: OpenPayment[] = [];
  let lastLog = 0;
  for (;;) {
    try {
      const truth = await readTruth(stack.sandboxUrl);
      const open = await openPayments(stack, review);
      const now = fakeNow(clock);
      stuck = open.filter((p) => {
        if (!listedForPerson(p, now)) return true;
        if (p.adapter === null || p.ref_id === null || p.sku === null || p.sent_at === null) return false;
        return (
          decide(
            {
              payment_id: p.id,
              adapter: p.adapter,
              ref_id: p.ref_id,
              sku: p.sku,
              sent_at: p.sent_at,
              customer_no: p.customer_no,
            },
            truth,
            now,
          ) !== undefined
        );
      });
      const busy = upstreamBusy(truth);
      const following = await followUps(stack);
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        log(
          `drain: ${open.length} open (${stuck.length} not yet settled or listed), ${following} follow-ups scheduled, upstream busy with ${busy}`,
        );
      }
      if (busy === 0 && stuck.length === 0 && following === 0)
        return { ms: Date.now() - started, timedOut: false, stuck };
    } catch {
      // PostgreSQL or the sandbox answered badly once: look again
    }
    if (Date.now() - started > deadlineMs) return { ms: Date.now() - started, timedOut: true, stuck };
    await sleep(2_000);
  }
}
