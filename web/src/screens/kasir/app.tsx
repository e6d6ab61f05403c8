/**
 * The kasir's app at the koperasi's desk (loket): open the shift with the drawer's float, take bills in cash or from
 * a member's savings, hand cash back when a payment fails, and close the shift with the count. Laid out for a desk
 * screen (1280 px) first, and usable on a phone.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { get } from '../../api';
import { ErrorMessage } from '../../components/alert';
import { Shell } from '../../components/shell';
import type { CurrentShift } from '../../counter';
import { messageFor } from '../../errors';
import { useLiveEvents } from '../../live-context';
import { useRoute } from '../../router';
import type { Me } from '../../types';
import { CloseShift } from './close-shift';
import { Desk } from './desk';
import { OpenShift } from './open-shift';
import { ShiftPayments } from './shift-payments';

const NAV = [
  { path: '/', label: 'Meja loket' },
  { path: '/transaksi', label: 'Transaksi shift' },
  { path: '/tutup-shift', label: 'Tutup shift' },
];

export function KasirApp() {
  const route = useRoute();
  const [me, setMe] = useState<Me | null>(null);
  const [current, setCurrent] = useState<CurrentShift | null>(null);
  const [error, setError] = useState<string>();

  const refresh = useCallback(() => {
    get<CurrentShift>('/v1/counter/shifts/current')
      .then((c) => {
        setCurrent(c);
        setError(undefined);
      })
      .catch((e: unknown) => setError(messageFor(e)));
  }, []);

  useEffect(() => {
    get<Me>('/v1/me')
      .then(setMe)
      .catch((e: unknown) => setError(messageFor(e)));
    refresh();
  }, [refresh]);
  // A payment of this koperasi changed (a cash payment failed in the worker): the drawer and the list change.
  useLiveEvents((event) => {
    if (event.type === 'payment') refresh();
  });

  const [first] = route;
  let screen;
  if (!current) screen = <p class="muted">Memuat shift…</p>;
  else if (first === 'tutup-shift') screen = <CloseShift current={current} onChanged={refresh} />;
  else if (!current.shift) screen = <OpenShift onOpened={refresh} cashToReturn={current.cashToReturn} />;
  else if (first === 'transaksi') screen = <ShiftPayments current={current} onChanged={refresh} />;
  else screen = <Desk current={current} onChanged={refresh} />;

  return (
    <Shell
      koperasi={me?.koperasi.name ?? ''}
      user={me ? `Kasir: ${me.name}` : ''}
      nav={NAV}
      current={`/${first ?? ''}`}
      wide
    >
      <ErrorMessage message={error} />
      {screen}
    </Shell>
  );
}
