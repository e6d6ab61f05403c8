/** "Kembalikan uang tunai Rp … kepada pelanggan" and the button that records it was handed back (once). */
import { useState } from 'preact/hooks';
import { post } from '../../api';
import { ErrorMessage } from '../../components/alert';
import { messageFor } from '../../errors';
import { rupiah } from '../../format';
import { RetryableKey } from '../../idempotency';

const keys = new RetryableKey();

export function CashReturn(props: {
  paymentId: string;
  total: number;
  label?: string;
  compact?: boolean;
  onReturned: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const returned = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await post(`/v1/counter/payments/${props.paymentId}/cash-returned`, undefined, {
        'idempotency-key': keys.for({ paymentId: props.paymentId }),
      });
      keys.answered();
      props.onReturned();
    } catch (err) {
      setError(messageFor(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      class={`counter-return${props.compact ? ' compact' : ' alert alert-error'}`}
      role={props.compact ? undefined : 'alert'}
    >
      <strong class="block">
        Kembalikan uang tunai {rupiah(props.total)} kepada pelanggan
        {props.label ? ` — ${props.label}` : ''}
      </strong>
      <button
        type="button"
        class="button danger"
        onClick={() => void returned()}
        disabled={busy}
        aria-busy={busy}
      >
        Uang sudah dikembalikan
      </button>
      <ErrorMessage message={error} />
    </div>
  );
}
