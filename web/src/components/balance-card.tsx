import { rupiah } from '../format';
import type { Me } from '../types';

/** Savings and what can be spent now; the difference is held for payments in flight. */
export function BalanceCard({ me }: { me: Me }) {
  const balance = me.balance ?? 0;
  const available = me.available ?? 0;
  return (
    <section class="card balance" aria-labelledby="balance-title">
      <h2 id="balance-title" class="card-label">
        Saldo simpanan
      </h2>
      <p class="balance-amount" data-testid="balance">
        {rupiah(balance)}
      </p>
      <p>
        Saldo tersedia: <strong data-testid="available">{rupiah(available)}</strong>
      </p>
      {available !== balance && (
        <p class="muted small">
          {rupiah(balance - available)} sedang ditahan untuk pembayaran yang diproses.
        </p>
      )}
    </section>
  );
}
