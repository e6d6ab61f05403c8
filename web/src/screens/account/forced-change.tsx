/**
 * After a first login (or a password reset by the treasurer) the account must set its own password —
 * and a member their own PIN — before anything else. The app behind it is not shown: the session
 * starts only when the server's answer says nothing is left to change.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { ErrorMessage } from '../../components/alert';
import { PageTitle } from '../../components/page-title';
import { messageFor } from '../../errors';
import { session } from '../../session';
import type { CredentialsChanged, Me, TokenResponse } from '../../types';
import { ForgotHelp } from './forgot-help';
import { PasswordForm, PinForm } from './credential-forms';

export function ForcedChange({
  login,
  password,
  koperasiCode,
  onCancel,
}: {
  login: TokenResponse;
  /** The password just used to sign in: the current one. */
  password: string;
  koperasiCode: string;
  onCancel: () => void;
}) {
  const [token, setToken] = useState(login.accessToken);
  const [steps, setSteps] = useState<{ password: boolean; pin: boolean } | null>(null);
  const [error, setError] = useState<string>();

  // What is left to change (a member may have set the password already, then closed the app).
  useEffect(() => {
    api<Me>('/v1/me', { token: login.accessToken })
      .then((me) =>
        setSteps({
          password: me.mustChangePassword ?? true,
          pin: me.role === 'member' && (me.mustChangePin ?? true),
        }),
      )
      .catch((e: unknown) => setError(messageFor(e)));
  }, [login.accessToken]);

  const changed = (result: CredentialsChanged) => {
    setToken(result.accessToken);
    if (!result.mustChange) {
      session.set({
        token: result.accessToken,
        role: result.role,
        expiresAt: Date.now() + result.expiresIn * 1000 - 30_000,
      });
      return;
    }
    setSteps({ password: result.mustChangePassword, pin: result.mustChangePin });
  };

  const member = login.role === 'member';
  return (
    <main id="main" class="login forced-change" tabIndex={-1}>
      <div class="login-card">
        <PageTitle title="Buat kata sandi dan PIN baru">
          {member ? 'Buat kata sandi dan PIN Anda sendiri' : 'Buat kata sandi Anda sendiri'}
        </PageTitle>
        <p class="muted">
          {member
            ? 'Kata sandi dan PIN ini dibuat oleh bendahara. Demi keamanan simpanan Anda, ganti keduanya dengan milik Anda sendiri sebelum memakai aplikasi.'
            : 'Kata sandi ini dibuat oleh orang lain. Demi keamanan, ganti dengan milik Anda sendiri sebelum melanjutkan.'}
        </p>
        <ErrorMessage message={error} />
        {steps && member && (
          <ol class="steps" aria-label="Langkah">
            <li aria-current={steps.password ? 'step' : undefined}>
              Kata sandi baru{!steps.password ? ' ✓' : ''}
            </li>
            <li aria-current={!steps.password && steps.pin ? 'step' : undefined}>PIN baru</li>
          </ol>
        )}
        {steps?.password && <PasswordForm token={token} knownCurrent={password} onChanged={changed} />}
        {steps && !steps.password && steps.pin && (
          <>
            <p class="alert alert-success" role="status">
              Kata sandi baru tersimpan. Sekarang buat PIN baru untuk membayar tagihan.
            </p>
            <PinForm token={token} currentLabel="PIN dari bendahara" onChanged={changed} />
            <ForgotHelp code={koperasiCode} label="Lupa PIN dari bendahara?" />
          </>
        )}
        <p class="login-switch">
          <button type="button" class="button link" onClick={onCancel}>
            Batal dan keluar
          </button>
        </p>
      </div>
    </main>
  );
}
