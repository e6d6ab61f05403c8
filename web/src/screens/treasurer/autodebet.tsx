/**
 * Autodebet in the treasurer's console: the koperasi's subscriptions (those not paid this month first), and on a
 * member's page their subscriptions with pause/resume/cancel and a form to set one up from a signed mandate.
 * The pengawas sees the same without any button that changes something.
 */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { get, post, query } from '../../api';
import { STATUS_WORDS, type Subscription, dayWords, dueDay } from '../../autodebet';
import { ErrorMessage, StatusMessage } from '../../components/alert';
import { Field } from '../../components/field';
import { PageTitle } from '../../components/page-title';
import { messageFor } from '../../errors';
import { parseRupiah, productName, rupiah } from '../../format';
import { href } from '../../router';
import type { Product } from '../../types';

function Row({ s, actions }: { s: Subscription; actions?: ComponentChildren }) {
  return (
    <tr data-subscription={s.id} class={s.needsAttention ? 'autodebet-attention-row' : undefined}>
      <td>
        <a href={href('anggota', s.memberNo)}>{s.memberNo}</a>
        <span class="muted small block">{s.memberName}</span>
      </td>
      <td>
        {s.nickname}
        <span class="muted small block">
          {productName(s.product)} · <span class="nowrap">{s.customerNo}</span>
        </span>
      </td>
      <td>{dayWords(s.dayOfMonth)}</td>
      <td class="money">{rupiah(s.maxAmount)}</td>
      <td>
        <span class={`badge autodebet-${s.status}`}>{STATUS_WORDS[s.status]}</span>
        {s.nextDueDate && <span class="muted small block">berikutnya {dueDay(s.nextDueDate)}</span>}
      </td>
      <td>{s.thisMonth ? s.thisMonth.outcomeText : <span class="muted">—</span>}</td>
      {actions !== undefined && <td>{actions}</td>}
    </tr>
  );
}

function Table({
  items,
  label,
  actionsOf,
}: {
  items: Subscription[];
  label: string;
  actionsOf?: (s: Subscription) => ComponentChildren;
}) {
  return (
    <div class="table-scroll">
      <table class="autodebet-table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Anggota</th>
            <th scope="col">Tagihan</th>
            <th scope="col">Tanggal</th>
            <th scope="col">Batas</th>
            <th scope="col">Status</th>
            <th scope="col">Bulan ini</th>
            {actionsOf && <th scope="col">Tindakan</th>}
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <Row key={s.id} s={s} {...(actionsOf ? { actions: actionsOf(s) } : {})} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The koperasi's autodebet: this month's skipped ones first, then all, newest first. */
export function AutodebetScreen() {
  const [attention, setAttention] = useState<Subscription[] | null>(null);
  const [all, setAll] = useState<Subscription[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const load = useCallback(async (after?: string) => {
    try {
      type Page = { items: Subscription[]; nextCursor: string | null };
      const [needs, page] = await Promise.all([
        after
          ? Promise.resolve(null)
          : get<Page>(`/v1/subscriptions${query({ attention: 'true', limit: 100 })}`),
        get<Page>(`/v1/subscriptions${query({ attention: 'false', limit: 50, cursor: after })}`),
      ]);
      if (needs) setAttention(needs.items);
      setAll((current) => (after ? [...current, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setError(undefined);
    } catch (e) {
      setError(messageFor(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <>
      <PageTitle title="Autodebet">Autodebet</PageTitle>
      <ErrorMessage message={error} />
      <section aria-labelledby="autodebet-attention">
        <h2 id="autodebet-attention">Tidak terbayar bulan ini</h2>
        {attention?.length === 0 && <p class="empty">Semua autodebet bulan ini berjalan.</p>}
        {attention && attention.length > 0 && (
          <Table items={attention} label="Autodebet yang tidak terbayar bulan ini" />
        )}
      </section>
      <section aria-labelledby="autodebet-all">
        <h2 id="autodebet-all">Semua autodebet</h2>
        {all.length === 0 && attention !== null && <p class="empty">Belum ada autodebet.</p>}
        {all.length > 0 && <Table items={all} label="Semua autodebet" />}
        {cursor && (
          <p class="actions">
            <button type="button" class="button secondary" onClick={() => void load(cursor)}>
              Tampilkan lebih banyak
            </button>
          </p>
        )}
      </section>
    </>
  );
}

const DAYS = Array.from({ length: 31 }, (_, i) => i + 1);

function CreateForm({ memberNo, onDone }: { memberNo: string; onDone: (s: Subscription) => void }) {
  const [products, setProducts] = useState<Product[]>([]);
  const [product, setProduct] = useState('');
  const [customerNo, setCustomerNo] = useState('');
  const [nickname, setNickname] = useState('');
  const [day, setDay] = useState('10');
  const [limit, setLimit] = useState('');
  const [months, setMonths] = useState('1');
  const [mandate, setMandate] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    get<{ items: Product[] }>('/v1/products')
      .then((r) => {
        const bills = r.items.filter((p) => p.kind === 'bill');
        setProducts(bills);
        setProduct((current) => current || (bills[0]?.code ?? ''));
      })
      .catch((e: unknown) => setError(messageFor(e)));
  }, []);
  const spec = products.find((p) => p.code === product);
  const submit = async (e: Event) => {
    e.preventDefault();
    const max = parseRupiah(limit);
    if (max === undefined || max <= 0) {
      setError('Isi batas bayar otomatis dalam rupiah.');
      return;
    }
    setBusy(true);
    try {
      const created = await post<Subscription>(`/v1/members/${encodeURIComponent(memberNo)}/subscriptions`, {
        product,
        customerNo: customerNo.trim(),
        nickname: nickname.trim(),
        dayOfMonth: Number(day),
        maxAmount: max,
        ...(spec?.months ? { months: Number(months) } : {}),
      });
      setError(undefined);
      onDone(created);
    } catch (err) {
      setError(messageFor(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card autodebet-form" onSubmit={(e) => void submit(e)} noValidate>
      <h3>Autodebet baru (surat kuasa di loket)</h3>
      <ErrorMessage message={error} />
      <div class="field">
        <label for="f-ad-product">Produk</label>
        <select id="f-ad-product" value={product} onChange={(e) => setProduct(e.currentTarget.value)}>
          {products.map((p) => (
            <option key={p.code} value={p.code}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <Field
        id="f-ad-no"
        label="Nomor pelanggan"
        name="customerNo"
        value={customerNo}
        onValue={setCustomerNo}
        inputMode="numeric"
        autocomplete="off"
        hint={spec?.customerNoHint}
      />
      <Field
        id="f-ad-nick"
        label="Nama untuk nomor ini"
        name="nickname"
        value={nickname}
        onValue={setNickname}
        maxLength={40}
      />
      <div class="field">
        <label for="f-ad-day">Tanggal bayar</label>
        <select id="f-ad-day" value={day} onChange={(e) => setDay(e.currentTarget.value)}>
          {DAYS.map((d) => (
            <option key={d} value={String(d)}>
              {dayWords(d)}
            </option>
          ))}
        </select>
      </div>
      <Field
        id="f-ad-limit"
        label="Bayar otomatis sampai Rp …"
        name="maxAmount"
        value={limit}
        onValue={setLimit}
        inputMode="numeric"
        autocomplete="off"
      />
      {spec?.months && (
        <div class="field">
          <label for="f-ad-months">Jumlah bulan setiap bayar</label>
          <select id="f-ad-months" value={months} onChange={(e) => setMonths(e.currentTarget.value)}>
            {Array.from(
              { length: spec.months.max - spec.months.min + 1 },
              (_, i) => spec.months!.min + i,
            ).map((m) => (
              <option key={m} value={String(m)}>
                {m} bulan
              </option>
            ))}
          </select>
        </div>
      )}
      <label class="choice">
        <input type="checkbox" checked={mandate} onChange={(e) => setMandate(e.currentTarget.checked)} />
        <span>Anggota sudah menandatangani surat kuasa autodebet.</span>
      </label>
      <button type="submit" class="button primary" disabled={busy || !mandate} aria-busy={busy}>
        Aktifkan autodebet
      </button>
    </form>
  );
}

/** On the member's page: their subscriptions, and (treasurer) the actions and the form. */
export function MemberSubscriptions({ memberNo, readOnly }: { memberNo: string; readOnly: boolean }) {
  const [items, setItems] = useState<Subscription[] | null>(null);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [adding, setAdding] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState<string>();
  const base = `/v1/members/${encodeURIComponent(memberNo)}/subscriptions`;
  const load = useCallback(async () => {
    try {
      setItems((await get<{ items: Subscription[] }>(base)).items);
      setError(undefined);
    } catch (e) {
      setError(messageFor(e));
    }
  }, [base]);
  useEffect(() => {
    void load();
  }, [load]);
  const act = async (s: Subscription, action: 'pause' | 'resume' | 'cancel', message: string) => {
    try {
      await post(`${base}/${s.id}/${action}`);
      setNotice(message);
      setConfirmCancel(undefined);
      await load();
    } catch (e) {
      setError(messageFor(e));
    }
  };
  const actionsOf = (s: Subscription) =>
    s.status === 'cancelled' ? (
      <span class="muted">—</span>
    ) : confirmCancel === s.id ? (
      <span class="actions">
        <button
          type="button"
          class="button danger"
          onClick={() => void act(s, 'cancel', `Autodebet ${s.nickname} dihentikan.`)}
        >
          Ya, hentikan
        </button>
        <button type="button" class="button secondary" onClick={() => setConfirmCancel(undefined)}>
          Batal
        </button>
      </span>
    ) : (
      <span class="actions">
        {s.status === 'active' ? (
          <button
            type="button"
            class="button secondary"
            onClick={() => void act(s, 'pause', `Autodebet ${s.nickname} dijeda.`)}
          >
            Jeda
          </button>
        ) : (
          <button
            type="button"
            class="button secondary"
            onClick={() => void act(s, 'resume', `Autodebet ${s.nickname} dilanjutkan.`)}
          >
            Lanjutkan
          </button>
        )}
        <button type="button" class="button danger" onClick={() => setConfirmCancel(s.id)}>
          Hentikan
        </button>
      </span>
    );
  return (
    <section aria-labelledby="member-autodebet">
      <h2 id="member-autodebet">Autodebet</h2>
      <ErrorMessage message={error} />
      <StatusMessage message={notice} tone="success" />
      {items?.length === 0 && <p class="empty">Belum ada autodebet.</p>}
      {items && items.length > 0 && (
        <Table items={items} label="Autodebet anggota" {...(readOnly ? {} : { actionsOf })} />
      )}
      {!readOnly &&
        (adding ? (
          <CreateForm
            memberNo={memberNo}
            onDone={(s) => {
              setAdding(false);
              setNotice(`Autodebet ${s.nickname} aktif.`);
              void load();
            }}
          />
        ) : (
          <p class="actions">
            <button type="button" class="button secondary" onClick={() => setAdding(true)}>
              Tambah autodebet
            </button>
          </p>
        ))}
    </section>
  );
}
