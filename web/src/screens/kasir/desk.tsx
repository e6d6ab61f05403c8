/**
 * The desk: product and customer number (and the member number for a payment from savings) → the bill → "Terima
 * tunai Rp …" or "Bayar dari simpanan" with the member's PIN on the pad → the result: the struk to print (58 mm) or
 * share, or, when a cash payment failed, a loud "Kembalikan uang tunai" with the button that records it.
 */
import { useEffect, useState } from 'preact/hooks';
import { get, post, query, request } from '../../api';
import { ErrorMessage } from '../../components/alert';
import { Field } from '../../components/field';
import { PageTitle } from '../../components/page-title';
import { PinPad } from '../../components/pin-pad';
import { QuoteCard } from '../../components/quote-card';
import { receiptShareText } from '../../components/share-receipt';
import { StatusBadge } from '../../components/status-badge';
import { type CounterQuote, type CurrentShift, waPhone } from '../../counter';
import { messageFor } from '../../errors';
import { productName, rupiah } from '../../format';
import { RetryableKey } from '../../idempotency';
import type { Payment, Product } from '../../types';
import { CashReturn } from './cash-return';

const keys = new RetryableKey();

/** The struk PDF in a new tab, where the browser's print dialog sends it to the thermal printer. */
export async function openStruk(paymentId: string, format: '58mm' | 'a4' = '58mm'): Promise<void> {
  const opened = window.open('', '_blank');
  const response = await request(
    `/v1/payments/${encodeURIComponent(paymentId)}/receipt${query({ format })}`,
    {
      headers: { accept: 'application/pdf' },
    },
  );
  const url = URL.createObjectURL(await response.blob());
  if (opened) opened.location.href = url;
  else window.location.assign(url);
}

export function Desk({ current, onChanged }: { current: CurrentShift; onChanged: () => void }) {
  const [products, setProducts] = useState<Product[]>([]);
  const [product, setProduct] = useState('PLN_POSTPAID');
  const [customerNo, setCustomerNo] = useState('');
  const [memberNo, setMemberNo] = useState('');
  const [amount, setAmount] = useState('');
  const [months, setMonths] = useState('1');
  const [payerName, setPayerName] = useState('');
  const [payerPhone, setPayerPhone] = useState('');
  const [quote, setQuote] = useState<CounterQuote | null>(null);
  const [pinFor, setPinFor] = useState(false);
  const [pin, setPin] = useState('');
  const [result, setResult] = useState<Payment | null>(null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    get<{ items: Product[] }>('/v1/products')
      .then((p) => setProducts(p.items))
      .catch((e: unknown) => setError(messageFor(e)));
  }, []);
  const chosen = products.find((p) => p.code === product);

  const reset = () => {
    setQuote(null);
    setResult(null);
    setPinFor(false);
    setPin('');
    setCustomerNo('');
    setMemberNo('');
    setPayerName('');
    setPayerPhone('');
    setError(undefined);
  };

  const inquire = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setQuote(null);
    try {
      const body = {
        product,
        customerNo: customerNo.trim(),
        ...(chosen?.denominations ? { amount: Number(amount) } : {}),
        ...(chosen?.months ? { months: Number(months) } : {}),
        ...(memberNo.trim() ? { memberNo: memberNo.trim() } : {}),
      };
      setQuote(await post<CounterQuote>('/v1/counter/inquiries', body));
    } catch (err) {
      setError(messageFor(err));
    } finally {
      setBusy(false);
    }
  };

  const pay = async (funding: 'cash' | 'savings') => {
    if (!quote) return;
    setBusy(true);
    setError(undefined);
    const body = {
      quoteId: quote.id,
      funding,
      ...(funding === 'savings' ? { pin } : {}),
      ...(payerName.trim() ? { payerName: payerName.trim() } : {}),
      ...(payerPhone.trim() ? { payerPhone: payerPhone.trim() } : {}),
    };
    try {
      const payment = await post<Payment>('/v1/counter/payments', body, {
        'idempotency-key': keys.for(body),
        prefer: 'wait=25',
      });
      keys.answered();
      setResult(payment);
      onChanged();
    } catch (err) {
      if (!(err instanceof TypeError)) keys.answered();
      setError(messageFor(err));
      setPin('');
    } finally {
      setBusy(false);
    }
  };

  if (result) return <DeskResult payment={result} phone={payerPhone} onNext={reset} onChanged={onChanged} />;

  const shift = current.shift;
  return (
    <PageTitle title="Meja loket">
      <div class="counter-head">
        <h1>Meja loket</h1>
        {shift && (
          <p class="counter-drawer" data-testid="drawer">
            Kas di laci: <strong>{rupiah(shift.expected)}</strong>
          </p>
        )}
      </div>
      {current.cashToReturn.length > 0 && (
        <div class="alert alert-error" role="alert">
          {current.cashToReturn.length} pembayaran tunai gagal: uangnya belum dikembalikan ke pelanggan (
          {rupiah(current.cashToReturn.reduce((s, p) => s + p.total, 0))}). Lihat Transaksi shift.
        </div>
      )}
      <div class="counter-columns">
        <form class="card" onSubmit={(e) => void inquire(e)} noValidate>
          <h2>Tagihan</h2>
          <div class="field">
            <label for="f-product">Produk</label>
            <select
              id="f-product"
              name="product"
              value={product}
              onChange={(e) => setProduct(e.currentTarget.value)}
            >
              {products.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <Field
            label="Nomor pelanggan"
            name="customerNo"
            inputMode="numeric"
            value={customerNo}
            onValue={setCustomerNo}
            hint={chosen?.customerNoHint}
            required
          />
          {chosen?.denominations && (
            <div class="field">
              <label for="f-amount">Nominal token</label>
              <select id="f-amount" value={amount} onChange={(e) => setAmount(e.currentTarget.value)}>
                <option value="">Pilih nominal</option>
                {chosen.denominations.map((d) => (
                  <option key={d} value={String(d)}>
                    {rupiah(d)}
                  </option>
                ))}
              </select>
            </div>
          )}
          {chosen?.months && (
            <Field
              label="Jumlah bulan"
              name="months"
              inputMode="numeric"
              value={months}
              onValue={setMonths}
            />
          )}
          <Field
            label="Nomor anggota (untuk bayar dari simpanan)"
            name="memberNo"
            value={memberNo}
            onValue={setMemberNo}
            hint="Kosongkan untuk pelanggan yang membayar tunai."
          />
          <Field
            label="Nama pembayar (boleh kosong)"
            name="payerName"
            value={payerName}
            onValue={setPayerName}
          />
          <Field
            label="Nomor HP pembayar (untuk struk WhatsApp)"
            name="payerPhone"
            type="tel"
            inputMode="tel"
            value={payerPhone}
            onValue={setPayerPhone}
          />
          <button
            type="submit"
            class="button secondary block"
            disabled={busy || !customerNo.trim()}
            aria-busy={busy}
          >
            Cek tagihan
          </button>
        </form>
        <div>
          {quote && (
            <>
              <QuoteCard quote={quote} productName={productName(quote.product)} />
              {quote.member && (
                <p class="card small" data-testid="quote-member">
                  Anggota: <strong>{quote.member.name}</strong> ({quote.member.memberNo})
                  {quote.member.pinLocked ? ' — PIN terkunci, minta bendahara membuka' : ''}
                </p>
              )}
              {!pinFor && (
                <div class="counter-actions">
                  <button
                    type="button"
                    class="button primary block"
                    disabled={busy || !shift}
                    aria-busy={busy}
                    onClick={() => void pay('cash')}
                  >
                    Terima tunai {rupiah(quote.total)}
                  </button>
                  {quote.member && (
                    <button
                      type="button"
                      class="button secondary block"
                      disabled={busy || quote.member.pinLocked}
                      onClick={() => setPinFor(true)}
                    >
                      Bayar dari simpanan
                    </button>
                  )}
                </div>
              )}
              {pinFor && (
                <section class="card">
                  <h2>PIN anggota</h2>
                  <p class="small">Minta anggota mengetik PIN-nya sendiri.</p>
                  <PinPad value={pin} onChange={setPin} disabled={busy} />
                  <button
                    type="button"
                    class="button primary block"
                    disabled={busy || pin.length !== 6}
                    aria-busy={busy}
                    onClick={() => void pay('savings')}
                  >
                    Bayar {rupiah(quote.total)} dari simpanan
                  </button>
                  <button type="button" class="button link" onClick={() => setPinFor(false)}>
                    Batal
                  </button>
                </section>
              )}
            </>
          )}
          <ErrorMessage message={error} />
        </div>
      </div>
    </PageTitle>
  );
}

function DeskResult(props: { payment: Payment; phone: string; onNext: () => void; onChanged: () => void }) {
  const [payment, setPayment] = useState(props.payment);
  const [error, setError] = useState<string>();
  const refresh = () =>
    get<Payment>(`/v1/payments/${payment.id}`)
      .then(setPayment)
      .catch((e: unknown) => setError(messageFor(e)));
  const ok = payment.status === 'success';
  const waiting = payment.status === 'processing' || payment.status === 'suspect';
  const wa = `https://wa.me/${props.phone ? waPhone(props.phone) : ''}?text=${encodeURIComponent(receiptShareText(payment))}`;
  return (
    <PageTitle title="Hasil pembayaran">
      <h1>Hasil pembayaran</h1>
      <section class="card counter-narrow" data-testid="desk-result" data-status={payment.status}>
        <p>
          <StatusBadge status={payment.status} /> {productName(payment.product)} {payment.customerNo} —{' '}
          <strong>{rupiah(payment.total)}</strong> ({payment.funding === 'cash' ? 'Tunai' : 'Simpanan'})
        </p>
        {ok && (
          <div class="counter-actions">
            <button
              type="button"
              class="button primary"
              onClick={() => void openStruk(payment.id).catch((e: unknown) => setError(messageFor(e)))}
            >
              Cetak struk (58 mm)
            </button>
            <button
              type="button"
              class="button secondary"
              onClick={() => void openStruk(payment.id, 'a4').catch((e: unknown) => setError(messageFor(e)))}
            >
              Struk A4
            </button>
            <a
              class="button secondary"
              href={wa}
              target="_blank"
              rel="noopener noreferrer"
              data-share="whatsapp"
            >
              Kirim struk lewat WhatsApp
            </a>
          </div>
        )}
        {waiting && (
          <p>
            Menunggu jawaban penyedia tagihan.{' '}
            <button type="button" class="button link" onClick={() => void refresh()}>
              Periksa lagi
            </button>
          </p>
        )}
        {payment.cashToReturn && (
          <CashReturn
            paymentId={payment.id}
            total={payment.total}
            onReturned={() => {
              props.onChanged();
              void refresh();
            }}
          />
        )}
        {payment.status === 'failed' && payment.funding === 'savings' && (
          <p class="alert alert-warning">Pembayaran gagal. Simpanan anggota sudah dikembalikan.</p>
        )}
        {payment.cashReturnedAt && (
          <p class="alert alert-success">Uang tunai sudah dikembalikan ke pelanggan.</p>
        )}
        <ErrorMessage message={error} />
        <button type="button" class="button secondary block" onClick={props.onNext}>
          Pelanggan berikutnya
        </button>
      </section>
    </PageTitle>
  );
}
