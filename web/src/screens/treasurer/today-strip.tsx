/**
 * "Hari ini" at the top of the treasurer's feed: the day's payments and their total, fee income, deposits in and
 * what waits for a person. Re-read when a payment event arrives (a second later, so a burst reads once), when the
 * window gets the focus back, and every 30 s.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../../api';
import { ageInWords, rupiah } from '../../format';
import { useLiveEvents } from '../../live-context';
import { href } from '../../router';

export interface Today {
  today: { payments: number; total: number; feeIncome: number; deposits: number };
  suspects: { open: number; oldestMinutes: number | null };
  reviewItems: number;
}

/** The day's figures, kept current (shared by the strip and the tab counts). */
export function useToday(): Today | null {
  const [data, setData] = useState<Today | null>(null);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const load = useCallback(() => {
    get<Today>('/v1/today')
      .then(setData)
      .catch(() => undefined); // the strip is a summary: the feed below says when the API is unreachable
  }, []);

  useEffect(() => {
    load();
    const timer = setInterval(load, 30_000);
    window.addEventListener('focus', load);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', load);
      clearTimeout(pending.current);
    };
  }, [load]);

  useLiveEvents((event) => {
    if (event.type !== 'payment' && event.type !== 'ready') return;
    clearTimeout(pending.current);
    pending.current = setTimeout(load, 1_000);
  });
  return data;
}

/** What waits for a person: suspect payments and items under review. */
export const waitingOf = (data: Today | null) => (data ? data.suspects.open + data.reviewItems : 0);

export function TodayStrip({ data }: { data: Today | null }) {
  if (!data) return null;
  const waiting = waitingOf(data);
  return (
    <section class="today-strip" aria-label="Hari ini" data-testid="today-strip">
      <div>
        <span class="muted small block">Pembayaran hari ini</span>
        <strong>{rupiah(data.today.total)}</strong>
        <span class="muted small block">{data.today.payments} pembayaran</span>
      </div>
      <div>
        <span class="muted small block">Pendapatan biaya</span>
        <strong>{rupiah(data.today.feeIncome)}</strong>
      </div>
      <div>
        <span class="muted small block">Setoran masuk</span>
        <strong>{rupiah(data.today.deposits)}</strong>
      </div>
      <div class={waiting > 0 ? 'today-warn' : undefined}>
        <span class="muted small block">Perlu konfirmasi</span>
        <strong>{waiting}</strong>
        <span class="muted small block">
          {data.suspects.oldestMinutes !== null ? (
            <a href={href('suspect')}>terlama {ageInWords(data.suspects.oldestMinutes)}</a>
          ) : (
            'tidak ada yang menunggu'
          )}
        </span>
      </div>
    </section>
  );
}
