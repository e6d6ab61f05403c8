/** The member's app: balance (kept live), paying a bill, the live result, history, the koperasi's transparency page. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { get } from '../../api';
import { ErrorMessage } from '../../components/alert';
import { HeaderHelp } from '../../components/header-help';
import { OfflineBanner } from '../../components/offline-banner';
import { Shell } from '../../components/shell';
import { messageFor } from '../../errors';
import { useLiveEvents } from '../../live-context';
import { useRoute } from '../../router';
import { prefillOf, resetSavedNumbers } from '../../saved-numbers';
import type { Me, Product } from '../../types';
import { AccountScreen } from '../account/account-screen';
import { PaymentDetail } from '../payment-detail';
import { History } from './history';
import { MemberHome } from './home';
import { PayScreen } from './pay';
import { SavedNumbersLink, SavedNumbersScreen } from './saved-numbers';
import { Transparency } from './transparency';
import { AutodebetDetail, AutodebetForm, AutodebetLink, AutodebetList } from './autodebet';
import { NotificationBell, NotificationList } from './notifications';

const NAV = [
  { path: '/', label: 'Beranda' },
  { path: '/riwayat', label: 'Riwayat' },
  { path: '/transparansi', label: 'Transparansi' },
  { path: '/akun', label: 'Akun' },
];

export function MemberApp() {
  const route = useRoute();
  const [me, setMe] = useState<Me | null>(null);
  const [products, setProducts] = useState<Product[] | null>(null);
  const [error, setError] = useState<string>();
  // Numbers saved by whoever used this page before are not this member's.
  useState(resetSavedNumbers);

  const refreshMe = useCallback(async () => {
    try {
      setMe(await get<Me>('/v1/me'));
      setError(undefined);
    } catch (e) {
      setError(messageFor(e));
    }
  }, []);

  useEffect(() => {
    void refreshMe();
    get<{ items: Product[] }>('/v1/products')
      .then((r) => setProducts(r.items))
      .catch((e: unknown) => setError(messageFor(e)));
  }, [refreshMe]);

  useLiveEvents((event) => {
    if (event.type === 'balance') {
      setMe((current) =>
        current && current.id === event.memberId
          ? { ...current, balance: event.balance, available: event.available }
          : current,
      );
    } else if (event.type === 'ready') {
      void refreshMe();
    }
  });

  const [first, second] = route;
  let screen;
  if (!me)
    screen = (
      <p class="muted" role="status">
        Memuat…
      </p>
    );
  else if (first === 'bayar' && second)
    screen = (
      // Keyed by the whole hash: "Bayar lagi" on another number opens a fresh screen.
      <PayScreen
        key={location.hash}
        code={second}
        me={me}
        products={products}
        refreshMe={refreshMe}
        prefill={prefillOf()}
      />
    );
  else if (first === 'pembayaran' && second)
    screen = <PaymentDetail id={second} role="member" koperasiCode={me.koperasi.code} />;
  else if (first === 'riwayat') screen = <History />;
  else if (first === 'transparansi') screen = <Transparency />;
  else if (first === 'akun' && second === 'nomor') screen = <SavedNumbersScreen />;
  else if (first === 'autodebet' && second === 'baru') screen = <AutodebetForm products={products} />;
  else if (first === 'autodebet' && second) screen = <AutodebetDetail id={second} />;
  else if (first === 'autodebet') screen = <AutodebetList />;
  else if (first === 'notifikasi') screen = <NotificationList />;
  else if (first === 'akun')
    screen = (
      <>
        <AccountScreen me={me} />
        <SavedNumbersLink />
        <AutodebetLink />
      </>
    );
  else screen = <MemberHome me={me} products={products} />;

  return (
    <Shell
      koperasi={me?.koperasi.name ?? ''}
      user={me ? `${me.name} (${me.memberNo ?? me.username})` : ''}
      nav={NAV}
      current={`/${first ?? ''}`}
      help={
        me ? (
          <>
            <NotificationBell />
            <HeaderHelp koperasiCode={me.koperasi.code} />
          </>
        ) : undefined
      }
      banner={<OfflineBanner />}
    >
      <ErrorMessage message={error} />
      {screen}
    </Shell>
  );
}
