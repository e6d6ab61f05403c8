/** After a payment changes (and its transaction committed): live events and metrics. */
import type { Deps } from '../deps.js';
import { findUser } from '../members/repository.js';
import { publishBalance } from '../members/service.js';
import { toJsonAmount } from '../money.js';
import type { PaymentRow } from './repository.js';

export async function publishPaymentChange(
  deps: Pick<Deps, 'events' | 'metrics' | 'db' | 'ledger' | 'clock' | 'config'>,
  payment: PaymentRow,
  /** The member's balances after the change, when the caller's statement returned them. */
  balances?: { savingsAccountId: bigint; balance: bigint; available: bigint },
): Promise<void> {
  deps.metrics.payments.inc({ product: payment.product, status: payment.status });
  await deps.events.publish({
    type: 'payment',
    koperasiId: payment.koperasiId,
    memberId: payment.memberId,
    paymentId: payment.id,
    status: payment.status,
    product: payment.product,
    total: toJsonAmount(payment.total),
    at: deps.clock.now().toISOString(),
  });
  if (payment.status === 'suspect') return; // money did not move
  if (balances) {
    const { savingsAccountId, ...known } = balances;
    await publishBalance(deps, { id: payment.memberId, koperasiId: payment.koperasiId, savingsAccountId }, known);
    return;
  }
  const member = await findUser(deps.db, payment.koperasiId, payment.memberId);
  if (member) await publishBalance(deps, member);
}
