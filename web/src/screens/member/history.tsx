/**
 * The member's history two ways: payments (filtered by what happened to them) and the mutasi of their savings —
 * deposits, payments and money back — by month, with each month's money in and out.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { get, query } from '../../api';
import { ErrorMessage } from '../../components/alert';
import { PageTitle } from '../../components/page-title';
import { PaymentList } from '../../components/payment-list';
import { StatusChips } from '../../components/status-chips';
import { messageFor } from '../../errors';
import { monthName, rupiah, wibDateTime } from '../../format';
import { useLiveEvents } from '../../live-context';
import { type Movement, type MutasiPage, describeMovement, signedRupiah } from '../../mutasi';
import { href } from '../../router';
import type { PaymentStatus } from '../../types';

/** YYYY-MM of the WIB month an instant falls in. */
const wibMonth = (iso: string) => new Date(new Date(iso).getTime() + 7 * 3_600_000).toISOString().slice(0, 7);

function Mutasi() {
  const [moves, setMoves] = useState<Movement[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();

  const load = useCallback(async (after?: string) => {
    setLoading(true);
    try {
      const page = await get<MutasiPage>(`/v1/me/mutasi${query({ limit: 50, cursor: after })}`);
      setMoves((current) => (after ? [...current, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setError(undefined);
    } catch (e) {
      setError(messageFor(e));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  useLiveEvents((event) => {
    if (event.type === 'balance') void load();
  });

  const months: { month: string; moves: Movement[]; in: number; out: number }[] = [];
  for (const m of moves) {
    const month = wibMonth(m.at);
    let group = months.at(-1);
    if (!group || group.month !== month) months.push((group = { month, moves: [], in: 0, out: 0 }));
    group.moves.push(m);
    if (m.amount > 0) group.in += m.amount;
    else group.out -= m.amount;
  }

  return (
    <section aria-label="Mutasi simpanan" aria-busy={loading}>
      <ErrorMessage message={error} />
      {moves.length === 0 && !loading && !error && <p class="empty">Belum ada mutasi simpanan.</p>}
      {months.map((g) => (
        <section key={g.month} class="card month" aria-label={monthName(g.month)}>
          <h2 class="h3">{monthName(g.month)}</h2>
          <p class="muted small">
            Masuk <strong class="money">{rupiah(g.in)}</strong> · Keluar{' '}
            <strong class="money">{rupiah(g.out)}</strong>
          </p>
          <ul class="plain moves">
            {g.moves.map((m) => (
              <li key={m.txId} data-kind={m.kind}>
                <span>
                  {m.paymentId ? (
                    <a href={href('pembayaran', m.paymentId)}>{describeMovement(m)}</a>
                  ) : (
                    describeMovement(m)
                  )}
                  <span class="muted small block">{wibDateTime(m.at)}</span>
                </span>
                <span class="num">
                  <strong class={`money ${m.amount < 0 ? 'out' : 'in'}`}>
                    {signedRupiah(m.amount, rupiah)}
                  </strong>
                  <span class="muted small block">saldo {rupiah(m.balanceAfter)}</span>
                </span>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {cursor && !loading && (
        <button type="button" class="button secondary" onClick={() => void load(cursor)}>
          Muat lagi
        </button>
      )}
    </section>
  );
}

export function History() {
  const [view, setView] = useState<'payments' | 'mutasi'>('payments');
  const [status, setStatus] = useState<PaymentStatus | undefined>(undefined);
  return (
    <>
      <PageTitle title="Riwayat">Riwayat</PageTitle>
      <div class="chips" role="group" aria-label="Tampilkan">
        <button
          type="button"
          class="chip"
          aria-pressed={view === 'payments'}
          onClick={() => setView('payments')}
        >
          Pembayaran
        </button>
        <button type="button" class="chip" aria-pressed={view === 'mutasi'} onClick={() => setView('mutasi')}>
          Mutasi simpanan
        </button>
      </div>
      {view === 'mutasi' ? (
        <Mutasi />
      ) : (
        <>
          <StatusChips value={status} onChange={setStatus} />
          <PaymentList
            key={status ?? 'all'}
            status={status}
            label="Riwayat pembayaran"
            payAgain
            empty={status ? 'Tidak ada pembayaran dengan status ini.' : 'Belum ada pembayaran.'}
          />
        </>
      )}
    </>
  );
}
