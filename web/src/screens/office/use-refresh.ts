/**
 * Office data stays current without a live stream: re-read every 15 s while the tab is visible, and at
 * once when the window gets the focus back (staff switch between tabs all day).
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { messageFor } from '../../errors';

export const REFRESH_MS = 15_000;

export function useRefreshed<T>(load: (signal: AbortSignal) => Promise<T>, key: string) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [updatedAt, setUpdatedAt] = useState<string>();
  const latest = useRef(load);
  latest.current = load;

  const refresh = useCallback(async (signal: AbortSignal) => {
    try {
      const next = await latest.current(signal);
      if (signal.aborted) return;
      setData(next);
      setUpdatedAt(new Date().toISOString());
      setError(undefined);
    } catch (e) {
      if (signal.aborted) return;
      setError(messageFor(e));
    } finally {
      if (!signal.aborted) setLoading(false);
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    setData(null);
    setLoading(true);
    void refresh(controller.signal);
    const again = () => {
      if (document.visibilityState === 'visible') void refresh(controller.signal);
    };
    const timer = setInterval(again, REFRESH_MS);
    window.addEventListener('focus', again);
    document.addEventListener('visibilitychange', again);
    return () => {
      controller.abort();
      clearInterval(timer);
      window.removeEventListener('focus', again);
      document.removeEventListener('visibilitychange', again);
    };
  }, [key, refresh]);

  return { data, error, loading, updatedAt };
}
