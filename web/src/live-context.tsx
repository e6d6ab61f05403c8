/** One live connection per signed-in session, shared by every screen through context. */
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { LiveConnection, type LiveState } from './live';
import { session, sessionEnd } from './session';
import type { LiveEvent } from './types';

const LiveContext = createContext<LiveConnection | null>(null);

export function LiveProvider({ token, children }: { token: string; children: ComponentChildren }) {
  const [connection, setConnection] = useState<LiveConnection | null>(null);
  useEffect(() => {
    const live = new LiveConnection(token, () => {
      sessionEnd.set('Sesi Anda telah berakhir. Silakan masuk lagi.');
      session.set(null);
    });
    setConnection(live);
    live.start();
    return () => live.stop();
  }, [token]);
  return <LiveContext.Provider value={connection}>{children}</LiveContext.Provider>;
}

/** Calls `handler` for every live event (the latest handler, without resubscribing). */
export function useLiveEvents(handler: (event: LiveEvent) => void): void {
  const live = useContext(LiveContext);
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => live?.on((event) => latest.current(event)), [live]);
}

export function useLiveState(): LiveState {
  const live = useContext(LiveContext);
  const [state, setState] = useState<LiveState>(live?.state ?? 'connecting');
  useEffect(() => {
    if (!live) return;
    setState(live.state);
    return live.onState(setState);
  }, [live]);
  return state;
}
