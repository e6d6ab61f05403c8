/** Register a member: number (their login), name, phone, first password and PIN. */
import { useState } from 'preact/hooks';
import { post } from '../../api';
import { ErrorMessage, StatusMessage } from '../../components/alert';
import { Field } from '../../components/field';
import { PageTitle } from '../../components/page-title';
import { messageFor } from '../../errors';
import { href } from '../../router';
import type { Member } from '../../types';

type Form = { memberNo: string; name: string; phone: string; password: string; pin: string };
const EMPTY: Form = { memberNo: '', name: '', phone: '', password: '', pin: '' };

function validate(form: Form): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/.test(form.memberNo.trim()))
    errors.memberNo = 'Huruf, angka dan -, 1–32 karakter, mis. A-100.';
  if (!form.name.trim()) errors.name = 'Isi nama anggota.';
  if (form.phone.trim() && !/^\+?\d{8,15}$/.test(form.phone.trim()))
    errors.phone = '8–15 angka, boleh diawali +.';
  if (form.password.length < 8) errors.password = 'Minimal 8 karakter.';
  if (!/^\d{6}$/.test(form.pin)) errors.pin = 'Tepat 6 angka.';
  return errors;
}

export function RegisterMember() {
  const [form, setForm] = useState<Form>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<Member>();
  const [busy, setBusy] = useState(false);
  const set = (key: keyof Form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const found = validate(form);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setError('Periksa isian yang ditandai.');
      document.getElementById(`f-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const body: Record<string, string> = {
        memberNo: form.memberNo.trim(),
        name: form.name.trim(),
        password: form.password,
        pin: form.pin,
      };
      if (form.phone.trim()) body.phone = form.phone.trim();
      setDone(await post<Member>('/v1/members', body));
      setForm(EMPTY);
    } catch (err) {
      setError(messageFor(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle title="Daftarkan anggota">Daftarkan anggota</PageTitle>
      <p>
        <a href={href('anggota')}>← Daftar anggota</a>
      </p>
      <form class="card" onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label="Nomor anggota"
          name="memberNo"
          value={form.memberNo}
          onValue={set('memberNo')}
          autocapitalize="characters"
          hint="Dipakai anggota untuk masuk."
          error={errors.memberNo}
          required
        />
        <Field
          label="Nama lengkap"
          name="name"
          value={form.name}
          onValue={set('name')}
          autocomplete="off"
          error={errors.name}
          required
        />
        <Field
          label="Nomor HP (opsional)"
          name="phone"
          type="tel"
          value={form.phone}
          onValue={set('phone')}
          inputMode="tel"
          error={errors.phone}
        />
        <Field
          label="Kata sandi awal"
          name="password"
          type="password"
          value={form.password}
          onValue={set('password')}
          autocomplete="new-password"
          hint="Minimal 8 karakter."
          error={errors.password}
          required
        />
        <Field
          label="PIN pembayaran"
          name="pin"
          type="password"
          value={form.pin}
          onValue={(v) => set('pin')(v.replace(/\D/g, '').slice(0, 6))}
          inputMode="numeric"
          maxLength={6}
          autocomplete="off"
          hint="6 angka, untuk mengonfirmasi pembayaran."
          error={errors.pin}
          required
        />
        <ErrorMessage message={error} />
        <StatusMessage
          message={done ? `Anggota ${done.name} (${done.memberNo}) terdaftar.` : undefined}
          tone="success"
        />
        <div class="actions">
          <button type="submit" class="button primary" disabled={busy} aria-busy={busy}>
            {busy ? 'Menyimpan…' : 'Daftarkan'}
          </button>
          {done && (
            <a class="button secondary" href={href('anggota', done.memberNo, 'setor')}>
              Setor simpanan {done.name}
            </a>
          )}
        </div>
      </form>
    </>
  );
}
