/** Filter chips by payment status, in the glossary's words ("Semua" = no filter). */
import { STATUS_LABELS } from '../format';
import type { PaymentStatus } from '../types';

const ORDER: PaymentStatus[] = ['success', 'processing', 'suspect', 'failed', 'refunded'];

export function StatusChips({
  value,
  onChange,
}: {
  value: PaymentStatus | undefined;
  onChange: (status: PaymentStatus | undefined) => void;
}) {
  return (
    <div class="chips" role="group" aria-label="Saring menurut status">
      {[undefined, ...ORDER].map((status) => (
        <button
          key={status ?? 'all'}
          type="button"
          class="chip"
          aria-pressed={value === status}
          onClick={() => onChange(status)}
        >
          {status ? STATUS_LABELS[status] : 'Semua'}
        </button>
      ))}
    </div>
  );
}
