/** A savings movement as GET /v1/me/mutasi and /v1/members/{no}/mutasi send it, and how people read it. */
import { productName } from './format';

export interface Movement {
  txId: string;
  at: string;
  kind: 'deposit' | 'payment' | 'refund' | 'other';
  amount: number;
  balanceAfter: number;
  paymentId: string | null;
  product: string | null;
  note: string | null;
  /** A deposit correction: the deposit it takes back. */
  reversesTxId?: string | null;
}

export interface MutasiPage {
  items: Movement[];
  nextCursor: string | null;
}

/** "Setoran simpanan", "Pembayaran PLN Pascabayar", "Dana kembali · PLN Pascabayar"; the deposit's reference on request. */
export function describeMovement(m: Movement, options: { note?: boolean } = {}): string {
  const product = m.product ? productName(m.product) : undefined;
  switch (m.kind) {
    case 'deposit':
      return options.note && m.note ? `Setoran simpanan · ${m.note}` : 'Setoran simpanan';
    case 'payment':
      return product ? `Pembayaran ${product}` : 'Pembayaran';
    case 'refund':
      return product ? `Dana kembali · ${product}` : 'Dana kembali';
    case 'other':
      if (m.reversesTxId) return m.note ? `Koreksi setoran · ${m.note}` : 'Koreksi setoran';
      return 'Koreksi';
  }
}

/** "+Rp 300.000" in, "-Rp 52.075" out. */
export const signedRupiah = (amount: number, rupiah: (n: number) => string) =>
  amount > 0 ? `+${rupiah(amount)}` : rupiah(amount);
