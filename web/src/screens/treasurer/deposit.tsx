/**
 * Record a savings deposit for one member. Money moves, so the request carries an Idempotency-Key:
 * new for each confirmation, reused when the answer to the previous one was lost.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, get, post } from '../../api';
import { ErrorMessage, StatusMessage } from '../../components/alert';
import { Field } from '../../components/field';
import { PageTitle } from '../../components/page-title';
import { messageFor } from '../../errors';
import { parseRupiah, rupiah } from '../../format';
import { RetryableKey } from '../../idempotency';
import { href } from '../../router';
import type { DepositResult, Member } from '../../types';
import { DepositReceipt } from './deposit-receipt';

export function DepositScreen({ memberNo }: { memberNo: string }) {
  const [member, setMember] = useState<Member | null>(null);
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('Setoran tunai');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [receiptId, setReceiptId] = useState<string>();
  const [busy, setBusy] = useState(false);
  const key = useMemo(() => new RetryableKey(), []);

  useEffect(() => {
    get<Member>(`/v1/members/${encodeURIComponent(memberNo)}`)
      .then(setMember)
      .catch((e: unknown) => setError(messageFor(e)));
  }, [memberNo]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const value = parseRupiah(amount);
    const found: Record<string, string> = {};
    if (value === undefined || value <= 0)
      found.amount = 'Isi nominal dalam rupiah, angka saja (mis. 300000 atau 300.000).';
    if (!reference.trim()) found.reference = 'Isi keterangan setoran.';
    setErrors(found);
    if (Object.keys(found).length > 0 || value === undefined) {
      setError('Periksa isian yang ditandai.');
      document.getElementById(`f-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    setReceiptId(undefined);
    const body = { amount: value, reference: reference.trim() };
    try {
      const result = await post<DepositResult>(`/v1/members/${encodeURIComponent(memberNo)}/deposits`, body, {
        'idempotency-key': key.for(body),
      });
      key.answered();
      setMember((m) => (m ? { ...m, balance: result.balance, available: result.available } : m));
      setDone(
        `Setoran ${rupiah(result.amount)} untuk ${member?.name ?? memberNo} tercatat. Saldo baru: ${rupiah(result.balance)}.`,
      );
      setReceiptId(result.transactionId);
      setAmount('');
    } catch (err) {
      if (err instanceof ApiError && err.isNetwork) {
        setError(
          'Koneksi terputus sebelum ada jawaban. Tekan “Catat setoran” lagi: setoran yang sama tidak akan tercatat dua kali.',
        );
      } else {
        key.answered();
        setError(messageFor(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const preview = parseRupiah(amount);
  return (
    <>
      <PageTitle title="Setor simpanan">Setor simpanan</PageTitle>
      <p>
        <a href={href('anggota')}>← Daftar anggota</a> ·{' '}
        <a href={href('anggota', memberNo)}>Halaman anggota</a>
      </p>
      {member && (
        <section class="card" aria-label="Anggota">
          <p>
            <strong>{member.name}</strong> <span class="muted">({member.memberNo})</span>
          </p>
          <p>
            Saldo: <strong data-testid="member-balance">{rupiah(member.balance)}</strong>
          </p>
        </section>
      )}
      <form class="card" onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label="Nominal setoran (Rp)"
          name="amount"
          value={amount}
          onValue={setAmount}
          inputMode="numeric"
          autocomplete="off"
          hint={preview ? `= ${rupiah(preview)}` : 'Angka saja, mis. 300000.'}
          error={errors.amount}
          required
        />
        <Field
          label="Keterangan"
          name="reference"
          value={reference}
          onValue={setReference}
          maxLength={64}
          error={errors.reference}
          required
        />
        <ErrorMessage message={error} />
        <StatusMessage message={done} tone="success" />
        {receiptId && <DepositReceipt depositId={receiptId} />}
        <button type="submit" class="button primary block" disabled={busy} aria-busy={busy}>
          {busy ? 'Menyimpan…' : 'Catat setoran'}
        </button>
      </form>
    </>
  );
}
