/** The koperasi fee per product (fixed rupiah added to each payment). */
import { useEffect, useState } from 'preact/hooks';
import { get, put } from '../../api';
import { ErrorMessage, StatusMessage } from '../../components/alert';
import { PageTitle } from '../../components/page-title';
import { messageFor } from '../../errors';
import { parseRupiah, productName, rupiah } from '../../format';
import type { Fee, Product } from '../../types';

function FeeRow({ fee, name, onSaved }: { fee: Fee; name: string; onSaved: (fee: Fee) => void }) {
  const [value, setValue] = useState(String(fee.amount));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const id = `fee-${fee.product}`;

  const save = async (e: Event) => {
    e.preventDefault();
    const amount = parseRupiah(value);
    if (amount === undefined || amount > 1_000_000) {
      setError('Isi biaya dalam rupiah, 0 sampai 1.000.000.');
      return;
    }
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const saved = await put<Fee>(`/v1/fees/${fee.product}`, { amount });
      onSaved(saved);
      setValue(String(saved.amount));
      setDone(`Disimpan: ${rupiah(saved.amount)}.`);
    } catch (err) {
      setError(messageFor(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li class="card">
      <form onSubmit={(e) => void save(e)} noValidate class="fee-form">
        <label for={id}>
          <strong>{name}</strong>
          <span class="muted small block">{fee.isDefault ? 'Biaya bawaan' : 'Diatur koperasi'}</span>
          <span class="sr-only">, dalam rupiah</span>
        </label>
        <div class="inline">
          <span aria-hidden="true">Rp</span>
          <input
            id={id}
            name={id}
            inputMode="numeric"
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
            aria-invalid={error ? 'true' : undefined}
          />
          <button type="submit" class="button primary" disabled={busy} aria-busy={busy}>
            {busy ? 'Menyimpan…' : 'Simpan'}
          </button>
        </div>
        <ErrorMessage message={error} />
        <StatusMessage message={done} tone="success" />
      </form>
    </li>
  );
}

export function Fees({ readOnly = false }: { readOnly?: boolean }) {
  const [fees, setFees] = useState<Fee[] | null>(null);
  const [names, setNames] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();

  useEffect(() => {
    get<{ items: Fee[] }>('/v1/fees')
      .then((r) => setFees(r.items))
      .catch((e: unknown) => setError(messageFor(e)));
    get<{ items: Product[] }>('/v1/products')
      .then((r) => setNames(Object.fromEntries(r.items.map((p) => [p.code, p.name]))))
      .catch(() => undefined);
  }, []);

  return (
    <>
      <PageTitle title="Biaya koperasi">Biaya koperasi</PageTitle>
      <p class="muted">
        Biaya tetap yang ditambahkan ke setiap pembayaran anggota, per produk. Menjadi pendapatan koperasi.
      </p>
      <ErrorMessage message={error} />
      {!fees && !error && (
        <p class="muted" role="status">
          Memuat…
        </p>
      )}
      {fees && (
        <ul class="plain">
          {fees.map((fee) =>
            readOnly ? (
              <li key={fee.product} class="card fee-view">
                <span>
                  <strong>{names[fee.product] ?? productName(fee.product)}</strong>
                  <span class="muted small block">{fee.isDefault ? 'Biaya bawaan' : 'Diatur koperasi'}</span>
                </span>
                <strong class="money">{rupiah(fee.amount)}</strong>
              </li>
            ) : (
              <FeeRow
                key={fee.product}
                fee={fee}
                name={names[fee.product] ?? productName(fee.product)}
                onSaved={(saved) =>
                  setFees((all) => all?.map((f) => (f.product === saved.product ? saved : f)) ?? null)
                }
              />
            ),
          )}
        </ul>
      )}
    </>
  );
}
