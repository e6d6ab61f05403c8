/**
 * Is there a connection? The browser's own idea (navigator.onLine and its online/offline events), corrected by
 * what requests learn: a request that got no answer at all says "offline" until the next one that does. The member
 * app shows a banner while offline; nothing is ever re-sent by itself (a payment is retried by the member, with the
 * same Idempotency-Key: src/idempotency.ts).
 */
import { useEffect, useState } from 'preact/hooks';

type Listener = (online: boolean) => void;
const listeners = new Set<Listener>();
let reachable = true;

const browserOnline = () => typeof navigator === 'undefined' || navigator.onLine !== false;

export const isOnline = (): boolean => browserOnline() && reachable;

/**
 * The browser itself says there is no network: a request would not leave the phone. (A request that merely went
 * unanswered does not count here: the member may always try again, with the same key.)
 */
export const browserOffline = (): boolean => !browserOnline();

function notify(): void {
  const online = isOnline();
  for (const listener of listeners) listener(online);
}

/** Called by the API client: false when a request got no answer, true when one did. */
export function reportConnection(answered: boolean): void {
  if (reachable === answered) return;
  reachable = answered;
  notify();
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => {
    // The browser says the network is back: believe it until a request says otherwise.
    reachable = true;
    notify();
  });
  window.addEventListener('offline', notify);
}

export function useOnline(): boolean {
  const [online, setOnline] = useState(isOnline);
  useEffect(() => {
    const listener: Listener = (value) => setOnline(value);
    listeners.add(listener);
    setOnline(isOnline());
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return online;
}
