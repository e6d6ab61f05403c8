/**
 * The two forms of account self-service: a new password (POST /v1/me/password) and a new PIN
 * (POST /v1/me/pin). Used on the Akun screen and by the forced change after the first login.
 */
import { useState } from 'preact/hooks';
import { ApiError, api } from '../../api';
import { ErrorMessage, StatusMessage } from '../../components/alert';
import { Field } from '../../components/field';
import { messageFor } from '../../errors';
import type { CredentialsChanged } from '../../types';

const SIMPLE_PIN_HINT = 'Jangan pakai angka yang sama semua (111111) atau berurutan (123456).';

/** The same rule as the server's PIN_TOO_SIMPLE, so the member hears it before sending. */
export function isTooSimplePin(pin: string): boolean {
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => d - digits[i]!));
  return steps.size === 1 && [0, 1, -1].includes([...steps][0]!);
}

interface FormProps {
  /** The token to use (the forced change happens before a session exists). */
  token?: string;
  onChanged: (result: CredentialsChanged) => void;
  /** Shown after a change that keeps the form on screen (the Akun screen). */
  doneMessage?: string;
}

export function PasswordForm({
  token,
  onChanged,
  doneMessage,
  knownCurrent,
}: FormProps & {
  /** The password just typed at the login: not asked again. */
  knownCurrent?: string;
}) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const found: Record<string, string> = {};
    if (knownCurrent === undefined && !current) found.currentPassword = 'Isi kata sandi Anda sekarang.';
    if (next.length < 8) found.newPassword = 'Kata sandi baru paling sedikit 8 karakter.';
    else if (next === (knownCurrent ?? current))
      found.newPassword = 'Kata sandi baru harus berbeda dari kata sandi sekarang.';
    if (again !== next) found.againPassword = 'Kedua kata sandi baru belum sama.';
    setErrors(found);
    setDone(undefined);
    if (Object.keys(found).length > 0) {
      setError('Periksa isian yang ditandai.');
      document.getElementById(`f-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const result = await api<CredentialsChanged>('/v1/me/password', {
        method: 'POST',
        body: { currentPassword: knownCurrent ?? current, newPassword: next },
        token,
      });
      setCurrent('');
      setNext('');
      setAgain('');
      setDone(doneMessage);
      onChanged(result);
    } catch (err) {
      setError(messageFor(err));
      if (err instanceof ApiError && err.code === 'CURRENT_PASSWORD_WRONG') setCurrent('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="card account-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby="password-title"
    >
      <h2 id="password-title">Ganti kata sandi</h2>
      {knownCurrent === undefined && (
        <Field
          label="Kata sandi sekarang"
          name="currentPassword"
          type="password"
          value={current}
          onValue={setCurrent}
          autocomplete="current-password"
          error={errors.currentPassword}
          required
        />
      )}
      <Field
        label="Kata sandi baru"
        name="newPassword"
        type="password"
        value={next}
        onValue={setNext}
        autocomplete="new-password"
        hint="Paling sedikit 8 karakter. Jangan beri tahu siapa pun, termasuk pengurus koperasi."
        error={errors.newPassword}
        required
      />
      <Field
        label="Ulangi kata sandi baru"
        name="againPassword"
        type="password"
        value={again}
        onValue={setAgain}
        autocomplete="new-password"
        error={errors.againPassword}
        required
      />
      <ErrorMessage message={error} />
      <StatusMessage message={done} tone="success" />
      <button type="submit" class="button primary block" disabled={busy} aria-busy={busy}>
        {busy ? 'Menyimpan…' : 'Simpan kata sandi'}
      </button>
    </form>
  );
}

export function PinForm({
  token,
  onChanged,
  doneMessage,
  currentLabel = 'PIN sekarang',
}: FormProps & {
  currentLabel?: string;
}) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const digits = (set: (v: string) => void) => (v: string) => set(v.replace(/\D/g, '').slice(0, 6));

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const found: Record<string, string> = {};
    if (!/^\d{6}$/.test(current)) found.currentPin = 'Isi PIN 6 angka.';
    if (!/^\d{6}$/.test(next)) found.newPin = 'PIN baru harus 6 angka.';
    else if (isTooSimplePin(next)) found.newPin = `PIN terlalu mudah ditebak. ${SIMPLE_PIN_HINT}`;
    else if (next === current) found.newPin = 'PIN baru harus berbeda dari PIN sekarang.';
    if (again !== next) found.againPin = 'Kedua PIN baru belum sama.';
    setErrors(found);
    setDone(undefined);
    if (Object.keys(found).length > 0) {
      setError('Periksa isian yang ditandai.');
      document.getElementById(`f-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const result = await api<CredentialsChanged>('/v1/me/pin', {
        method: 'POST',
        body: { currentPin: current, newPin: next },
        token,
      });
      setCurrent('');
      setNext('');
      setAgain('');
      setDone(doneMessage);
      onChanged(result);
    } catch (err) {
      setError(messageFor(err));
      setCurrent('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card account-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="pin-title">
      <h2 id="pin-title">Ganti PIN</h2>
      <Field
        label={currentLabel}
        name="currentPin"
        type="password"
        inputMode="numeric"
        maxLength={6}
        value={current}
        onValue={digits(setCurrent)}
        autocomplete="off"
        error={errors.currentPin}
        required
      />
      <Field
        label="PIN baru (6 angka)"
        name="newPin"
        type="password"
        inputMode="numeric"
        maxLength={6}
        value={next}
        onValue={digits(setNext)}
        autocomplete="off"
        hint={SIMPLE_PIN_HINT}
        error={errors.newPin}
        required
      />
      <Field
        label="Ulangi PIN baru"
        name="againPin"
        type="password"
        inputMode="numeric"
        maxLength={6}
        value={again}
        onValue={digits(setAgain)}
        autocomplete="off"
        error={errors.againPin}
        required
      />
      <ErrorMessage message={error} />
      <StatusMessage message={done} tone="success" />
      <button type="submit" class="button primary block" disabled={busy} aria-busy={busy}>
        {busy ? 'Menyimpan…' : 'Simpan PIN'}
      </button>
    </form>
  );
}
