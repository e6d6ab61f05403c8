/**
 * "Bagikan struk": the phone's share sheet with the struk PDF where the browser can share files
 * (navigator.canShare({files})); everywhere else a WhatsApp text (wa.me) with what the struk says: product, name,
 * customer number, period or kWh, total, date (WIB) and, for a PLN token, the token in groups of four.
 */
import { useState } from 'preact/hooks';
import { request } from '../api';
import { messageFor } from '../errors';
import { period, productName, rupiah, tokenKwh, wibDateTime } from '../format';
import type { Payment } from '../types';
import { ErrorMessage } from './alert';

/** The token as people read it out: 20 digits in groups of four. */
export const tokenGroups = (token: string) => (token.replace(/\D/g, '').match(/.{1,4}/g) ?? []).join(' ');

export function receiptShareText(payment: Payment): string {
  const lines = [`Struk ${productName(payment.product)}`, `Nama: ${payment.customerName}`];
  lines.push(`${payment.token ? 'Nomor meter' : 'Nomor pelanggan'}: ${payment.customerNo}`);
  if (payment.periods.length > 0) lines.push(`Periode: ${payment.periods.map(period).join(', ')}`);
  const energy = tokenKwh(payment.upstreamRef);
  if (energy) lines.push(`Jumlah listrik: ${energy}`);
  if (payment.token) lines.push(`Token: ${tokenGroups(payment.token)}`);
  lines.push(`Total: ${rupiah(payment.total)}`);
  lines.push(`Waktu: ${wibDateTime(payment.finishedAt ?? payment.createdAt)}`);
  lines.push(`ID transaksi: ${payment.id}`);
  if (payment.token) lines.push('Masukkan 20 angka token ini ke meteran listrik.');
  return lines.join('\n');
}

/** Whether this browser can put a PDF in the share sheet. */
function canShareFiles(): boolean {
  try {
    return (
      typeof navigator.share === 'function' &&
      typeof navigator.canShare === 'function' &&
      navigator.canShare({ files: [new File(['%PDF-'], 'struk.pdf', { type: 'application/pdf' })] })
    );
  } catch {
    return false;
  }
}

export function ShareReceipt({ payment }: { payment: Payment }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const text = receiptShareText(payment);
  const whatsApp = `https://wa.me/?text=${encodeURIComponent(text)}`;
  if (!canShareFiles()) {
    return (
      <a
        class="button secondary"
        href={whatsApp}
        target="_blank"
        rel="noopener noreferrer"
        data-share="whatsapp"
      >
        Bagikan struk
      </a>
    );
  }
  const share = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const response = await request(`/v1/payments/${encodeURIComponent(payment.id)}/receipt`, {
        headers: { accept: 'application/pdf' },
      });
      const name = `struk-${payment.id}.pdf`;
      const file = new File([await response.blob()], name, { type: 'application/pdf' });
      await navigator.share({ files: [file], title: `Struk ${productName(payment.product)}`, text });
    } catch (err) {
      // The member closed the share sheet: nothing to say.
      if (err instanceof DOMException && err.name === 'AbortError') return;
      setError(messageFor(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        class="button secondary"
        onClick={() => void share()}
        disabled={busy}
        aria-busy={busy}
        data-share="file"
      >
        {busy ? 'Menyiapkan struk…' : 'Bagikan struk'}
      </button>
      {error && <ErrorMessage message={error} />}
    </>
  );
}
