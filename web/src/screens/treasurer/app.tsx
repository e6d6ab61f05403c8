/**
 * The treasurer's console: live payments, members and deposits, fees, suspect payments, the day's closing, reports, the audit
 * log. The pengawas (supervisory board) sees the same console read-only: every write action is hidden
 * (the API refuses them too).
 */
import { useEffect, useState } from 'preact/hooks';
import { get } from '../../api';
import { ErrorMessage } from '../../components/alert';
import { Shell } from '../../components/shell';
import { messageFor } from '../../errors';
import { useRoute } from '../../router';
import type { Me } from '../../types';
import { PaymentDetail } from '../payment-detail';
import { AuditScreen } from './audit';
import { AutodebetScreen } from './autodebet';
import { ClosingScreen } from './closing';
import { DepositScreen } from './deposit';
import { Fees } from './fees';
import { KasirScreen } from './kasir';
import { LiveFeed } from './feed';
import { MemberPage } from './member-page';
import { Members } from './members';
import { RegisterMember } from './register-member';
import { Reports } from './reports';
import { Suspects } from './suspects';
import { useToday, waitingOf } from './today-strip';

/** The tabs; "Perlu konfirmasi" carries how many payments wait for a person. */
const navOf = (waiting: number) => [
  { path: '/', label: 'Transaksi' },
  { path: '/anggota', label: 'Anggota' },
  { path: '/suspect', label: waiting > 0 ? `Perlu konfirmasi (${waiting})` : 'Perlu konfirmasi' },
  { path: '/tutup-hari', label: 'Tutup hari' },
  { path: '/kasir', label: 'Kasir' },
  { path: '/autodebet', label: 'Autodebet' },
  { path: '/laporan', label: 'Laporan' },
  { path: '/biaya', label: 'Biaya' },
  { path: '/audit', label: 'Audit' },
];

export function TreasurerApp({ readOnly }: { readOnly: boolean }) {
  const route = useRoute();
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string>();
  const today = useToday();

  useEffect(() => {
    get<Me>('/v1/me')
      .then(setMe)
      .catch((e: unknown) => setError(messageFor(e)));
  }, []);

  const [first, second, third] = route;
  let screen;
  if (!readOnly && first === 'anggota' && second === 'baru') screen = <RegisterMember />;
  else if (!readOnly && first === 'anggota' && second && third === 'setor')
    screen = <DepositScreen memberNo={second} />;
  else if (first === 'anggota' && second && !third)
    screen = <MemberPage memberNo={second} readOnly={readOnly} />;
  else if (first === 'anggota') screen = <Members readOnly={readOnly} />;
  else if (first === 'biaya') screen = <Fees readOnly={readOnly} />;
  else if (first === 'suspect') screen = <Suspects readOnly={readOnly} />;
  else if (first === 'laporan') screen = <Reports />;
  else if (first === 'tutup-hari') screen = <ClosingScreen />;
  else if (first === 'audit') screen = <AuditScreen />;
  else if (first === 'autodebet') screen = <AutodebetScreen />;
  else if (first === 'kasir') screen = <KasirScreen readOnly={readOnly} />;
  else if (first === 'pembayaran' && second)
    screen = <PaymentDetail id={second} role={readOnly ? 'pengawas' : 'treasurer'} />;
  else screen = <LiveFeed today={today} />;

  return (
    <Shell
      koperasi={me?.koperasi.name ?? ''}
      user={me ? userLine(me) : ''}
      nav={navOf(waitingOf(today))}
      current={`/${first ?? ''}`}
    >
      <ErrorMessage message={error} />
      {screen}
    </Shell>
  );
}

/** The header's who: a pengawas always sees "Pengawas" and that the console only reads. */
function userLine(me: Me): string {
  if (me.role === 'pengawas') return `Pengawas: ${me.name} (hanya melihat)`;
  // "Bendahara: Dewi"; a treasurer whose name is just the word "bendahara" is not named twice.
  return me.name.trim().toLowerCase() === 'bendahara' ? 'Bendahara' : `Bendahara: ${me.name}`;
}
