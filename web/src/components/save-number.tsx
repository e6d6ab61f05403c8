/** "Simpan nomor ini" after a payment: a nickname (the customer's name to start with) and one button. */
import { useState } from 'preact/hooks';
import { ApiError, post } from '../api';
import { messageFor } from '../errors';
import { useSavedNumbers } from '../saved-numbers';
import type { Payment, SavedNumber } from '../types';
import { ErrorMessage, StatusMessage } from './alert';
import { Field } from './field';

export function SaveNumber({ payment }: { payment: Payment }) {
  const { items, reload } = useSavedNumbers();
  const [nickname, setNickname] = useState(payment.customerName.trim().slice(0, 40));
  const [error, setError] = useState<string>();
  const [fieldError, setFieldError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();
  if (items === null) return null;
  const saved = items.find((s) => s.product === payment.product && s.customerNo === payment.customerNo);
  if (saved) {
    return (
      <p class="saved-note" data-testid="saved-note">
        {done ?? `Nomor ini tersimpan sebagai “${saved.nickname}”.`}
      </p>
    );
  }

  const save = async (e: Event) => {
    e.preventDefault();
    const name = nickname.trim();
    if (name.length === 0 || name.length > 40) {
      setFieldError('Isi nama 1–40 huruf, misalnya “Rumah Ibu”.');
      return;
    }
    setFieldError(undefined);
    setBusy(true);
    try {
      const created = await post<SavedNumber>('/v1/me/saved-numbers', {
        paymentId: payment.id,
        nickname: name,
      });
      setDone(`Nomor ini tersimpan sebagai “${created.nickname}”. Lain kali cukup ketuk namanya.`);
      setError(undefined);
      await reload();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'SAVED_NUMBER_EXISTS') await reload();
      else setError(messageFor(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="save-number" onSubmit={(e) => void save(e)} noValidate aria-labelledby="save-number-title">
      <h3 id="save-number-title" class="h3">
        Simpan nomor ini
      </h3>
      <p class="muted small">Supaya bulan depan cukup sekali ketuk.</p>
      <Field
        label="Nama untuk nomor ini"
        name="nickname"
        value={nickname}
        onValue={setNickname}
        maxLength={40}
        autocomplete="off"
        hint="Contoh: Rumah Ibu, Kios, Kontrakan"
        error={fieldError}
      />
      <ErrorMessage message={error} />
      <StatusMessage message={done} tone="success" />
      <button type="submit" class="button secondary" disabled={busy} aria-busy={busy}>
        {busy ? 'Menyimpan…' : 'Simpan nomor'}
      </button>
    </form>
  );
}
