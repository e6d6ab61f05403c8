/**
 * Asking the upstream about one attempt now, outside the job's own schedule (reconciliation after the
 * grace window). The answer is applied with the pipeline's rules; "still pending" changes nothing
 * (the job keeps polling) and is reported back so the caller can list it for a person.
 */
import type { AuditEntry } from '../audit.js';
import type { StatusOutcome } from '../billers/port.js';
import type { Logger } from '../logger.js';
import { type PipelineDeps, applyOutcome } from './outcome.js';
import { notFoundIsProof } from './pipeline.js';
import { type PaymentRow, findPayment, listAttempts } from './repository.js';
import { isFinal } from './lifecycle.js';
import { callStatus, targetOf } from './upstream.js';

export type Confirmation =
  /** The payment is final, or the attempt is not its open one: nothing to ask. */
  | { kind: 'settled' }
  /** Asked; the answer settled the payment. */
  | { kind: 'applied'; status: PaymentRow['status']; outcome: StatusOutcome }
  /** Asked (or could not ask); nothing is proven yet. */
  | { kind: 'open'; reason: string };

export async function confirmAttempt(
  deps: PipelineDeps,
  paymentId: string,
  attemptNo: number,
  log: Logger,
  audit?: (before: PaymentRow, after: PaymentRow) => AuditEntry,
): Promise<Confirmation> {
  const payment = await findPayment(deps.db, paymentId);
  const attempts = await listAttempts(deps.db, paymentId);
  const attempt = attempts.at(-1);
  if (!payment || isFinal(payment.status) || !attempt || attempt.attemptNo !== attemptNo)
    return { kind: 'settled' };
  const age = deps.clock.now().getTime() - attempt.sentAt.getTime();
  if (age > deps.config.STATUS_POLL_MAX_HOURS * 3_600_000) {
    return {
      kind: 'open',
      reason: `older than ${deps.config.STATUS_POLL_MAX_HOURS} h: the upstream's status answer can no longer be trusted`,
    };
  }
  const registered = deps.billers.get(attempt.adapter);
  if (!registered) return { kind: 'open', reason: `adapter ${attempt.adapter} is not registered here` };
  const outcome = await callStatus(deps, registered, targetOf(payment, attempt));
  if (outcome.kind === 'suspect' || (outcome.kind === 'not_found' && !notFoundIsProof(deps, attempt))) {
    return { kind: 'open', reason: `upstream status: ${outcome.rc} ${outcome.message}`.trim() };
  }
  const applied = await applyOutcome(deps, paymentId, attempt, outcome, log, audit ? { audit } : {});
  if (!applied || !isFinal(applied.payment.status))
    return { kind: 'open', reason: `upstream status: ${outcome.rc} ${outcome.message}` };
  return { kind: 'applied', status: applied.payment.status, outcome };
}
