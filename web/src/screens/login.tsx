/** Sign in with the koperasi code, a username (treasurer) or member number (member), and the password. */
import { useState } from 'preact/hooks';
import { post } from '../api';
import { ErrorMessage } from '../components/alert';
import { Field } from '../components/field';
import { PageTitle } from '../components/page-title';
import { messageFor } from '../errors';
import { session, sessionEnd } from '../session';
import type { TokenResponse } from '../types';

const LAST_KOPERASI = 'pintu.koperasi';

function remembered(): string {
  try {
    return localStorage.getItem(LAST_KOPERASI) ?? '';
  } catch {
    return '';
  }
}

export function Login() {
  const [koperasi, setKoperasi] = useState(remembered);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | undefined>(() => sessionEnd.take());
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const code = koperasi.trim().toLowerCase();
    const user = username.trim();
    const found: Record<string, string> = {};
    if (!/^[a-z0-9][a-z0-9-]{1,31}$/.test(code))
      found.koperasi = 'Isi kode koperasi (huruf kecil, angka dan -, 2–32 karakter).';
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/.test(user))
      found.username = 'Isi nama pengguna atau nomor anggota.';
    if (!password) found.password = 'Isi kata sandi.';
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setError('Periksa isian yang ditandai.');
      document.getElementById(`f-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const token = await post<TokenResponse>('/v1/auth/token', { koperasi: code, username: user, password });
      try {
        localStorage.setItem(LAST_KOPERASI, code);
      } catch {
        // not remembered; harmless
      }
      session.set({
        token: token.accessToken,
        role: token.role,
        expiresAt: Date.now() + token.expiresIn * 1000 - 30_000,
      });
    } catch (err) {
      setError(messageFor(err));
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <main id="main" class="login" tabIndex={-1}>
      <div class="login-card">
        <p class="brand-line">
          <span class="logo" aria-hidden="true">
            P
          </span>{' '}
          Pintu
        </p>
        <PageTitle title="Masuk">Masuk</PageTitle>
        <p class="muted">Bayar listrik, air dan BPJS Kesehatan dari simpanan koperasi Anda.</p>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Field
            label="Kode koperasi"
            name="koperasi"
            value={koperasi}
            onValue={setKoperasi}
            autocomplete="organization"
            autocapitalize="none"
            spellcheck={false}
            error={errors.koperasi}
            required
          />
          <Field
            label="Nama pengguna atau nomor anggota"
            name="username"
            value={username}
            onValue={setUsername}
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            hint="Anggota: nomor anggota, mis. A-001. Bendahara: nama pengguna."
            error={errors.username}
            required
          />
          <Field
            label="Kata sandi"
            name="password"
            type="password"
            value={password}
            onValue={setPassword}
            autocomplete="current-password"
            error={errors.password}
            required
          />
          <ErrorMessage message={error} />
          <button type="submit" class="button primary block" disabled={busy} aria-busy={busy}>
            {busy ? 'Memeriksa…' : 'Masuk'}
          </button>
        </form>
      </div>
    </main>
  );
}
