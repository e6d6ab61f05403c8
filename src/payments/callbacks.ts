/**
 * Upstream callbacks (webhooks). The adapter verifies the signature over the raw bytes; a forged or
 * malformed callback is refused and changes nothing. A replayed delivery id is acknowledged and
 * ignored. Money moves only through the same state machine as the worker, and:
 * - a signed SUCCESS is applied as it is (the bill is paid; the member owes it);
 * - anything that would give money back or fail over (a failure, "no transaction", a refund) and every
 *   notice whose signature does not cover the status (iak) is only a reason to ASK: the upstream's own
 *   status answer decides. A leaked quote id plus a guessable or default secret must never be enough
 *   to refund a member the upstream will still charge, or to pay a bill again at a second upstream.
 * - the asking is rate-limited per reference, so a replayed notice cannot hammer the upstream.
 */
import type { CallbackRequest, PayOutcome } from '../billers/port.js';
import type { RegisteredAdapter } from '../billers/registry.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import type { Logger } from '../logger.js';
import { applyOutcome, reverses } from './outcome.js';
import {
  type AttemptRow,
  deliverySeen,
  findAttemptByRef,
  findPayment,
  flagForReview,
  recordDelivery,
  rescheduleOutbox,
  scheduleNoticeCheck,
} from './repository.js';
import { isFinal } from './lifecycle.js';
import { callStatus, targetOf } from './upstream.js';

export type CallbackStatus = 'applied' | 'duplicate' | 'ignored' | 'confirming';

/** One status question per reference per window, however many notices arrive. */
const CONFIRM_WINDOW_MS = 10_000;

export async function handleCallback(
  deps: Deps,
  adapterName: string,
  request: CallbackRequest,
): Promise<CallbackStatus> {
  const registered = deps.billers.get(adapterName);
  if (!registered) throw new AppError('ADAPTER_UNKNOWN', `no adapter named ${adapterName}`);
  const result = registered.adapter.parseCallback(request);
  if (result.kind === 'rejected') {
    deps.log.warn({ adapter: adapterName, reason: result.reason }, 'callback rejected');
    if (result.reason === 'bad_signature')
      throw new AppError('CALLBACK_SIGNATURE_INVALID', 'callback signature is missing or wrong');
    throw new AppError('CALLBACK_REJECTED', `callback refused: ${result.reason}`);
  }
  const log = deps.log.child({ adapter: adapterName, refId: result.refId, deliveryId: result.deliveryId });
  if (result.deliveryId) {
    if (await deliverySeen(deps.db, adapterName, result.deliveryId)) return 'duplicate';
  }
  const attempt = await findAttemptByRef(deps.db, adapterName, result.refId);
  if (!attempt) {
    log.warn({ outcome: result.outcome.kind }, 'callback for a reference we never sent');
    return 'ignored';
  }
  let status: CallbackStatus = 'ignored';
  if (result.trust === 'authenticated' && result.outcome.kind === 'success') {
    await applyOutcome(deps, attempt.paymentId, attempt, result.outcome, log);
    status = 'applied';
  } else if (result.trust === 'notify-only' || result.outcome.kind !== 'suspect') {
    status = await confirmByStatus(deps, registered, attempt, result, log);
  }
  if (result.deliveryId) {
    await recordDelivery(deps.db, adapterName, result.deliveryId, result.refId);
  }
  return status;
}

/**
 * Ask the upstream what became of `attempt`: for an open payment the worker asks now (and settles from
 * the answer, with its usual rules); for a paid one the answer may be a late refund or reversal. When
 * that question gets no answer (an outage), the worker keeps asking (an outbox row, so it survives
 * crashes): acknowledging the notice and forgetting it would lose the only news of a refund until the
 * next settlement file.
 */
async function confirmByStatus(
  deps: Deps,
  registered: RegisteredAdapter,
  attempt: AttemptRow,
  notice: { outcome: PayOutcome; trust: 'authenticated' | 'notify-only' },
  log: Logger,
): Promise<CallbackStatus> {
  // Per notice kind: a replayed notice asks once per window, a new one (paid, then refunded) asks again.
  const key = `${deps.config.REDIS_PREFIX}:callback-confirm:${attempt.adapter}:${attempt.refId}:${notice.outcome.kind}`;
  if ((await deps.redis.set(key, '1', 'PX', CONFIRM_WINDOW_MS, 'NX')) === null) {
    if (!reverses(notice.outcome)) return 'ignored';
    // Another delivery is being confirmed, or was, by a process that died before it asked or answered (its claim
    // outlives it for the window). A notice that would give money back is not dropped on the word of that claim: the
    // worker asks once the window has passed (a burst of replays bumps one outbox row: one question).
    const dueAt = new Date(deps.clock.now().getTime() + CONFIRM_WINDOW_MS);
    await scheduleNoticeCheck(deps.db, attempt.paymentId, dueAt);
    return 'confirming';
  }
  try {
    return await confirmNow(deps, registered, attempt, notice, log);
  } catch (error) {
    // Not confirmed (the database or the upstream call failed): the upstream gets a 5xx and delivers the notice
    // again, which must then be acted on, not taken for a replay inside the window.
    await deps.redis.del(key).catch(() => undefined);
    throw error;
  }
}

async function confirmNow(
  deps: Deps,
  registered: RegisteredAdapter,
  attempt: AttemptRow,
  notice: { outcome: PayOutcome; trust: 'authenticated' | 'notify-only' },
  log: Logger,
): Promise<CallbackStatus> {
  const payment = await findPayment(deps.db, attempt.paymentId);
  if (!payment) return 'ignored';
  if (!isFinal(payment.status)) {
    // Marked for a reversing notice, so a success read before it and applied after it still ends in a check.
    const now = deps.clock.now();
    if (reverses(notice.outcome)) await scheduleNoticeCheck(deps.db, payment.id, now);
    else await rescheduleOutbox(deps.db, payment.id, now);
    return 'confirming';
  }
  if (payment.status !== 'success' || payment.adapter !== attempt.adapter || payment.refId !== attempt.refId)
    return 'ignored';
  const confirmed = await callStatus(deps, registered, targetOf(payment, attempt));
  if (reverses(confirmed)) {
    await applyOutcome(deps, payment.id, attempt, confirmed, log);
    return 'applied';
  }
  if (confirmed.kind === 'suspect') {
    const delayMs = deps.config.POLL_INITIAL_MS;
    await scheduleNoticeCheck(deps.db, payment.id, new Date(deps.clock.now().getTime() + delayMs));
    log.warn(
      { rc: confirmed.rc },
      'could not confirm a notice about a paid bill yet; the worker keeps asking',
    );
    return 'confirming';
  }
  if (notice.trust === 'authenticated' && reverses(notice.outcome)) {
    await flagForReview(
      deps.db,
      payment.id,
      `${attempt.adapter} sent a signed ${notice.outcome.kind} notice (${notice.outcome.rc} ${notice.outcome.message}) for ref ${attempt.refId}, but its status says ${confirmed.kind} (${confirmed.rc}): check whether it refunded`,
      deps.clock.now(),
    );
  }
  return 'ignored';
}
