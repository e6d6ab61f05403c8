/**
 * The office console: one table of every koperasi of the region, refreshed every 15 s and on focus.
 * Sorting by column header (aria-sort), a search by name or code, and the koperasi with problems marked
 * (a coloured left edge and badges in words) with a filter to show only those.
 */
import { useMemo, useState } from 'preact/hooks';
import { get } from '../../api';
import { ErrorMessage } from '../../components/alert';
import { PageTitle } from '../../components/page-title';
import { count, rupiah, wibClock } from '../../format';
import { href, navigate } from '../../router';
import type { OfficeRow } from '../../types';
import { LedgerCell, ProblemBadges, ReconCell, SuspectCell } from './labels';
import { MonthlySummary } from './summary';
import { useRefreshed } from './use-refresh';

type SortKey =
  | 'name'
  | 'today'
  | 'month'
  | 'fees'
  | 'members'
  | 'deposits'
  | 'suspects'
  | 'review'
  | 'recon'
  | 'ledger'
  | 'pin';

interface Column {
  key: SortKey;
  label: string;
  /** Screen-reader and sort-menu name when the visible label is short. */
  long?: string;
  num?: boolean;
  value: (row: OfficeRow) => number | string;
}

const reconRank = (row: OfficeRow): number =>
  row.reconciliation.length === 0
    ? 3
    : Math.max(...row.reconciliation.map((r) => ({ clean: 0, differences: 1, failed: 2 })[r.outcome]));

const COLUMNS: Column[] = [
  { key: 'name', label: 'Koperasi', value: (r) => r.name.toLowerCase() },
  { key: 'today', label: 'Hari ini', long: 'Pembayaran hari ini', num: true, value: (r) => r.today.total },
  { key: 'month', label: 'Bulan ini', long: 'Pembayaran bulan ini', num: true, value: (r) => r.month.total },
  {
    key: 'fees',
    label: 'Pendapatan biaya',
    long: 'Pendapatan biaya bulan ini',
    num: true,
    value: (r) => r.month.feeIncome,
  },
  { key: 'members', label: 'Anggota aktif', num: true, value: (r) => r.activeMembers },
  { key: 'deposits', label: 'Setoran', long: 'Setoran bulan ini', num: true, value: (r) => r.month.deposits },
  {
    key: 'suspects',
    label: 'Suspect',
    long: 'Suspect terbuka',
    num: true,
    value: (r) => r.suspects.open * 1e9 + (r.suspects.oldestMinutes ?? 0),
  },
  { key: 'review', label: 'Perlu ditinjau', num: true, value: (r) => r.reviewItems },
  { key: 'recon', label: 'Rekonsiliasi terakhir', value: reconRank },
  {
    key: 'ledger',
    label: 'Buku besar',
    value: (r) => (r.ledger.verified === false ? 2 : r.ledger.verified === null ? 1 : 0),
  },
  { key: 'pin', label: 'PIN terkunci', num: true, value: (r) => r.pinLockouts },
];

interface Sort {
  key: SortKey;
  descending: boolean;
}

function sortRows(rows: OfficeRow[], sort: Sort): OfficeRow[] {
  const column = COLUMNS.find((c) => c.key === sort.key) ?? COLUMNS[0]!;
  const sign = sort.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = column.value(a);
    const y = column.value(b);
    const order = x < y ? -1 : x > y ? 1 : 0;
    return order * sign || a.name.localeCompare(b.name, 'id');
  });
}

function Figures({ payments, total }: { payments: number; total: number }) {
  return (
    <>
      <span class="money block">{rupiah(total)}</span>
      <span class="muted small nowrap">{count(payments)} pembayaran</span>
    </>
  );
}

function Pair({ today, month }: { today: number; month: number }) {
  return (
    <>
      <span class="money block">{rupiah(month)}</span>
      <span class="muted small block nowrap">hari ini</span>
      <span class="muted small nowrap">{rupiah(today)}</span>
    </>
  );
}

export function OfficeConsole() {
  const { data, error, loading } = useRefreshed(
    (signal) => get<{ generatedAt: string; koperasi: OfficeRow[] }>('/v1/office/koperasi', signal),
    'office',
  );
  const [search, setSearch] = useState('');
  const [onlyProblems, setOnlyProblems] = useState(false);
  const [sort, setSort] = useState<Sort>({ key: 'name', descending: false });

  const all = data?.koperasi ?? [];
  const withProblems = all.filter((r) => r.problems.length > 0).length;
  const rows = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const shown = all.filter(
      (r) =>
        (!onlyProblems || r.problems.length > 0) &&
        (!needle || r.name.toLowerCase().includes(needle) || r.code.toLowerCase().includes(needle)),
    );
    return sortRows(shown, sort);
  }, [all, search, onlyProblems, sort]);

  const sortBy = (key: SortKey) =>
    setSort((s) =>
      s.key === key ? { key, descending: !s.descending } : { key, descending: key !== 'name' },
    );

  return (
    <>
      <PageTitle title="Semua koperasi">Semua koperasi</PageTitle>
      <p class="muted">
        Angka hari ini dan bulan ini (WIB), masalah yang terbuka, rekonsiliasi dan kesehatan buku besar.
        Diperbarui otomatis setiap 15 detik.{' '}
        {data && (
          <span class="nowrap" data-testid="generated-at">
            Terakhir diperbarui pukul {wibClock(data.generatedAt)} WIB.
          </span>
        )}
      </p>
      <div class="toolbar card">
        <div class="field">
          <label for="office-search">Cari koperasi</label>
          <input
            id="office-search"
            type="search"
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
            placeholder="Nama atau kode"
            autocomplete="off"
          />
        </div>
        <label class="check">
          <input
            type="checkbox"
            checked={onlyProblems}
            onChange={(e) => setOnlyProblems(e.currentTarget.checked)}
          />
          Hanya yang bermasalah ({withProblems})
        </label>
        <div class="field sort-select">
          <label for="office-sort">Urutkan</label>
          <select
            id="office-sort"
            value={`${sort.key}:${sort.descending ? 'desc' : 'asc'}`}
            onChange={(e) => {
              const [key, direction] = e.currentTarget.value.split(':') as [SortKey, string];
              setSort({ key, descending: direction === 'desc' });
            }}
          >
            {COLUMNS.flatMap((c) => [
              <option key={`${c.key}:asc`} value={`${c.key}:asc`}>
                {c.long ?? c.label} {c.num ? '(terkecil dulu)' : '(A–Z)'}
              </option>,
              <option key={`${c.key}:desc`} value={`${c.key}:desc`}>
                {c.long ?? c.label} {c.num ? '(terbesar dulu)' : '(Z–A)'}
              </option>,
            ])}
          </select>
        </div>
      </div>
      <ErrorMessage message={error} />
      {loading && !data && (
        <p class="muted" role="status">
          Memuat…
        </p>
      )}
      {data && all.length === 0 && <p class="empty">Belum ada koperasi di wilayah Anda.</p>}
      {data && all.length > 0 && rows.length === 0 && (
        <p class="empty">Tidak ada koperasi yang cocok dengan pencarian atau saringan.</p>
      )}
      {rows.length > 0 && (
        <div class="table-wrap office-wrap">
          <table class="office-table stack">
            <caption class="sr-only">
              Koperasi di wilayah Anda ({rows.length} dari {all.length}). Klik judul kolom untuk mengurutkan.
            </caption>
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th
                    key={c.key}
                    scope="col"
                    class={c.num ? 'num' : undefined}
                    aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                  >
                    <button type="button" class="sort" onClick={() => sortBy(c.key)}>
                      {c.label}
                      <span class="sort-mark" aria-hidden="true">
                        {sort.key === c.key ? (sort.descending ? '▼' : '▲') : '↕'}
                      </span>
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr
                  key={r.id}
                  data-koperasi={r.code}
                  class={
                    r.problems.includes('verification_failed')
                      ? 'row-problem row-critical'
                      : r.problems.length > 0
                        ? 'row-problem'
                        : undefined
                  }
                  onClick={(e) => {
                    // The name is the link (keyboard, screen readers); the rest of the row is a bigger target.
                    if (!(e.target instanceof Element && e.target.closest('a, button')))
                      navigate('koperasi', r.id);
                  }}
                >
                  <th scope="row" data-col="name">
                    <a href={href('koperasi', r.id)} class="row-link">
                      {r.name}
                    </a>
                    <span class="muted small block">
                      {r.code}
                      {r.region ? ` · ${r.region}` : ''}
                    </span>
                    <ProblemBadges problems={r.problems} />
                  </th>
                  <td class="num" data-col="today" data-label="Hari ini">
                    <Figures {...r.today} />
                  </td>
                  <td class="num" data-col="month" data-label="Bulan ini">
                    <Figures {...r.month} />
                  </td>
                  <td class="num" data-col="fees" data-label="Pendapatan biaya (bulan ini)">
                    <Pair today={r.today.feeIncome} month={r.month.feeIncome} />
                  </td>
                  <td class="num" data-col="members" data-label="Anggota aktif">
                    {count(r.activeMembers)}
                  </td>
                  <td class="num" data-col="deposits" data-label="Setoran (bulan ini)">
                    <Pair today={r.today.deposits} month={r.month.deposits} />
                  </td>
                  <td class="num" data-col="suspects" data-label="Suspect terbuka">
                    <SuspectCell row={r} />
                  </td>
                  <td class="num" data-col="review" data-label="Perlu ditinjau">
                    {r.reviewItems > 0 ? (
                      <strong>{count(r.reviewItems)}</strong>
                    ) : (
                      <span class="muted">0</span>
                    )}
                  </td>
                  <td data-col="recon" data-label="Rekonsiliasi terakhir">
                    <ReconCell row={r} />
                  </td>
                  <td data-col="ledger" data-label="Buku besar">
                    <LedgerCell row={r} />
                  </td>
                  <td class="num" data-col="pin" data-label="PIN terkunci">
                    {r.pinLockouts > 0 ? (
                      <strong>{count(r.pinLockouts)}</strong>
                    ) : (
                      <span class="muted">0</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <MonthlySummary />
    </>
  );
}
