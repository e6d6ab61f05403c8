/** The treasurer's console: live payments, members and deposits, fees, suspect payments, reports. */
import { useEffect, useState } from 'preact/hooks';
import { get } from '../../api';
import { ErrorMessage } from '../../components/alert';
import { Shell } from '../../components/shell';
import { messageFor } from '../../errors';
import { useRoute } from '../../router';
import type { Me } from '../../types';
import { PaymentDetail } from '../payment-detail';
import { DepositScreen } from './deposit';
import { Fees } from './fees';
import { LiveFeed } from './feed';
import { Members } from './members';
import { RegisterMember } from './register-member';
import { Reports } from './reports';
import { Suspects } from './suspects';

const NAV = [
  { path: '/', label: 'Transaksi' },
  { path: '/anggota', label: 'Anggota' },
  { path: '/suspect', label: 'Perlu konfirmasi' },
  { path: '/biaya', label: 'Biaya' },
  { path: '/laporan', label: 'Laporan' },
];

export function TreasurerApp() {
  const route = useRoute();
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string>();

  useEffect(() => {
    get<Me>('/v1/me')
      .then(setMe)
      .catch((e: unknown) => setError(messageFor(e)));
  }, []);

  const [first, second, third] = route;
  let screen;
  if (first === 'anggota' && second === 'baru') screen = <RegisterMember />;
  else if (first === 'anggota' && second && third === 'setor') screen = <DepositScreen memberNo={second} />;
  else if (first === 'anggota') screen = <Members />;
  else if (first === 'biaya') screen = <Fees />;
  else if (first === 'suspect') screen = <Suspects />;
  else if (first === 'laporan') screen = <Reports />;
  else if (first === 'pembayaran' && second) screen = <PaymentDetail id={second} role="treasurer" />;
  else screen = <LiveFeed />;

  return (
    <Shell
      koperasi={me?.koperasi.name ?? ''}
      user={me ? (me.name === me.username ? `Bendahara ${me.username}` : `${me.name} (bendahara)`) : ''}
      nav={NAV}
      current={`/${first ?? ''}`}
    >
      <ErrorMessage message={error} />
      {screen}
    </Shell>
  );
}
