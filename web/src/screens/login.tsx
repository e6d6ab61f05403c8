/**
 * Sign in with the koperasi code, a username (treasurer, pengawas) or member number (member), and the
 * password; or, as office staff of the Dinas Koperasi (or a platform operator), with username and password
 * only (POST /v1/auth/office-token).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, post } from '../api';
import { ErrorMessage } from '../components/alert';
import { Field } from '../components/field';
import { PageTitle } from '../components/page-title';
import { messageFor } from '../errors';
import { href, useRoute } from '../router';
import { session, sessionEnd } from '../session';
import type { TokenResponse } from '../types';
import { ForcedChange } from './account/forced-change';
import { ForgotHelp } from './account/forgot-help';

const LAST_KOPERASI = 'pintu.koperasi';
/** "#/dinas" opens the office sign-in (a link office staff can bookmark). */
const OFFICE_PATH = 'dinas';

function remembered(): string {
  try {
    return localStorage.getItem(LAST_KOPERASI) ?? '';
  } catch {
    return '';
  }
}

export function Login() {
  const office = useRoute()[0] === OFFICE_PATH;
  const [koperasi, setKoperasi] = useState(remembered);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | undefined>(() => sessionEnd.take());
  const [busy, setBusy] = useState(false);
  /** Signed in with credentials someone else chose: they are replaced before the session starts. */
  const [pending, setPending] = useState<{ login: TokenResponse; password: string; code: string } | null>(
    null,
  );

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    // Sent as typed: the server accepts the code in any case (a phone capitalises the first letter).
    const code = koperasi.trim();
    const user = username.trim();
    const found: Record<string, string> = {};
    if (!office && !/^[A-Za-z0-9][A-Za-z0-9-]{1,31}$/.test(code))
      found.koperasi = 'Isi kode koperasi (huruf, angka dan -, 2–32 karakter).';
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/.test(user))
      found.username = office ? 'Isi nama pengguna.' : 'Isi nama pengguna atau nomor anggota.';
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
      const token = office
        ? await post<TokenResponse>('/v1/auth/office-token', { username: user, password })
        : await post<TokenResponse>('/v1/auth/token', { koperasi: code, username: user, password });
      try {
        if (!office) localStorage.setItem(LAST_KOPERASI, code);
      } catch {
        // not remembered; harmless
      }
      if (token.mustChange) {
        setPending({ login: token, password, code });
        setPassword('');
        setBusy(false);
        return;
      }
      session.set({
        token: token.accessToken,
        role: token.role,
        expiresAt: Date.now() + token.expiresIn * 1000 - 30_000,
      });
    } catch (err) {
      setError(
        office && err instanceof ApiError && err.code === 'INVALID_CREDENTIALS'
          ? 'Nama pengguna atau kata sandi salah.'
          : messageFor(err),
      );
      setPassword('');
      setBusy(false);
    }
  };

  // A switch between the two forms starts clean: the other form's errors do not apply.
  const shownForm = useRef(office);
  useEffect(() => {
    if (shownForm.current === office) return; // first render: keep the "session ended" message
    shownForm.current = office;
    setErrors({});
    setError(undefined);
    setPassword('');
  }, [office]);

  if (pending)
    return (
      <ForcedChange
        login={pending.login}
        password={pending.password}
        koperasiCode={pending.code}
        onCancel={() => setPending(null)}
      />
    );

  return (
    <main id="main" class="login" tabIndex={-1}>
      <div class="login-card">
        <p class="brand-line">
          <span class="logo" aria-hidden="true">
            P
          </span>{' '}
          Pintu
        </p>
        <PageTitle title="Masuk">{office ? 'Masuk sebagai petugas Dinas' : 'Masuk'}</PageTitle>
        <p class="muted" aria-live="polite">
          {office
            ? 'Untuk petugas Dinas Koperasi dan operator platform: pantau semua koperasi di wilayah Anda.'
            : 'Bayar listrik, air dan BPJS Kesehatan dari simpanan koperasi Anda.'}
        </p>
        <form onSubmit={(e) => void submit(e)} noValidate>
          {!office && (
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
          )}
          <Field
            label={office ? 'Nama pengguna' : 'Nama pengguna atau nomor anggota'}
            name="username"
            value={username}
            onValue={setUsername}
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            hint={
              office
                ? 'Nama pengguna dari operator platform.'
                : 'Anggota: nomor anggota, mis. A-001. Bendahara dan pengawas: nama pengguna.'
            }
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
        {!office && <ForgotHelp code={koperasi} />}
        <p class="login-switch">
          {/* Links, not buttons: the form has exactly one button named "Masuk". */}
          {office ? (
            <a href={href()}>Masuk sebagai anggota atau pengurus koperasi</a>
          ) : (
            <a href={href(OFFICE_PATH)}>Masuk sebagai petugas Dinas</a>
          )}
        </p>
      </div>
    </main>
  );
}
