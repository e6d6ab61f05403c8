/** After a payment changes (and its transaction committed): live events and metrics. */
import type { Deps } from '../deps.js';
import { findUser } from '../members/repository.js';
import { memberBalances } from '../members/service.js';
import { toJsonAmount } from '../money.js';
import type { PaymentRow } from './repository.js';

export async function publishPaymentChange(
  deps: Pick<Deps, 'events' | 'metrics' | 'db' | 'ledger' | 'clock' | 'config'>,
  payment: PaymentRow,
  /** The member's balances after the change, when the caller's statement returned them. */
  balances?: { savingsAccountId: bigint; balance: bigint; available: bigint },
): Promise<void> {
  deps.metrics.payments.inc({ product: payment.product, status: payment.status });
  const event = {
    type: 'payment' as const,
    koperasiId: payment.koperasiId,
    memberId: payment.memberId,
    paymentId: payment.id,
    status: payment.status,
    product: payment.product,
    total: toJsonAmount(payment.total),
    at: deps.clock.now().toISOString(),
  };
  const memberId = payment.memberId;
  // Suspect: money did not move. Cash at the counter: no member balance to tell.
  if (payment.status === 'suspect' || payment.funding === 'cash' || memberId === null) {
    await deps.events.publish(event);
    return;
  }
  const member = balances ? undefined : await findUser(deps.db, payment.koperasiId, memberId);
  const { balance, available } =
    balances ?? (member ? await memberBalances(deps, deps.db, member) : { balance: 0n, available: 0n });
  await deps.events.publish(event, {
    type: 'balance',
    koperasiId: payment.koperasiId,
    memberId,
    balance: toJsonAmount(balance),
    available: toJsonAmount(available),
    at: event.at,
  });
}
