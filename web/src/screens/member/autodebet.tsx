/**
 * Autodebet for the member: the list (Akun › Autodebet), a new one from a saved number with the PIN, and one
 * subscription with its history, pause/resume and cancel (asked twice: cancelling is final).
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { get, post } from '../../api';
import { STATUS_WORDS, type Subscription, type SubscriptionDetail, dayWords, dueDay } from '../../autodebet';
import { ErrorMessage, StatusMessage } from '../../components/alert';
import { PageTitle } from '../../components/page-title';
import { PIN_LENGTH, PinPad } from '../../components/pin-pad';
import { messageFor } from '../../errors';
import { monthName, parseRupiah, productName, rupiah, statusLabel } from '../../format';
import { href, navigate } from '../../router';
import { useSavedNumbers } from '../../saved-numbers';
import type { Product } from '../../types';

/** The card on the Akun screen that leads here. */
export function AutodebetLink() {
  return (
    <section class="card saved-link" aria-labelledby="autodebet-link-title">
      <h2 id="autodebet-link-title">Autodebet</h2>
      <p class="muted">Tagihan bulanan dibayar otomatis dari simpanan, sampai batas yang Anda tentukan.</p>
      <a class="button secondary" href={href('autodebet')}>
        Atur autodebet
      </a>
    </section>
  );
}

function StatusChip({ status }: { status: Subscription['status'] }) {
  return <span class={`badge autodebet-${status}`}>{STATUS_WORDS[status]}</span>;
}

function SubscriptionCard({ s }: { s: Subscription }) {
  return (
    <li class="card autodebet-card" data-subscription={s.id}>
      <p class="autodebet-head">
        <a href={href('autodebet', s.id)}>
          <strong>{s.nickname}</strong>
        </a>{' '}
        <StatusChip status={s.status} />
      </p>
      <p class="muted small">
        {productName(s.product)} · <span class="nowrap">{s.customerNo}</span>
        {s.months ? ` · ${s.months} bulan` : ''}
      </p>
      <dl class="rows compact">
        <dt>Berikutnya</dt>
        <dd>{s.nextDueDate ? dueDay(s.nextDueDate) : '—'}</dd>
        <dt>Batas</dt>
        <dd class="money">{rupiah(s.maxAmount)}</dd>
      </dl>
      {s.thisMonth && (
        <p class={`small${s.needsAttention ? ' autodebet-attention' : ' muted'}`}>
          Bulan ini: {s.thisMonth.outcomeText}
        </p>
      )}
    </li>
  );
}

export function AutodebetList() {
  const [items, setItems] = useState<Subscription[] | null>(null);
  const [error, setError] = useState<string>();
  useEffect(() => {
    get<{ items: Subscription[] }>('/v1/me/subscriptions')
      .then((r) => setItems(r.items))
      .catch((e: unknown) => setError(messageFor(e)));
  }, []);
  const live = items?.filter((s) => s.status !== 'cancelled') ?? [];
  const ended = items?.filter((s) => s.status === 'cancelled') ?? [];
  return (
    <>
      <PageTitle title="Autodebet">Autodebet</PageTitle>
      <p>
        <a href={href('akun')}>← Akun</a>
      </p>
      <p class="muted">
        Pada tanggal yang Anda pilih, tagihan dicek lalu dibayar dari simpanan bila tidak melebihi batas. Bila
        tidak bisa dibayar, Anda diberi tahu lewat notifikasi.
      </p>
      <ErrorMessage message={error} />
      <p class="actions">
        <a class="button primary" href={href('autodebet', 'baru')}>
          Tambah autodebet
        </a>
      </p>
      {items === null && !error && <p class="muted">Memuat…</p>}
      {items?.length === 0 && <p class="empty">Belum ada autodebet.</p>}
      {live.length > 0 && (
        <ul class="autodebet-list" aria-label="Autodebet aktif dan dijeda">
          {live.map((s) => (
            <SubscriptionCard key={s.id} s={s} />
          ))}
        </ul>
      )}
      {ended.length > 0 && (
        <>
          <h2>Sudah dihentikan</h2>
          <ul class="autodebet-list" aria-label="Autodebet yang dihentikan">
            {ended.map((s) => (
              <SubscriptionCard key={s.id} s={s} />
            ))}
          </ul>
        </>
      )}
    </>
  );
}

const DAYS = Array.from({ length: 31 }, (_, i) => i + 1);

export function AutodebetForm({ products }: { products: Product[] | null }) {
  const { items: saved } = useSavedNumbers();
  const billable = (saved ?? []).filter((n) => products?.find((p) => p.code === n.product)?.kind !== 'token');
  const [savedId, setSavedId] = useState<string>();
  const [day, setDay] = useState(String(Math.min(new Date().getDate(), 28)));
  const [limit, setLimit] = useState('');
  const [months, setMonths] = useState('1');
  const [pin, setPin] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);
  const chosen = billable.find((n) => n.id === savedId);
  const product = products?.find((p) => p.code === chosen?.product);

  useEffect(() => {
    if (!savedId && billable[0]) setSavedId(billable[0].id);
  }, [billable, savedId]);
  useEffect(() => {
    if (chosen?.months) setMonths(String(chosen.months));
  }, [chosen?.id]);

  const submit = async (e: Event) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    const max = parseRupiah(limit);
    if (!chosen) found.saved = 'Pilih nomor yang dibayar otomatis.';
    if (max === undefined || max <= 0) found.limit = 'Isi batas dalam rupiah, misalnya 300.000.';
    else if (max > 10_000_000) found.limit = 'Batas paling tinggi Rp 10.000.000.';
    if (pin.length !== PIN_LENGTH) found.pin = 'Masukkan 6 angka PIN.';
    setErrors(found);
    if (Object.keys(found).length > 0 || !chosen || max === undefined) return;
    setBusy(true);
    try {
      const created = await post<Subscription>('/v1/me/subscriptions', {
        savedNumberId: chosen.id,
        dayOfMonth: Number(day),
        maxAmount: max,
        ...(product?.months ? { months: Number(months) } : {}),
        pin,
      });
      navigate('autodebet', created.id);
    } catch (err) {
      setError(messageFor(err));
      setPin('');
      pinRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle title="Autodebet baru">Autodebet baru</PageTitle>
      <p>
        <a href={href('autodebet')}>← Autodebet</a>
      </p>
      <ErrorMessage message={error} />
      {saved !== null && billable.length === 0 ? (
        <p class="empty">
          Simpan dulu nomor tagihan Anda di <a href={href('akun', 'nomor')}>Akun › Nomor tersimpan</a>, lalu
          kembali ke sini.
        </p>
      ) : (
        <form class="card autodebet-form" onSubmit={(e) => void submit(e)} noValidate>
          <fieldset class={`field${errors.saved ? ' field-invalid' : ''}`}>
            <legend>Nomor yang dibayar</legend>
            {billable.map((n) => (
              <label key={n.id} class="choice">
                <input
                  type="radio"
                  name="savedNumberId"
                  value={n.id}
                  checked={n.id === savedId}
                  onChange={() => setSavedId(n.id)}
                />
                <span>
                  <strong>{n.nickname}</strong>
                  <span class="muted small block">
                    {productName(n.product)} · {n.customerNo}
                  </span>
                </span>
              </label>
            ))}
            {errors.saved && <p class="field-error">{errors.saved}</p>}
          </fieldset>
          <div class="field">
            <label for="f-day">Tanggal bayar</label>
            <select id="f-day" name="dayOfMonth" value={day} onChange={(e) => setDay(e.currentTarget.value)}>
              {DAYS.map((d) => (
                <option key={d} value={String(d)}>
                  {dayWords(d)}
                </option>
              ))}
            </select>
            <p class="hint">Bila belum ada tagihan, dicoba lagi setiap pagi sampai 5 hari sesudahnya.</p>
          </div>
          <div class={`field${errors.limit ? ' field-invalid' : ''}`}>
            <label for="f-limit">Bayar otomatis sampai Rp …</label>
            <input
              id="f-limit"
              name="maxAmount"
              inputMode="numeric"
              autocomplete="off"
              placeholder="300.000"
              value={limit}
              onInput={(e) => setLimit(e.currentTarget.value)}
              aria-invalid={errors.limit ? 'true' : undefined}
              aria-describedby={errors.limit ? 'f-limit-hint f-limit-error' : 'f-limit-hint'}
            />
            <p class="hint" id="f-limit-hint">
              Tagihan di atas batas ini tidak dibayar; Anda diberi tahu.
            </p>
            {errors.limit && (
              <p class="field-error" id="f-limit-error">
                {errors.limit}
              </p>
            )}
          </div>
          {product?.months && (
            <div class="field">
              <label for="f-months">Jumlah bulan setiap bayar</label>
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
                  <option key={m} value={String(m)}>
                    {m} bulan
                  </option>
                ))}
              </select>
            </div>
          )}
          <PinPad
            value={pin}
            onChange={setPin}
            inputRef={pinRef}
            error={errors.pin}
            hint="PIN Anda menyetujui pembayaran otomatis dari simpanan setiap bulan."
            disabled={busy}
          />
          <button type="submit" class="button primary wide" disabled={busy} aria-busy={busy}>
            Aktifkan autodebet
          </button>
        </form>
      )}
    </>
  );
}

export function AutodebetDetail({ id }: { id: string }) {
  const [s, setS] = useState<SubscriptionDetail | null>(null);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const load = useCallback(async () => {
    try {
      setS(await get<SubscriptionDetail>(`/v1/me/subscriptions/${id}`));
    } catch (e) {
      setError(messageFor(e));
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  const act = async (action: 'pause' | 'resume' | 'cancel', message: string) => {
    setBusy(true);
    try {
      await post(`/v1/me/subscriptions/${id}/${action}`);
      setError(undefined);
      setNotice(message);
      setConfirming(false);
      await load();
    } catch (e) {
      setError(messageFor(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle title="Autodebet">{s ? `Autodebet ${s.nickname}` : 'Autodebet'}</PageTitle>
      <p>
        <a href={href('autodebet')}>← Autodebet</a>
      </p>
      <ErrorMessage message={error} />
      <StatusMessage message={notice} tone="success" />
      {s && (
        <>
          <section class="card" aria-label="Ringkasan autodebet">
            <dl class="rows">
              <dt>Status</dt>
              <dd>
                <StatusChip status={s.status} />
              </dd>
              <dt>Tagihan</dt>
              <dd>
                {productName(s.product)} · <span class="nowrap">{s.customerNo}</span>
              </dd>
              {s.months && (
                <>
                  <dt>Jumlah bulan</dt>
                  <dd>{s.months} bulan</dd>
                </>
              )}
              <dt>Tanggal bayar</dt>
              <dd>{dayWords(s.dayOfMonth)}</dd>
              <dt>Batas</dt>
              <dd class="money">{rupiah(s.maxAmount)}</dd>
              <dt>Berikutnya</dt>
              <dd>{s.nextDueDate ? dueDay(s.nextDueDate) : '—'}</dd>
            </dl>
            {s.status !== 'cancelled' && !confirming && (
              <p class="actions">
                {s.status === 'active' ? (
                  <button
                    type="button"
                    class="button secondary"
                    disabled={busy}
                    onClick={() =>
                      void act('pause', 'Autodebet dijeda: tidak ada pembayaran sampai dilanjutkan.')
                    }
                  >
                    Jeda
                  </button>
                ) : (
                  <button
                    type="button"
                    class="button primary"
                    disabled={busy}
                    onClick={() => void act('resume', 'Autodebet dilanjutkan.')}
                  >
                    Lanjutkan
                  </button>
                )}
                <button
                  type="button"
                  class="button danger"
                  disabled={busy}
                  onClick={() => setConfirming(true)}
                >
                  Hentikan
                </button>
              </p>
            )}
            {confirming && (
              <div class="alert alert-warning" role="group" aria-label="Hentikan autodebet?">
                <p>
                  Hentikan autodebet “{s.nickname}” untuk selamanya? Tagihan berikutnya tidak dibayar otomatis
                  lagi.
                </p>
                <div class="actions">
                  <button
                    type="button"
                    class="button danger"
                    disabled={busy}
                    aria-busy={busy}
                    onClick={() => void act('cancel', 'Autodebet dihentikan.')}
                  >
                    Ya, hentikan
                  </button>
                  <button
                    type="button"
                    class="button secondary"
                    disabled={busy}
                    onClick={() => setConfirming(false)}
                  >
                    Batal
                  </button>
                </div>
              </div>
            )}
          </section>
          <section aria-labelledby="autodebet-history">
            <h2 id="autodebet-history">Riwayat</h2>
            {s.runs.length === 0 && <p class="empty">Belum pernah berjalan.</p>}
            <ul class="autodebet-runs">
              {s.runs.map((run) => (
                <li key={run.id} class="card">
                  <p>
                    <strong>{monthName(run.period)}</strong>{' '}
                    <span class="muted small">{run.outcomeText}</span>
                  </p>
                  {run.payment && (
                    <p class="small">
                      <a href={href('pembayaran', run.payment.id)}>
                        Pembayaran {rupiah(run.payment.total)} · {statusLabel(run.payment.status)}
                      </a>
                    </p>
                  )}
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </>
  );
}
