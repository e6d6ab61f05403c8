/** The treasurer's own phone/WhatsApp number: what members see under "Butuh bantuan?". */
import { useEffect, useState } from 'preact/hooks';
import { get, put } from '../../api';
import { ErrorMessage, StatusMessage } from '../../components/alert';
import { messageFor } from '../../errors';
import type { Me } from '../../types';

export function HelpPhoneForm() {
  const [phone, setPhone] = useState('');
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    get<Me>('/v1/me')
      .then((me) => setPhone(me.phone ?? ''))
      .catch(() => undefined);
  }, []);

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setNotice(undefined);
    try {
      const saved = await put<{ phone: string | null }>('/v1/me/phone', { phone: phone.trim() || null });
      setNotice(
        saved.phone
          ? `Anggota yang butuh bantuan akan diarahkan ke ${saved.phone}.`
          : 'Nomor bantuan dihapus; anggota diarahkan ke kantor koperasi.',
      );
      setError(undefined);
    } catch (err) {
      setError(messageFor(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card help-phone" onSubmit={(e) => void save(e)} noValidate>
      <div class="field">
        <label for="help-phone">Nomor HP/WhatsApp bendahara untuk bantuan anggota</label>
        <input
          id="help-phone"
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          placeholder="08xxxxxxxxxx"
          value={phone}
          onInput={(e) => setPhone(e.currentTarget.value)}
        />
      </div>
      <button type="submit" class="button secondary" disabled={busy} aria-busy={busy}>
        {busy ? 'Menyimpan…' : 'Simpan nomor bantuan'}
      </button>
      <StatusMessage message={notice} tone="success" />
      <ErrorMessage message={error} />
    </form>
  );
}
