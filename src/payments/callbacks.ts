/**
 * Upstream callbacks (webhooks). The adapter verifies the signature over the raw bytes; a forged or
 * malformed callback is refused and changes nothing. A replayed delivery id is acknowledged and
 * ignored. Only final outcomes move money, and only through the same state machine as the worker:
 * an out-of-order "pending" after "success" cannot undo anything. When the dialect's signature does
 * not cover the status (iak), the callback only triggers a status poll.
 */
import { sql } from 'drizzle-orm';
import type { CallbackRequest } from '../billers/port.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { enqueueSafely } from './jobs.js';
import { applyOutcome } from './outcome.js';
import { callStatus, targetOf } from './upstream.js';
import { findAttemptByRef, findPayment, rescheduleOutbox } from './repository.js';
import { isFinal } from './settle.js';

export type CallbackStatus = 'applied' | 'duplicate' | 'ignored' | 'confirming';

export async function handleCallback(deps: Deps, adapterName: string, request: CallbackRequest): Promise<CallbackStatus> {
  const registered = deps.billers.get(adapterName);
  if (!registered) throw new AppError('ADAPTER_UNKNOWN', `no adapter named ${adapterName}`);
  const result = registered.adapter.parseCallback(request);
  if (result.kind === 'rejected') {
    deps.log.warn({ adapter: adapterName, reason: result.reason }, 'callback rejected');
    if (result.reason === 'bad_signature') throw new AppError('CALLBACK_SIGNATURE_INVALID', 'callback signature is missing or wrong');
    throw new AppError('CALLBACK_REJECTED', `callback refused: ${result.reason}`);
  }
  const log = deps.log.child({ adapter: adapterName, refId: result.refId, deliveryId: result.deliveryId });
  if (result.deliveryId) {
    const seen = await deps.db.execute(sql`
      SELECT 1 FROM callback_deliveries WHERE adapter = ${adapterName} AND delivery_id = ${result.deliveryId}`);
    if (seen.rows.length > 0) return 'duplicate';
  }
  const attempt = await findAttemptByRef(deps.db, adapterName, result.refId);
  if (!attempt) {
    log.warn({ outcome: result.outcome.kind }, 'callback for a reference we never sent');
    return 'ignored';
  }
  let status: CallbackStatus = 'ignored';
  if (result.trust === 'notify-only') {
    const payment = await findPayment(deps.db, attempt.paymentId);
    if (payment && !isFinal(payment.status)) {
      // Open: the worker asks the upstream (with backoff) and settles from its answer.
      const seq = await rescheduleOutbox(deps.db, payment.id, deps.clock.now());
      if (seq !== undefined) await enqueueSafely(deps, { paymentId: payment.id, seq });
      status = 'confirming';
    } else if (payment?.status === 'success' && payment.refId === attempt.refId) {
      // Paid: the notice may be a late refund. Only the upstream's own status answer may reverse it.
      const confirmed = await callStatus(deps, registered, targetOf(payment, attempt));
      if (confirmed.kind === 'refunded') {
        await applyOutcome(deps, payment.id, attempt, confirmed, log);
        status = 'applied';
      }
    }
  } else if (result.outcome.kind !== 'suspect') {
    await applyOutcome(deps, attempt.paymentId, attempt, result.outcome, log);
    status = 'applied';
  }
  if (result.deliveryId) {
    await deps.db.execute(sql`
      INSERT INTO callback_deliveries (adapter, delivery_id, ref_id) VALUES (${adapterName}, ${result.deliveryId}, ${result.refId})
      ON CONFLICT DO NOTHING`);
  }
  return status;
}
