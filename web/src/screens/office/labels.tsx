/** How the office screens say a koperasi's problems, reconciliation outcomes and ledger health. */
import { ageInWords, day, wibDateTime } from '../../format';
import type { OfficeProblem, OfficeRow, ReconOutcome } from '../../types';

export const PROBLEM_LABELS: Record<OfficeProblem, string> = {
  verification_failed: 'Verifikasi gagal',
  stale_suspects: 'Suspect lama',
  unreconciled: 'Belum rekonsiliasi',
  review_items: 'Perlu ditinjau',
};

/** Worst first: a failed ledger verification outranks everything else. */
const ORDER: OfficeProblem[] = ['verification_failed', 'stale_suspects', 'unreconciled', 'review_items'];
export const sortedProblems = (problems: OfficeProblem[]): OfficeProblem[] =>
  ORDER.filter((p) => problems.includes(p));

export function ProblemBadges({ problems }: { problems: OfficeProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <span class="problem-badges">
      {sortedProblems(problems).map((p) => (
        <span key={p} class={`badge ${p === 'verification_failed' ? 'badge-failed' : 'badge-suspect'}`}>
          {PROBLEM_LABELS[p]}
        </span>
      ))}
    </span>
  );
}

export const OUTCOME_LABELS: Record<ReconOutcome, string> = {
  clean: 'Cocok',
  differences: 'Ada selisih',
  failed: 'Gagal',
};
const OUTCOME_BADGES: Record<ReconOutcome, string> = {
  clean: 'badge-success',
  differences: 'badge-suspect',
  failed: 'badge-failed',
};

export function OutcomeBadge({ outcome }: { outcome: ReconOutcome }) {
  return <span class={`badge ${OUTCOME_BADGES[outcome]}`}>{OUTCOME_LABELS[outcome]}</span>;
}

/** Upstream adapters by the names the office knows them. */
export const upstreamName = (adapter: string): string =>
  ({ digiflazz: 'Digiflazz', iak: 'IAK' })[adapter] ?? adapter;

export function SuspectCell({ row }: { row: OfficeRow }) {
  const { open, oldestMinutes } = row.suspects;
  if (open === 0) return <span class="muted">0</span>;
  return (
    <>
      <strong class="block">{open}</strong>
      {oldestMinutes !== null && <span class="small block">tertua {ageInWords(oldestMinutes)}</span>}
    </>
  );
}

export function ReconCell({ row }: { row: OfficeRow }) {
  if (row.reconciliation.length === 0) return <span class="muted">Belum ada</span>;
  return (
    <ul class="plain compact">
      {row.reconciliation.map((r) => (
        <li key={r.adapter}>
          <span class="small block">
            {upstreamName(r.adapter)} · {day(r.settlementDate)}
          </span>
          <OutcomeBadge outcome={r.outcome} />
        </li>
      ))}
    </ul>
  );
}

export function LedgerCell({ row }: { row: OfficeRow }) {
  const { checkpointDay, verified, verifiedAt } = row.ledger;
  return (
    <>
      <span class="small block">
        {checkpointDay ? (
          <>
            <span class="sr-only">Titik periksa </span>
            {day(checkpointDay)}
          </>
        ) : (
          'Belum ada titik periksa'
        )}
      </span>
      {verified === true && (
        <span
          class="badge badge-success"
          title={verifiedAt ? `Diperiksa ${wibDateTime(verifiedAt)}` : undefined}
        >
          Terverifikasi
        </span>
      )}
      {verified === false && <span class="badge badge-failed">Verifikasi gagal</span>}
      {verified === null && <span class="muted small">Belum diverifikasi</span>}
    </>
  );
}
