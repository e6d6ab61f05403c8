/**
 * The office console for staff of the Dinas Koperasi (supervisor: the koperasi of their region) and
 * platform operators (every koperasi): the table of all koperasi and one koperasi in detail. Read-only.
 */
import { useEffect, useState } from 'preact/hooks';
import { get } from '../../api';
import { ErrorMessage } from '../../components/alert';
import { Shell } from '../../components/shell';
import { messageFor } from '../../errors';
import { useRoute } from '../../router';
import type { OfficeMe } from '../../types';
import { OfficeConsole } from './console';
import { KoperasiDetail } from './koperasi';

const NAV = [{ path: '/', label: 'Semua koperasi' }];

export function OfficeApp() {
  const route = useRoute();
  const [me, setMe] = useState<OfficeMe | null>(null);
  const [error, setError] = useState<string>();

  useEffect(() => {
    get<OfficeMe>('/v1/office/me')
      .then(setMe)
      .catch((e: unknown) => setError(messageFor(e)));
  }, []);

  const [first, second] = route;
  const screen = first === 'koperasi' && second ? <KoperasiDetail id={second} /> : <OfficeConsole />;
  const where = me ? (me.region ? `Dinas Koperasi · Wilayah ${me.region}` : 'Semua wilayah') : '';
  const who = me ? `${me.name} (${me.role === 'operator' ? 'operator platform' : 'petugas Dinas'})` : '';

  return (
    <Shell koperasi={where} user={who} nav={NAV} current="/" live={false} wide>
      <ErrorMessage message={error} />
      {screen}
    </Shell>
  );
}
