/**
 * The payment lifecycle in one place: statuses, the transitions allowed between them, which are open and
 * which final. Every module that decides or queries by status imports it, in TypeScript or in SQL
 * (`OPEN_STATUSES_SQL`), so a new status or transition cannot be added in one copy and missed in another.
 *
 *   processing → success | failed | suspect;  suspect → success | failed | suspect;  success → refunded
 *
 * `failed` and `refunded` are final; `success` is final for the member but can still be reversed by the
 * upstream (a refund notice confirmed by its status, or its settlement file).
 */
import { type SQL, sql } from 'drizzle-orm';
import { PAYMENT_STATUSES, type PaymentStatus } from '../db/schema/index.js';

export { PAYMENT_STATUSES, type PaymentStatus };

const ALLOWED: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  processing: ['success', 'failed', 'suspect'],
  suspect: ['success', 'failed', 'suspect'],
  success: ['refunded'],
  failed: [],
  refunded: [],
};

/** Open: the member's money is held and Pintu owes the payment a next step (a job or a person). */
export const OPEN_STATUSES = ['processing', 'suspect'] as const satisfies readonly PaymentStatus[];
export type OpenStatus = (typeof OPEN_STATUSES)[number];

/** The open statuses as a SQL list: `status IN ${OPEN_STATUSES_SQL}`. */
export const OPEN_STATUSES_SQL: SQL = sql.raw(`(${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`);

export const isOpen = (status: PaymentStatus): status is OpenStatus =>
  (OPEN_STATUSES as readonly PaymentStatus[]).includes(status);
export const isFinal = (status: PaymentStatus) => !isOpen(status);
export const canMove = (from: PaymentStatus, to: PaymentStatus) => ALLOWED[from].includes(to);
export const nextStatuses = (from: PaymentStatus): readonly PaymentStatus[] => ALLOWED[from];

export class IllegalTransitionError extends Error {
  constructor(from: PaymentStatus, to: PaymentStatus) {
    super(`payment cannot move from ${from} to ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

export function assertMove(from: PaymentStatus, to: PaymentStatus): void {
  if (!canMove(from, to)) throw new IllegalTransitionError(from, to);
}

// ─── reconciliation: what a settlement row may decide without a person ─────────────────────────────

/** An attempt's status as reconciliation sees it (its state; `sending` counts as processing). */
export type AttemptStatus = PaymentStatus | 'not_created';
export const SETTLEMENT_STATUSES = ['SUCCESS', 'FAILED', 'REFUNDED'] as const;
export type SettlementStatus = (typeof SETTLEMENT_STATUSES)[number];

/**
 * How one attempt compares with the upstream's file: matched; amount_mismatch (listed as paid at another total or
 * price); status_mismatch (listed otherwise); missing_upstream (sent that day, not listed); missing_here (listed, never
 * sent by us: a phantom).
 */
export const RECON_CLASSES = [
  'matched',
  'amount_mismatch',
  'status_mismatch',
  'missing_upstream',
  'missing_here',
] as const;
export type ReconClass = (typeof RECON_CLASSES)[number];

export const RECON_ACTIONS = [
  'none',
  'auto_success',
  'auto_failed',
  'auto_refund',
  'status_check',
  'waiting_grace',
  'needs_review',
] as const;
export type ReconAction = (typeof RECON_ACTIONS)[number];

export interface ReconFacts {
  class: ReconClass;
  ourStatus: AttemptStatus | null;
  upstreamStatus: SettlementStatus | null;
  /** The ref is listed in the file of another day (settled across midnight). */
  listedElsewhere: boolean;
  /** The attempt was sent before the grace window (long enough ago for the upstream to have settled it). */
  pastGrace: boolean;
}

interface ReconRule {
  class: ReconClass;
  ours?: readonly AttemptStatus[];
  upstream?: readonly SettlementStatus[];
  listedElsewhere?: boolean;
  pastGrace?: boolean;
  action: Exclude<ReconAction, 'needs_review'>;
  why: string;
}

/**
 * The refund rule (SPEC §3) as a table, first match wins; whatever no rule covers goes to a person
 * (`needs_review`). Money goes back automatically only when the upstream's file says FAILED or REFUNDED for
 * that very attempt; absence alone never refunds (the status call decides), and a SUCCESS at another amount
 * is never matched at all (amount_mismatch → a person).
 */
export const RECON_RULES: readonly ReconRule[] = [
  { class: 'matched', action: 'none', why: 'both sides agree (a failure absent from the file agrees too)' },
  {
    class: 'status_mismatch',
    ours: OPEN_STATUSES,
    upstream: ['SUCCESS'],
    action: 'auto_success',
    why: 'paid upstream at the same total and price',
  },
  {
    class: 'status_mismatch',
    ours: OPEN_STATUSES,
    upstream: ['FAILED', 'REFUNDED'],
    action: 'auto_failed',
    why: 'the upstream settled this attempt as not paid: the hold is voided',
  },
  {
    class: 'status_mismatch',
    ours: ['success'],
    upstream: ['REFUNDED'],
    action: 'auto_refund',
    why: 'the upstream refunded a paid bill: reversed',
  },
  {
    class: 'missing_upstream',
    ours: OPEN_STATUSES,
    listedElsewhere: true,
    action: 'none',
    why: 'settled across midnight: the file of the day that lists it decides',
  },
  {
    class: 'missing_upstream',
    ours: OPEN_STATUSES,
    pastGrace: true,
    action: 'status_check',
    why: "absence proves nothing: the upstream's status call decides",
  },
  {
    class: 'missing_upstream',
    ours: OPEN_STATUSES,
    action: 'waiting_grace',
    why: 'may still be settled: the next run looks again',
  },
];

const ruleMatches = (rule: ReconRule, facts: ReconFacts) =>
  rule.class === facts.class &&
  (rule.ours === undefined || (facts.ourStatus !== null && rule.ours.includes(facts.ourStatus))) &&
  (rule.upstream === undefined ||
    (facts.upstreamStatus !== null && rule.upstream.includes(facts.upstreamStatus))) &&
  (rule.listedElsewhere === undefined || rule.listedElsewhere === facts.listedElsewhere) &&
  (rule.pastGrace === undefined || rule.pastGrace === facts.pastGrace);

export function reconAction(facts: ReconFacts): ReconAction {
  return RECON_RULES.find((rule) => ruleMatches(rule, facts))?.action ?? 'needs_review';
}

const list = (values: readonly string[]) => sql.raw(`(${values.map((v) => `'${v}'`).join(', ')})`);

/** The same table as one SQL CASE over the given columns (reconcile.ts classifies a whole file with it). */
export function reconActionSql(columns: {
  class: SQL;
  ourStatus: SQL;
  upstreamStatus: SQL;
  listedElsewhere: SQL;
  pastGrace: SQL;
}): SQL {
  const whens = RECON_RULES.map((rule) => {
    const conditions: SQL[] = [sql`${columns.class} = ${sql.raw(`'${rule.class}'`)}`];
    if (rule.ours) conditions.push(sql`${columns.ourStatus} IN ${list(rule.ours)}`);
    if (rule.upstream) conditions.push(sql`${columns.upstreamStatus} IN ${list(rule.upstream)}`);
    if (rule.listedElsewhere !== undefined)
      conditions.push(
        sql`${columns.listedElsewhere} IS ${sql.raw(String(rule.listedElsewhere).toUpperCase())}`,
      );
    if (rule.pastGrace !== undefined)
      conditions.push(sql`${columns.pastGrace} IS ${sql.raw(String(rule.pastGrace).toUpperCase())}`);
    return sql`WHEN ${sql.join(conditions, sql` AND `)} THEN ${sql.raw(`'${rule.action}'`)}`;
  });
  return sql`CASE ${sql.join(whens, sql` `)} ELSE 'needs_review' END`;
}
