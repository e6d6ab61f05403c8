/**
 * Pay a bill: customer number (and token denomination or BPJS months) → quote → PIN → payment.
 * A fresh Idempotency-Key per confirmation; the same key again when the user retries a
 * confirmation whose answer never arrived (RetryableKey), so nothing is paid twice.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, post } from '../../api';
import { ErrorMessage } from '../../components/alert';
import { HelpContact } from '../../components/help-contact';
import { BalanceCard } from '../../components/balance-card';
import { Field } from '../../components/field';
import { OFFLINE_TEXT } from '../../components/offline-banner';
import { PIN_LENGTH, PinPad } from '../../components/pin-pad';
import { SavedChips } from '../../components/saved-chips';
import { browserOffline } from '../../connectivity';
import { PageTitle } from '../../components/page-title';
import { QuoteCard } from '../../components/quote-card';
import { messageFor } from '../../errors';
import { productName, rupiah } from '../../format';
import { RetryableKey } from '../../idempotency';
import { href, navigate } from '../../router';
import { type PayPrefill, useSavedNumbers } from '../../saved-numbers';
import type { Me, Payment, Product, Quote, SavedNumber } from '../../types';
import { ForgotHelp } from '../account/forgot-help';

/** Seconds until the quote lapses, ticking once a second while it is on screen. */
function useSecondsLeft(expiresAt: string | undefined): number | undefined {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!expiresAt) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [expiresAt]);
  return expiresAt ? Math.max(0, Math.floor((new Date(expiresAt).getTime() - now) / 1_000)) : undefined;
}

const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

interface Props {
  code: string;
  me: Me;
  products: Product[] | null;
  refreshMe: () => Promise<void>;
  /** "Bayar lagi": the number (and months or nominal) to check at once. */
  prefill?: PayPrefill;
}

export function PayScreen({ code, me, products, refreshMe, prefill }: Props) {
  const product = products?.find((p) => p.code === code);
  if (!products)
    return (
      <p class="muted" role="status">
        Memuat…
      </p>
    );
  if (!product) {
    return (
      <>
        <PageTitle title="Produk tidak dikenal">Produk tidak dikenal</PageTitle>
        <p>
          <a href={href()}>Kembali ke beranda</a>
        </p>
      </>
    );
  }
  return <PayProduct product={product} me={me} refreshMe={refreshMe} prefill={prefill} />;
}

function PayProduct({
  product,
  me,
  refreshMe,
  prefill,
}: {
  product: Product;
  me: Me;
  refreshMe: () => Promise<void>;
  prefill?: PayPrefill;
}) {
  const [customerNo, setCustomerNo] = useState(prefill?.customerNo ?? '');
  const [amount, setAmount] = useState<number | undefined>(
    prefill?.amount && product.denominations?.includes(prefill.amount)
      ? prefill.amount
      : product.denominations?.[0],
  );
  const [months, setMonths] = useState(String(prefill?.months ?? product.months?.min ?? 1));
  const saved = useSavedNumbers().items?.filter((x) => x.product === product.code) ?? [];
  /** The member pressed "Bayar" before the PIN was complete: the 6th digit then pays by itself. */
  const [confirmed, setConfirmed] = useState(false);
  const [quote, setQuote] = useState<Quote | null>(null);
  const [pin, setPin] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [errorCode, setErrorCode] = useState<string>();
  const [busy, setBusy] = useState(false);
  const key = useMemo(() => new RetryableKey(), []);
  const pinInput = useRef<HTMLInputElement>(null);

  const fail = (e: unknown) => {
    setError(messageFor(e));
    setErrorCode(e instanceof ApiError ? e.code : undefined);
  };

  const inquire = async (e: Event) => {
    e.preventDefault();
    await check({ customerNo, amount, months });
  };

  /** Check the bill for these values (the form's, a saved number's, or "Bayar lagi"'s). */
  const check = async (values: { customerNo: string; amount: number | undefined; months: string }) => {
    if (busy) return;
    const number = values.customerNo.replace(/[\s-]/g, '');
    const amount = values.amount;
    const months = values.months;
    const found: Record<string, string> = {};
    if (!/^\d{6,20}$/.test(number)) found.customerNo = `Isi ${product.customerNoHint} (angka saja).`;
    if (product.kind === 'token' && amount === undefined) found.amount = 'Pilih nominal token.';
    setFieldErrors(found);
    if (Object.keys(found).length > 0) {
      setError('Periksa isian yang ditandai.');
      setErrorCode(undefined);
      return;
    }
    if (browserOffline()) {
      setError(OFFLINE_TEXT);
      setErrorCode('NETWORK');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const body: Record<string, unknown> = { product: product.code, customerNo: number };
      if (product.kind === 'token') body.amount = amount;
      if (product.months) body.months = Number(months);
      setQuote(await post<Quote>('/v1/inquiries', body));
      setPin('');
      setConfirmed(false);
      setTimeout(() => document.getElementById('quote-title')?.focus(), 0);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const pay = (e: Event) => {
    e.preventDefault();
    void submit(pin);
  };

  const submit = async (pinNow: string) => {
    if (busy || !quote) return;
    if (!/^\d{6}$/.test(pinNow)) {
      // The amount is confirmed: the 6th digit sends the payment without another tap.
      setConfirmed(true);
      setFieldErrors({ pin: 'Masukkan 6 angka PIN.' });
      setError(undefined);
      setErrorCode(undefined);
      return;
    }
    if (browserOffline()) {
      // Nothing is sent: the same confirmation goes out (with the same key, if one was sent before) once online.
      setError(OFFLINE_TEXT);
      setErrorCode('NETWORK');
      return;
    }
    setFieldErrors({});
    setBusy(true);
    setError(undefined);
    const body = { quoteId: quote.id, pin: pinNow };
    try {
      const payment = await post<Payment>('/v1/payments', body, { 'idempotency-key': key.for(body) });
      key.answered();
      navigate('pembayaran', payment.id);
    } catch (err) {
      if (err instanceof ApiError && err.isNetwork) {
        setError(
          'Koneksi terputus sebelum ada jawaban. Tekan “Bayar” lagi: pembayaran yang sama tidak akan terjadi dua kali.',
        );
        setErrorCode('NETWORK');
      } else {
        key.answered();
        fail(err);
        if (err instanceof ApiError && err.code === 'PIN_INVALID') {
          setPin('');
          pinInput.current?.focus();
        }
        // Show the balance the server holds, whatever happened.
        void refreshMe();
      }
      setBusy(false);
    }
  };

  const restart = () => {
    setQuote(null);
    setPin('');
    setConfirmed(false);
    setError(undefined);
    setErrorCode(undefined);
    key.answered();
    setTimeout(() => document.getElementById('f-customerNo')?.focus(), 0);
  };

  // "Bayar lagi": check the bill at once, as a tap on "Cek tagihan" would.
  useEffect(() => {
    if (prefill) void check({ customerNo: prefill.customerNo, amount, months });
    // Once, when the screen opens with a prefill (the screen is keyed by it).
  }, []);

  const pick = (chosen: SavedNumber) => {
    const chosenMonths = chosen.months ? String(chosen.months) : months;
    setCustomerNo(chosen.customerNo);
    setMonths(chosenMonths);
    void check({ customerNo: chosen.customerNo, amount, months: chosenMonths });
  };

  const typePin = (next: string) => {
    setPin(next);
    if (fieldErrors.pin && next.length > 0) setFieldErrors({});
    if (confirmed && next.length === PIN_LENGTH && pin.length < PIN_LENGTH) void submit(next);
  };

  const needsNewQuote =
    errorCode === 'QUOTE_EXPIRED' || errorCode === 'QUOTE_NOT_FOUND' || errorCode === 'QUOTE_ALREADY_USED';
  const available = me.available ?? 0;
  const secondsLeft = useSecondsLeft(quote?.expiresAt);
  const expired = secondsLeft === 0;
  const short = quote ? quote.total - available : 0;

  return (
    <>
      <PageTitle title={product.name}>{product.name}</PageTitle>
      <p>
        <a href={href()}>← Kembali</a>
      </p>
      {product.cutOff?.active && (
        <p class="alert alert-warning">
          Pembayaran PLN tutup setiap hari pukul {product.cutOff.start.replace(':', '.')}–
          {product.cutOff.end.replace(':', '.')} WIB. Silakan coba lagi setelah pukul{' '}
          {product.cutOff.end.replace(':', '.')} WIB.
        </p>
      )}
      {me.pinLocked && (
        <div class="alert alert-warning" role="status">
          <p>
            PIN Anda terkunci karena terlalu sering salah, jadi pembayaran belum bisa dilakukan. Minta
            bendahara membukanya lebih dulu.
          </p>
          <HelpContact koperasiCode={me.koperasi.code} about="PIN saya yang terkunci" />
        </div>
      )}
      {!quote ? (
        <form class="card" onSubmit={(e) => void inquire(e)} noValidate aria-labelledby="check-title">
          <h2 id="check-title">Cek tagihan</h2>
          {product.kind !== 'token' && (
            <SavedChips items={saved} onPick={pick} disabled={busy || me.pinLocked === true} />
          )}
          <Field
            label="Nomor pelanggan"
            name="customerNo"
            value={customerNo}
            onValue={setCustomerNo}
            inputMode="numeric"
            autocomplete="off"
            hint={product.customerNoHint}
            error={fieldErrors.customerNo}
            required
          />
          {product.denominations && (
            <fieldset class="choices" aria-describedby={fieldErrors.amount ? 'amount-error' : undefined}>
              <legend>Nominal token</legend>
              <div class="choice-grid">
                {product.denominations.map((d) => (
                  <label key={d} class={`choice${amount === d ? ' selected' : ''}`}>
                    <input
                      type="radio"
                      name="amount"
                      value={d}
                      checked={amount === d}
                      onChange={() => setAmount(d)}
                    />
                    {rupiah(d)}
                  </label>
                ))}
              </div>
              {fieldErrors.amount && (
                <p class="field-error" id="amount-error">
                  {fieldErrors.amount}
                </p>
              )}
            </fieldset>
          )}
          {product.kind === 'token' && (
            <SavedChips items={saved} onPick={pick} disabled={busy || me.pinLocked === true} />
          )}
          {product.months && (
            <div class="field">
              <label for="f-months">Jumlah bulan</label>
              <select
                id="f-months"
                name="months"
                value={months}
                onChange={(e) => setMonths(e.currentTarget.value)}
              >
                {Array.from(
                  { length: product.months.max - product.months.min + 1 },
                  (_, i) => product.months!.min + i,
                ).map((m) => (
                  <option key={m} value={m}>
                    {m} bulan
                  </option>
                ))}
              </select>
            </div>
          )}
          <ErrorMessage message={error} />
          <button
            type="submit"
            class="button primary block"
            disabled={busy || me.pinLocked === true}
            aria-busy={busy}
          >
            {busy ? 'Memeriksa tagihan…' : 'Cek tagihan'}
          </button>
        </form>
      ) : (
        <>
          <QuoteCard quote={quote} productName={productName(quote.product)} />
          <BalanceCard me={me} />
          <form class="card" onSubmit={(e) => void pay(e)} noValidate aria-labelledby="confirm-title">
            <h2 id="confirm-title">Konfirmasi dengan PIN</h2>
            {secondsLeft !== undefined && (
              <p
                class={expired ? 'alert alert-warning' : 'muted small'}
                data-testid="quote-countdown"
                aria-live="off"
              >
                {expired
                  ? 'Tagihan ini sudah kedaluwarsa. Cek tagihan lagi untuk jumlah terbaru.'
                  : `Tagihan berlaku ${clock(secondsLeft)} lagi.`}
              </p>
            )}
            {short > 0 ? (
              <div class="alert alert-warning">
                <p>
                  Saldo tersedia ({rupiah(available)}) kurang {rupiah(short)} dari total tagihan. Setor ke
                  bendahara dulu, lalu cek tagihan lagi.
                </p>
                <HelpContact
                  koperasiCode={me.koperasi.code}
                  about={`setoran untuk membayar ${product.name}`}
                />
              </div>
            ) : (
              <p data-testid="balance-after">
                Sisa saldo setelah bayar: <strong class="money">{rupiah(available - quote.total)}</strong>
              </p>
            )}
            <PinPad
              value={pin}
              onChange={typePin}
              inputRef={pinInput}
              error={fieldErrors.pin}
              hint={
                confirmed
                  ? 'Pembayaran dikirim otomatis begitu angka ke-6 masuk.'
                  : 'Ketuk 6 angka PIN, lalu tekan tombol Bayar.'
              }
              disabled={busy || short > 0 || expired}
            />
            <ForgotHelp code={me.koperasi.code} label="Lupa PIN?" />
            <ErrorMessage message={error} />
            <div class="actions">
              {needsNewQuote || expired ? (
                <button type="button" class="button primary" onClick={restart}>
                  Cek tagihan lagi
                </button>
              ) : short > 0 ? (
                <button type="button" class="button primary wrap-button" disabled>
                  Kurang {rupiah(short)} — setor ke bendahara
                </button>
              ) : (
                <button type="submit" class="button primary" disabled={busy} aria-busy={busy}>
                  {busy ? 'Memproses…' : `Bayar ${rupiah(quote.total)}`}
                </button>
              )}
              <button type="button" class="button secondary" onClick={restart} disabled={busy}>
                Ubah
              </button>
            </div>
          </form>
        </>
      )}
    </>
  );
}
