/** The shift's payments, newest first; a failed cash payment shows loudly that its cash goes back to the customer. */
import { useEffect, useState } from 'preact/hooks';
import { get } from '../../api';
import { ErrorMessage } from '../../components/alert';
import { PageTitle } from '../../components/page-title';
import { StatusBadge } from '../../components/status-badge';
import type { CounterPayments, CurrentShift } from '../../counter';
import { messageFor } from '../../errors';
import { productName, rupiah, wibTime } from '../../format';
import { useLiveEvents } from '../../live-context';
import { CashReturn } from './cash-return';

export function ShiftPayments({ current, onChanged }: { current: CurrentShift; onChanged: () => void }) {
  const [data, setData] = useState<CounterPayments | null>(null);
  const [error, setError] = useState<string>();
  const load = () =>
    get<CounterPayments>('/v1/counter/payments')
      .then(setData)
      .catch((e: unknown) => setError(messageFor(e)));
  useEffect(() => void load(), []);
  useLiveEvents((event) => {
    if (event.type === 'payment') void load();
  });
  const owedElsewhere = current.cashToReturn.filter((c) => !data?.items.some((p) => p.id === c.paymentId));

  return (
    <PageTitle title="Transaksi shift">
      <h1>Transaksi shift</h1>
      <ErrorMessage message={error} />
      {owedElsewhere.map((c) => (
        <CashReturn
          key={c.paymentId}
          paymentId={c.paymentId}
          total={c.total}
          label={`${productName(c.product)} ${c.customerNo}${c.payerName ? ` (${c.payerName})` : ''}`}
          onReturned={() => {
            onChanged();
            void load();
          }}
        />
      ))}
      {data && data.items.length === 0 && <p class="muted">Belum ada transaksi di shift ini.</p>}
      {data && data.items.length > 0 && (
        <div class="table-wrap">
          <table class="counter-table">
            <thead>
              <tr>
                <th scope="col">Waktu</th>
                <th scope="col">Produk</th>
                <th scope="col">Pelanggan</th>
                <th scope="col">Cara bayar</th>
                <th scope="col" class="money">
                  Total
                </th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((p) => (
                <tr key={p.id} class={p.cashToReturn ? 'counter-owed' : ''}>
                  <td>{wibTime(p.createdAt)}</td>
                  <td>{productName(p.product)}</td>
                  <td>
                    {p.customerName} <span class="muted small">{p.customerNo}</span>
                  </td>
                  <td>{p.funding === 'cash' ? 'Tunai' : `Simpanan ${p.memberNo ?? ''}`}</td>
                  <td class="money">{rupiah(p.total)}</td>
                  <td>
                    <StatusBadge status={p.status} />
                    {p.cashToReturn && (
                      <CashReturn
                        paymentId={p.id}
                        total={p.total}
                        compact
                        onReturned={() => {
                          onChanged();
                          void load();
                        }}
                      />
                    )}
                    {p.cashReturnedAt && (
                      <span class="small block">Uang sudah dikembalikan {wibTime(p.cashReturnedAt)}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </PageTitle>
  );
}
