/**
 * The cooperative office's view: every koperasi of the caller's region in one table (today and this month,
 * open problems, reconciliation and ledger health), a koperasi's detail, the monthly region summary, and the
 * office accounts. Supervisors read their region only; operators (and ADMIN_TOKEN) every koperasi.
 */
import { hashSecret } from '../auth/secrets.js';
import { recordAudit } from '../audit.js';
import { wibDate, wibDayRange } from '../clock.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { toJsonAmount, toRupiah } from '../money.js';
import { listPaymentsIn } from '../payments/service.js';
import { latestCheckpoints, latestVerification } from '../transparency/checkpoints.js';
import { koperasiTotals, wibMonthRange } from '../transparency/service.js';
import {
  type KoperasiRef,
  type ReconFigure,
  feeIncomeByDay,
  insertOfficeUser,
  koperasiInRegion,
  ledgerFigures,
  paymentFigures,
  reconFigures,
  stateFigures,
} from './repository.js';

export type Region = string | null;

export type Problem = 'stale_suspects' | 'unreconciled' | 'verification_failed' | 'review_items';

/** A reconciliation run as the koperasi sees it: unfinished = failed, else clean or with differences. */
const reconView = (r: ReconFigure) => ({
  adapter: r.adapter,
  settlementDate: r.settlement_date,
  finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
  outcome:
    r.finished_at === null
      ? ('failed' as const)
      : r.differences > 0
        ? ('differences' as const)
        : ('clean' as const),
  matched: r.matched,
  differences: r.differences,
});

/** The office table: one row per koperasi of the region. */
export async function officeOverview(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  region: Region,
  onlyId?: string,
) {
  const now = deps.clock.now();
  const today = wibDayRange(wibDate(now));
  const month = wibMonthRange(wibDate(now));
  const kops = await koperasiInRegion(deps.db, region, onlyId);
  if (kops.length === 0) return { now, rows: [] };
  const ids = kops.map((k) => k.id);
  const [payToday, payMonth, ledToday, ledMonth, state, recon, checkpoints, verification] = await Promise.all(
    [
      paymentFigures(deps.db, region, today, onlyId),
      paymentFigures(deps.db, region, month, onlyId),
      ledgerFigures(deps.db, region, today, onlyId),
      ledgerFigures(deps.db, region, month, onlyId),
      stateFigures(deps.db, region, now, onlyId),
      reconFigures(deps.db, region, 1, onlyId),
      latestCheckpoints(deps.db, ids),
      latestVerification(deps.db),
    ],
  );
  const by = <T extends { koperasi_id: string }>(rows: T[]) => new Map(rows.map((r) => [r.koperasi_id, r]));
  const [pt, pm, lt, lm, st] = [by(payToday), by(payMonth), by(ledToday), by(ledMonth), by(state)];
  const staleBefore = now.getTime() - deps.config.SUSPECT_ALERT_MINUTES * 60_000;

  const rows = kops.map((k: KoperasiRef) => {
    const s = st.get(k.id);
    const checkpoint = checkpoints.get(k.id);
    const verified =
      verification === undefined
        ? null
        : checkpoint
          ? verification.okForBook(checkpoint.book_id)
          : verification.ok;
    const oldest = s?.oldest_suspect_since ? new Date(s.oldest_suspect_since) : null;
    const runs = recon.filter((r) => r.koperasi_id === k.id);
    const problems: Problem[] = [];
    if (oldest && oldest.getTime() < staleBefore) problems.push('stale_suspects');
    if ((s?.unreconciled_days ?? 0) > 0 || runs.some((r) => r.finished_at === null))
      problems.push('unreconciled');
    if (verified === false) problems.push('verification_failed');
    if ((s?.review_payments ?? 0) + (s?.review_recon ?? 0) > 0) problems.push('review_items');
    return {
      id: k.id,
      code: k.code,
      name: k.name,
      region: k.region,
      today: figures(pt.get(k.id), lt.get(k.id)),
      month: figures(pm.get(k.id), lm.get(k.id)),
      members: s?.members ?? 0,
      activeMembers: s?.active_members ?? 0,
      suspects: {
        open: s?.open_suspects ?? 0,
        oldestMinutes: oldest ? Math.max(0, Math.floor((now.getTime() - oldest.getTime()) / 60_000)) : null,
      },
      reviewItems: (s?.review_payments ?? 0) + (s?.review_recon ?? 0),
      pinLockouts: s?.pin_lockouts ?? 0,
      unreconciledDays: s?.unreconciled_days ?? 0,
      reconciliation: runs.map(reconView),
      ledger: {
        checkpointDay: checkpoint?.day ?? null,
        checkpointAt: checkpoint?.created_at.toISOString() ?? null,
        fingerprint: checkpoint?.fingerprint ?? null,
        verifiedAt: verification?.checkedAt.toISOString() ?? null,
        verified,
      },
      problems,
    };
  });
  return { now, rows };
}

function figures(
  pay: { payments: number; total: string } | undefined,
  ledger: { fee_income: string; commission_income: string; deposits: string } | undefined,
) {
  return {
    payments: pay?.payments ?? 0,
    total: toJsonAmount(toRupiah(pay?.total ?? '0')),
    feeIncome: toJsonAmount(toRupiah(ledger?.fee_income ?? '0')),
    commissionIncome: toJsonAmount(toRupiah(ledger?.commission_income ?? '0')),
    deposits: toJsonAmount(toRupiah(ledger?.deposits ?? '0')),
  };
}

/** A koperasi of the caller's region, or 404 (another region's koperasi does not exist for them). */
export async function koperasiOfRegion(
  deps: Pick<Deps, 'db'>,
  region: Region,
  id: string,
): Promise<KoperasiRef> {
  const [kop] = await koperasiInRegion(deps.db, region, id);
  if (!kop) throw new AppError('NOT_FOUND', 'koperasi not found');
  return kop;
}

/** One koperasi in detail: its row, fee income per day (30 WIB days), product mix, reconciliation, feed. */
export async function officeKoperasiDetail(deps: Deps, region: Region, id: string) {
  await koperasiOfRegion(deps, region, id);
  const { rows } = await officeOverview(deps, region, id);
  const row = rows[0]!;
  const now = deps.clock.now();
  const todayDate = wibDate(now);
  const end = wibDayRange(todayDate).end;
  const start = new Date(end.getTime() - 30 * 86_400_000);
  const [daily, month, recon, feed] = await Promise.all([
    feeIncomeByDay(deps.db, id, { start, end }),
    koperasiTotals(deps, id, wibMonthRange(todayDate)),
    reconFigures(deps.db, region, 30, id),
    listPaymentsIn(deps, { koperasiId: id }, true, { limit: 50 }),
  ]);
  const amounts = new Map(daily.map((d) => [d.day, toJsonAmount(toRupiah(d.amount))]));
  const feeIncomeDays = [];
  for (let t = start.getTime(); t < end.getTime(); t += 86_400_000) {
    const day = wibDate(new Date(t));
    feeIncomeDays.push({ day, amount: amounts.get(day) ?? 0 });
  }
  return {
    koperasi: row,
    feeIncomeByDay: feeIncomeDays,
    productMix: month.byProduct,
    reconciliation: recon.map(reconView),
    feed: feed.items,
  };
}

export async function createOfficeUser(
  deps: Pick<Deps, 'db'>,
  actor: { actorType: 'admin' | 'operator'; actorId: string | null },
  input: {
    role: 'operator' | 'supervisor';
    username: string;
    name: string;
    password: string;
    region: string | null;
  },
) {
  const passwordHash = await hashSecret(input.password);
  const user = await insertOfficeUser(deps.db, {
    role: input.role,
    username: input.username,
    name: input.name,
    passwordHash,
    region: input.role === 'supervisor' ? input.region : null,
  });
  if (!user) throw new AppError('USERNAME_TAKEN', `the username ${input.username} is taken`);
  await recordAudit(deps.db, {
    koperasiId: null,
    ...actor,
    action: `office.${input.role}.create`,
    subjectType: 'office_user',
    subjectId: user.id,
    after: { username: user.username, name: user.name, role: user.role, region: user.region },
  });
  return { id: user.id, role: user.role, username: user.username, name: user.name, region: user.region };
}
