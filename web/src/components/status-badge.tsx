import { statusLabel } from '../format';
import type { PaymentStatus } from '../types';

export function StatusBadge({ status }: { status: PaymentStatus }) {
  return <span class={`badge badge-${status}`}>{statusLabel(status)}</span>;
}
