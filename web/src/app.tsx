/**
 * Who is signed in decides the app: the login screen, the member app, the koperasi console (treasurer, and
 * the pengawas read-only) or the office console (Dinas Koperasi staff and platform operators).
 */
import { useEffect, useState } from 'preact/hooks';
import { LiveProvider } from './live-context';
import { Login } from './screens/login';
import { KasirApp } from './screens/kasir/app';
import { MemberApp } from './screens/member/app';
import { OfficeApp } from './screens/office/app';
import { TreasurerApp } from './screens/treasurer/app';
import { session, sessionEnd } from './session';

export function App() {
  const [current, setCurrent] = useState(session.get);
  useEffect(
    () =>
      session.onChange((next) => {
        setCurrent(next);
        if (!next && location.hash && location.hash !== '#/') location.hash = '#/';
      }),
    [],
  );
  // The token expires while the app may sit open: sign out then, not at the next refused request.
  useEffect(() => {
    if (!current) return;
    const timer = setTimeout(
      () => {
        sessionEnd.set('Sesi Anda telah berakhir. Silakan masuk lagi.');
        session.set(null);
      },
      Math.max(0, current.expiresAt - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [current]);
  if (!current) return <Login />;
  // Office staff have no koperasi of their own, so no live stream (GET /v1/events): their console polls.
  if (current.role === 'supervisor' || current.role === 'operator') return <OfficeApp />;
  return (
    <LiveProvider key={current.token} token={current.token}>
      {current.role === 'member' ? (
        <MemberApp />
      ) : current.role === 'kasir' ? (
        <KasirApp />
      ) : (
        <TreasurerApp readOnly={current.role === 'pengawas'} />
      )}
    </LiveProvider>
  );
}
