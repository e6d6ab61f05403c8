/** "Akun": who I am, and changing my password and (members) my PIN. */
import { PageTitle } from '../../components/page-title';
import type { Me } from '../../types';
import { PasswordForm, PinForm } from './credential-forms';
import { ForgotHelp } from './forgot-help';

export function AccountScreen({ me }: { me: Me }) {
  // The current token stays valid until it expires; the new one is used from the next login on.
  const ignore = () => undefined;
  return (
    <>
      <PageTitle title="Akun">Akun</PageTitle>
      <dl class="card account-who">
        <dt>Nama</dt>
        <dd>{me.name}</dd>
        <dt>{me.role === 'member' ? 'Nomor anggota' : 'Nama pengguna'}</dt>
        <dd>{me.memberNo ?? me.username}</dd>
        <dt>Koperasi</dt>
        <dd>{me.koperasi.name}</dd>
      </dl>
      <div class="account-forms">
        <PasswordForm
          onChanged={ignore}
          doneMessage="Kata sandi baru tersimpan. Pakai kata sandi ini saat masuk berikutnya."
        />
        {me.role === 'member' && (
          <PinForm
            onChanged={ignore}
            doneMessage="PIN baru tersimpan. Pakai PIN ini untuk pembayaran berikutnya."
          />
        )}
      </div>
      <ForgotHelp code={me.koperasi.code} />
    </>
  );
}
