/**
 * One koperasi for the office: its figures, fee income per day (30 days), this month's product mix, its
 * reconciliation history, the latest payments, signed checkpoints and its audit log.
 */
import { get } from '../../api';
import { AuditLog } from '../../components/audit-log';
import { ErrorMessage } from '../../components/alert';
import { BarChart } from '../../components/bar-chart';
import { CategoryIcon } from '../../components/icons';
import { PageTitle } from '../../components/page-title';
import { StatusBadge } from '../../components/status-badge';
import {
  CATEGORY_NAMES,
  ageInWords,
  count,
  day,
  productName,
  rupiah,
  wibClock,
  wibDateTime,
} from '../../format';
import { href } from '../../router';
import type { OfficeDetail, OfficeRow, ProductTotal } from '../../types';
import { Checkpoints } from './checkpoints';
import { LedgerCell, OutcomeBadge, ProblemBadges, upstreamName } from './labels';
import { useRefreshed } from './use-refresh';

function Figures({ row }: { row: OfficeRow }) {
  const { suspects } = row;
  return (
    <div class="stat-grid" data-testid="koperasi-figures">
      <section class="card stat" aria-labelledby="st-today">
        <h2 id="st-today" class="card-label">
          Hari ini
        </h2>
        <p class="stat-value money">{rupiah(row.today.total)}</p>
        <ul class="stat-lines">
          <li>{count(row.today.payments)} pembayaran</li>
          <li>Pendapatan biaya {rupiah(row.today.feeIncome)}</li>
          <li>Setoran {rupiah(row.today.deposits)}</li>
        </ul>
      </section>
      <section class="card stat" aria-labelledby="st-month">
        <h2 id="st-month" class="card-label">
          Bulan ini
        </h2>
        <p class="stat-value money">{rupiah(row.month.total)}</p>
        <ul class="stat-lines">
          <li>{count(row.month.payments)} pembayaran</li>
          <li>Pendapatan biaya {rupiah(row.month.feeIncome)}</li>
          <li>Setoran {rupiah(row.month.deposits)}</li>
        </ul>
      </section>
      <section class="card stat" aria-labelledby="st-members">
        <h2 id="st-members" class="card-label">
          Anggota aktif
        </h2>
        <p class="stat-value">{count(row.activeMembers)}</p>
        <p class="small">
          {row.pinLockouts > 0 ? `${count(row.pinLockouts)} PIN terkunci` : 'Tidak ada PIN terkunci'}
        </p>
      </section>
      <section class={`card stat${suspects.open > 0 ? ' stat-warn' : ''}`} aria-labelledby="st-suspects">
        <h2 id="st-suspects" class="card-label">
          Suspect terbuka
        </h2>
        <p class="stat-value">{count(suspects.open)}</p>
        <p class="small">
          {suspects.open > 0 && suspects.oldestMinutes !== null
            ? `Tertua ${ageInWords(suspects.oldestMinutes)}`
            : 'Tidak ada yang menunggu'}
          {row.reviewItems > 0 ? ` · ${count(row.reviewItems)} perlu ditinjau` : ''}
        </p>
      </section>
      <section class="card stat" aria-labelledby="st-ledger">
        <h2 id="st-ledger" class="card-label">
          Buku besar
        </h2>
        <LedgerCell row={row} />
        {row.ledger.verifiedAt && <p class="small muted">Diperiksa {wibDateTime(row.ledger.verifiedAt)}</p>}
      </section>
    </div>
  );
}

function ProductMix({ items }: { items: ProductTotal[] }) {
  if (items.length === 0) return <p class="empty">Belum ada pembayaran bulan ini.</p>;
  return (
    <div class="table-wrap">
      <table class="stack" data-testid="product-mix">
        <caption class="sr-only">Pembayaran bulan ini per produk</caption>
        <thead>
          <tr>
            <th scope="col">Produk</th>
            <th scope="col" class="num">
              Pembayaran
            </th>
            <th scope="col" class="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((p) => (
            <tr key={p.product}>
              <th scope="row" class="with-icon">
                <CategoryIcon category={p.category} />
                <span>
                  <span class="block">{p.name ?? productName(p.product)}</span>
                  {CATEGORY_NAMES[p.category] !== (p.name ?? productName(p.product)) && (
                    <span class="muted small">{CATEGORY_NAMES[p.category]}</span>
                  )}
                </span>
              </th>
              <td class="num" data-label="Pembayaran">
                {count(p.payments)}
              </td>
              <td class="num money" data-label="Total">
                {rupiah(p.total)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ReconHistory({ runs }: { runs: OfficeDetail['reconciliation'] }) {
  if (runs.length === 0) return <p class="empty">Belum ada rekonsiliasi.</p>;
  return (
    <div class="table-wrap">
      <table class="stack">
        <caption class="sr-only">Riwayat rekonsiliasi</caption>
        <thead>
          <tr>
            <th scope="col">Tanggal settlement</th>
            <th scope="col">Pemasok</th>
            <th scope="col">Hasil</th>
            <th scope="col" class="num">
              Cocok
            </th>
            <th scope="col" class="num">
              Selisih
            </th>
            <th scope="col">Selesai</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={`${r.adapter}-${r.settlementDate}`}>
              <td data-label="Tanggal">{day(r.settlementDate)}</td>
              <td data-label="Pemasok">{upstreamName(r.adapter)}</td>
              <td data-label="Hasil">
                <OutcomeBadge outcome={r.outcome} />
              </td>
              <td class="num" data-label="Cocok">
                {r.matched === undefined ? '—' : count(r.matched)}
              </td>
              <td class="num" data-label="Selisih">
                {r.differences === undefined ? '—' : count(r.differences)}
              </td>
              <td data-label="Selesai">{r.finishedAt ? wibDateTime(r.finishedAt) : 'Tidak selesai'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Feed({ payments }: { payments: OfficeDetail['feed'] }) {
  if (payments.length === 0) return <p class="empty">Belum ada pembayaran.</p>;
  return (
    <div class="table-wrap">
      <table class="stack" data-testid="office-feed">
        <caption class="sr-only">Pembayaran terbaru</caption>
        <thead>
          <tr>
            <th scope="col">Waktu</th>
            <th scope="col">Produk</th>
            <th scope="col">Anggota</th>
            <th scope="col" class="num">
              Total
            </th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {payments.map((p) => (
            <tr key={p.id}>
              <td data-label="Waktu" class="nowrap">
                {wibDateTime(p.createdAt)}
              </td>
              <td data-label="Produk">{productName(p.product)}</td>
              <td data-label="Anggota">{p.memberNo}</td>
              <td class="num money" data-label="Total">
                {rupiah(p.total)}
              </td>
              <td data-label="Status">
                <StatusBadge status={p.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function KoperasiDetail({ id }: { id: string }) {
  const { data, error, loading, updatedAt } = useRefreshed(
    (signal) => get<OfficeDetail>(`/v1/office/koperasi/${encodeURIComponent(id)}`, signal),
    id,
  );
  const row = data?.koperasi;
  return (
    <>
      <p>
        <a href={href()}>← Semua koperasi</a>
      </p>
      <PageTitle title={row?.name ?? 'Koperasi'}>{row?.name ?? 'Koperasi'}</PageTitle>
      <ErrorMessage message={error} />
      {loading && !data && (
        <p class="muted" role="status">
          Memuat…
        </p>
      )}
      {data && row && (
        <>
          <p class="muted">
            Kode {row.code}
            {row.region ? ` · Wilayah ${row.region}` : ''}
            {updatedAt && ` · diperbarui otomatis, terakhir pukul ${wibClock(updatedAt)} WIB`}
          </p>
          {row.problems.length > 0 && (
            <p class="problem-line" data-testid="koperasi-problems">
              Perlu perhatian: <ProblemBadges problems={row.problems} />
            </p>
          )}
          <Figures row={row} />
          <div class="detail-grid">
            <section aria-labelledby="fees-title" class="card">
              <h2 id="fees-title">Pendapatan biaya per hari</h2>
              <BarChart
                bars={data.feeIncomeByDay}
                title="Pendapatan biaya per hari, 30 hari terakhir"
                id="fee-chart"
              />
            </section>
            <section aria-labelledby="mix-title">
              <h2 id="mix-title">Produk bulan ini</h2>
              <ProductMix items={data.productMix} />
            </section>
          </div>
          <section aria-labelledby="recon-title">
            <h2 id="recon-title">Riwayat rekonsiliasi</h2>
            <ReconHistory runs={data.reconciliation} />
          </section>
          <section aria-labelledby="feed-title">
            <h2 id="feed-title">Pembayaran terbaru</h2>
            <Feed payments={data.feed} />
          </section>
          <Checkpoints koperasiId={id} />
          {/* The log is its own region (named "Log audit"); the heading only titles it. */}
          <h2>Log audit</h2>
          <AuditLog path={`/v1/office/koperasi/${encodeURIComponent(id)}/audit`} />
        </>
      )}
    </>
  );
}
