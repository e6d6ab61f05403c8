/**
 * A deposit's receipt for the member: the bukti setoran as a PDF and the same facts as a WhatsApp message
 * (to the member's phone when the koperasi knows it). And the correction of a wrong deposit: a new, audited
 * reversing entry with a reason, confirmed once more with the money effect in words.
 */
import { ConfirmEffect } from '../../components/confirm-effect';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, get, post } from '../../api';
import { ErrorMessage } from '../../components/alert';
import { CopyButton } from '../../components/copy-button';
import { download } from '../../download';
import { messageFor } from '../../errors';
import { rupiah } from '../../format';
import { RetryableKey } from '../../idempotency';
import type { CorrectionResult, DepositView } from '../../types';

export function DepositReceipt({ depositId }: { depositId: string }) {
  const [deposit, setDeposit] = useState<DepositView | null>(null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string>();

  useEffect(() => {
    get<DepositView>(`/v1/deposits/${encodeURIComponent(depositId)}`)
      .then(setDeposit)
      .catch((e: unknown) => setError(messageFor(e)));
  }, [depositId]);

  const pdf = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const file = await download(
        `/v1/deposits/${encodeURIComponent(depositId)}/receipt.pdf`,
        `bukti-setoran-${depositId}.pdf`,
      );
      setSaved(`Bukti setoran ${file.name} sudah diunduh.`);
    } catch (e) {
      setError(messageFor(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="receipt-box" aria-label={`Bukti setoran nomor ${depositId}`}>
      <p class="receipt-title">
        <strong>Bukti setoran</strong> <span class="muted small nowrap">No. {depositId}</span>
      </p>
      <div class="actions">
        <button
          type="button"
          class="button secondary"
          onClick={() => void pdf()}
          disabled={busy}
          aria-busy={busy}
        >
          {busy ? 'Mengunduh…' : 'Unduh bukti (PDF)'}
        </button>
        {deposit && (
          <a class="button whatsapp" href={deposit.whatsapp.url} target="_blank" rel="noopener noreferrer">
            {deposit.memberPhone ? 'Kirim lewat WhatsApp' : 'Kirim lewat WhatsApp (pilih kontak)'}
          </a>
        )}
      </div>
      {deposit && (
        <details class="wa-text">
          <summary>Lihat pesan WhatsApp</summary>
          <pre data-testid="wa-text">{deposit.whatsapp.text}</pre>
          <CopyButton text={deposit.whatsapp.text} label="Salin pesan" what="Pesan bukti setoran" small />
        </details>
      )}
      {saved && (
        <p class="muted small" role="status">
          {saved}
        </p>
      )}
      <ErrorMessage message={error} />
    </section>
  );
}

/** "Rp 50.000 ditarik dari simpanan Dewi Lestari": what a correction does, before it is done. */
export const correctionEffect = (amount: number, memberName: string) =>
  `${rupiah(amount)} ditarik dari simpanan ${memberName}`;

export function CorrectionForm({
  depositId,
  amount,
  memberName,
  onDone,
  onCancel,
}: {
  depositId: string;
  amount: number;
  memberName: string;
  onDone: (result: CorrectionResult) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const key = useMemo(() => new RetryableKey(), []);
  const base = `koreksi-${depositId}`;

  const check = (e: Event) => {
    e.preventDefault();
    const text = reason.trim();
    if (text.length < 5) {
      setError('Isi alasan koreksi, paling sedikit 5 huruf (mis. “salah input nominal”).');
      document.getElementById(`${base}-reason`)?.focus();
      return;
    }
    setError(undefined);
    setConfirming(true);
  };

  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    const body = { reason: reason.trim() };
    try {
      const result = await post<CorrectionResult>(
        `/v1/deposits/${encodeURIComponent(depositId)}/correction`,
        body,
        {
          'idempotency-key': key.for(body),
        },
      );
      key.answered();
      onDone(result);
    } catch (err) {
      if (err instanceof ApiError && err.isNetwork) {
        setError(
          'Koneksi terputus sebelum ada jawaban. Tekan “Ya, koreksi” lagi: koreksi tidak akan tercatat dua kali.',
        );
      } else {
        key.answered();
        setConfirming(false);
        setError(correctionRefusal(err));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="correction" onSubmit={check} noValidate aria-label="Koreksi setoran">
      <div class="field">
        <label for={`${base}-reason`}>Alasan koreksi</label>
        <textarea
          id={`${base}-reason`}
          rows={2}
          maxLength={200}
          value={reason}
          required
          aria-describedby={`${base}-hint`}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
        <p class="hint" id={`${base}-hint`}>
          Setoran tidak dihapus: koreksi dicatat sebagai transaksi baru dengan alasan ini dan masuk log audit.
        </p>
      </div>
      <ErrorMessage message={error} />
      {confirming ? (
        <ConfirmEffect
          id={`${base}-effect`}
          effect={
            <>
              <strong>{correctionEffect(amount, memberName)}.</strong> Lanjutkan koreksi?
            </>
          }
          confirmLabel="Ya, koreksi"
          busy={busy}
          onConfirm={() => void confirm()}
          onCancel={() => setConfirming(false)}
        />
      ) : (
        <p class="actions">
          <button type="submit" class="button primary">
            Koreksi setoran
          </button>
          <button type="button" class="button secondary" onClick={onCancel}>
            Tutup
          </button>
        </p>
      )}
    </form>
  );
}

/** The refusals a correction can meet, in words (the API's codes and their `reason`). */
function correctionRefusal(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'INSUFFICIENT_BALANCE')
      return `Saldo anggota sudah kurang dari nominal setoran (sudah terpakai untuk pembayaran), jadi koreksi tidak bisa dilakukan. Dibutuhkan ${rupiah(Number(err.problem.required ?? 0))}.`;
  }
  return messageFor(err);
}
