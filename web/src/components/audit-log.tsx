/**
 * The audit log of one koperasi: who did what, when (WIB) and why, newest first, with filters and
 * "Muat lebih banyak". The same component reads GET /v1/audit (treasurer, pengawas) and
 * GET /v1/office/koperasi/:id/audit (the office), which share one shape.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { get, query } from '../api';
import { messageFor } from '../errors';
import { ACTOR_LABELS, productName, rupiah, todayWib, wibClock, wibDate } from '../format';
import type { ActorType, AuditEntry, Page } from '../types';
import { ErrorMessage } from './alert';

interface Filters {
  from: string;
  to: string;
  actor: ActorType | '';
  action: string;
  q: string;
}

const NO_FILTERS: Filters = { from: '', to: '', actor: '', action: '', q: '' };

/** The actor types people filter by (the admin token reads as "Operator platform" too). */
const ACTOR_CHOICES: ActorType[] = [
  'treasurer',
  'pengawas',
  'member',
  'system',
  'upstream',
  'supervisor',
  'operator',
];

/** Action prefixes (the API filters by prefix) and what they mean. */
const ACTION_CHOICES: { value: string; label: string }[] = [
  { value: 'savings.deposit', label: 'Setoran simpanan' },
  { value: 'payment.resolve', label: 'Penyelesaian pembayaran suspect' },
  { value: 'member.', label: 'Anggota (daftar, buka PIN)' },
  { value: 'fee.', label: 'Biaya koperasi' },
  { value: 'recon.', label: 'Rekonsiliasi' },
  { value: 'pengawas.', label: 'Akun pengawas' },
  { value: 'koperasi.', label: 'Data koperasi' },
];

const ACTIONS: Record<string, string> = {
  'koperasi.create': 'Mendaftarkan koperasi',
  'member.create': 'Mendaftarkan anggota',
  'member.pin_unlock': 'Membuka PIN anggota yang terkunci',
  'savings.deposit': 'Mencatat setoran simpanan',
  'fee.set': 'Mengubah biaya koperasi',
  'payment.resolve.success': 'Menyelesaikan pembayaran suspect: berhasil',
  'payment.resolve.failed': 'Menyelesaikan pembayaran suspect: gagal, dana dikembalikan',
  'pengawas.create': 'Membuat akun pengawas',
  'recon.auto_success': 'Rekonsiliasi: pembayaran ditetapkan berhasil',
  'recon.auto_failed': 'Rekonsiliasi: pembayaran ditetapkan gagal, dana dikembalikan',
  'recon.auto_refund': 'Rekonsiliasi: dana dikembalikan',
  'recon.needs_review': 'Rekonsiliasi: perlu diperiksa',
  'office.supervisor.create': 'Membuat akun petugas Dinas',
  'office.operator.create': 'Membuat akun operator',
};

/** Amounts in audit entries are whole rupiah, stored as a number or as a string of digits (bigint). */
const amount = (value: unknown): number | undefined =>
  typeof value === 'number'
    ? value
    : typeof value === 'string' && /^\d{1,15}$/.test(value)
      ? Number(value)
      : undefined;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

/** What the entry changed, in one line (only what the entry itself carries; no lookups). */
function details(entry: AuditEntry): string | undefined {
  const after = entry.after ?? {};
  const before = entry.before ?? {};
  switch (entry.action) {
    case 'member.create':
      return [text(after.name), text(after.memberNo) && `(${text(after.memberNo)})`]
        .filter(Boolean)
        .join(' ');
    case 'savings.deposit': {
      const deposited = amount(after.amount);
      return deposited === undefined
        ? text(after.reference)
        : `${rupiah(deposited)}${text(after.reference) ? ` · ${text(after.reference)}` : ''}`;
    }
    case 'fee.set': {
      const [was, now] = [amount(before.amount), amount(after.amount)];
      if (now === undefined) return productName(entry.subjectId);
      return `${productName(entry.subjectId)}: ${was === undefined ? '' : `${rupiah(was)} → `}${rupiah(now)}`;
    }
    case 'pengawas.create':
      return text(after.name);
    case 'koperasi.create':
      return text(after.name);
    default:
      return entry.subjectType === 'payment' ? `Pembayaran ${entry.subjectId.slice(0, 8)}…` : undefined;
  }
}

export const actionLabel = (action: string): string => ACTIONS[action] ?? action;

function Who({ entry }: { entry: AuditEntry }) {
  const role = ACTOR_LABELS[entry.actorType] ?? entry.actorType;
  return (
    <>
      <span class="block">{entry.actorName ?? role}</span>
      {entry.actorName && <span class="muted small">{role}</span>}
    </>
  );
}

export function AuditLog({ path, label = 'Log audit' }: { path: string; label?: string }) {
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [applied, setApplied] = useState<Filters>(NO_FILTERS);
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();

  const load = useCallback(
    async (after?: string) => {
      setLoading(true);
      try {
        const page = await get<Page<AuditEntry>>(`${path}${query({ ...applied, cursor: after, limit: 50 })}`);
        setItems((current) => (after ? [...current, ...page.items] : page.items));
        setCursor(page.nextCursor);
        setError(undefined);
      } catch (e) {
        setError(messageFor(e));
      } finally {
        setLoading(false);
      }
    },
    [path, applied],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const set = (key: keyof Filters) => (e: Event) =>
    setDraft((d) => ({ ...d, [key]: (e.currentTarget as HTMLInputElement).value }));

  const submit = (e: Event) => {
    e.preventDefault();
    if (draft.from && draft.to && draft.from > draft.to) {
      setError('Tanggal “dari” tidak boleh sesudah tanggal “sampai”.');
      return;
    }
    setApplied({ ...draft, q: draft.q.trim() });
  };

  const filtered = Object.values(applied).some(Boolean);
  const id = path.replace(/[^a-z0-9]+/gi, '-');
  return (
    <section class="audit" aria-label={label} aria-busy={loading}>
      <form class="card filters" onSubmit={submit} role="search" aria-label={`Saring ${label.toLowerCase()}`}>
        <div class="filter-grid">
          <div class="field">
            <label for={`${id}-from`}>Dari tanggal</label>
            <input id={`${id}-from`} type="date" max={todayWib()} value={draft.from} onInput={set('from')} />
          </div>
          <div class="field">
            <label for={`${id}-to`}>Sampai tanggal</label>
            <input id={`${id}-to`} type="date" max={todayWib()} value={draft.to} onInput={set('to')} />
          </div>
          <div class="field">
            <label for={`${id}-actor`}>Pelaku</label>
            <select id={`${id}-actor`} value={draft.actor} onChange={set('actor')}>
              <option value="">Semua</option>
              {ACTOR_CHOICES.map((actor) => (
                <option key={actor} value={actor}>
                  {ACTOR_LABELS[actor]}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for={`${id}-action`}>Tindakan</label>
            <select id={`${id}-action`} value={draft.action} onChange={set('action')}>
              <option value="">Semua</option>
              {ACTION_CHOICES.map((a) => (
                <option key={a.value} value={a.value}>
                  {a.label}
                </option>
              ))}
            </select>
          </div>
          <div class="field wide-field">
            <label for={`${id}-q`}>Cari</label>
            <input
              id={`${id}-q`}
              type="search"
              value={draft.q}
              onInput={set('q')}
              maxLength={100}
              aria-describedby={`${id}-q-hint`}
            />
            <p class="hint" id={`${id}-q-hint`}>
              Nomor anggota, alasan, produk, atau ID data.
            </p>
          </div>
        </div>
        <div class="actions">
          <button type="submit" class="button primary">
            Terapkan
          </button>
          {filtered && (
            <button
              type="button"
              class="button secondary"
              onClick={() => {
                setDraft(NO_FILTERS);
                setApplied(NO_FILTERS);
              }}
            >
              Hapus saringan
            </button>
          )}
        </div>
      </form>
      <ErrorMessage message={error} />
      {items.length === 0 && !loading && !error && (
        <p class="empty">
          {filtered ? 'Tidak ada catatan yang cocok dengan saringan.' : 'Belum ada catatan.'}
        </p>
      )}
      {items.length > 0 && (
        <div class="table-wrap">
          <table class="audit-table stack">
            <caption class="sr-only">{label}: siapa, apa, kapan, mengapa</caption>
            <thead>
              <tr>
                <th scope="col">Waktu (WIB)</th>
                <th scope="col">Siapa</th>
                <th scope="col">Apa</th>
                <th scope="col">Alasan</th>
              </tr>
            </thead>
            <tbody>
              {items.map((entry) => {
                const detail = details(entry);
                return (
                  <tr key={entry.id} data-action={entry.action}>
                    <td data-label="Waktu" class="nowrap">
                      <time dateTime={entry.at}>
                        <span class="block">{wibDate(entry.at)}</span>
                        <span class="muted">{wibClock(entry.at)}</span>
                      </time>
                    </td>
                    <td data-label="Siapa">
                      <Who entry={entry} />
                    </td>
                    <td data-label="Apa">
                      <span class="block">{actionLabel(entry.action)}</span>
                      {detail && <span class="muted small">{detail}</span>}
                    </td>
                    <td data-label="Alasan">{entry.reason ?? <span class="muted">—</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {loading && (
        <p class="muted" role="status">
          Memuat…
        </p>
      )}
      {cursor && !loading && (
        <button type="button" class="button secondary" onClick={() => void load(cursor)}>
          Muat lebih banyak
        </button>
      )}
    </section>
  );
}
