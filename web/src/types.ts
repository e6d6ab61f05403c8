/** The API's JSON shapes the web app reads (see the zod schemas under src/ and /docs/json). */

/** Koperasi users (one koperasi) and office staff (Dinas Koperasi, across a region). */
export type KoperasiRole = 'member' | 'treasurer' | 'pengawas' | 'kasir';
export type OfficeRole = 'supervisor' | 'operator';
export type Role = KoperasiRole | OfficeRole;
export const ROLES: readonly Role[] = ['member', 'treasurer', 'pengawas', 'supervisor', 'operator'];
export type PaymentStatus = 'processing' | 'success' | 'failed' | 'suspect' | 'refunded';

export interface TokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  role: Role;
  expiresIn: number;
  /** Koperasi users: the password (and a member's PIN) must be changed before anything else. */
  mustChange?: boolean;
}

/** POST /v1/me/password and /v1/me/pin: a new token for the changed account. */
export interface CredentialsChanged extends TokenResponse {
  mustChange: boolean;
  mustChangePassword: boolean;
  mustChangePin: boolean;
}

/** GET /v1/koperasi/{code}/contact: whom to ask about a forgotten PIN or password. */
export interface KoperasiContact {
  name: string;
  treasurerName: string | null;
  treasurerPhone: string | null;
}

export interface Me {
  id: string;
  role: KoperasiRole;
  username: string;
  name: string;
  phone: string | null;
  koperasi: { id: string; code: string; name: string };
  memberNo?: string;
  balance?: number;
  available?: number;
  pinLocked?: boolean;
  mustChange?: boolean;
  mustChangePassword?: boolean;
  mustChangePin?: boolean;
}

export interface Product {
  code: string;
  name: string;
  category: 'electricity' | 'water' | 'health';
  kind: 'bill' | 'token';
  customerNoHint: string;
  denominations: number[] | null;
  months: { min: number; max: number } | null;
  koperasiFee: number;
  cutOff: { active: boolean; start: string; end: string } | null;
}

export interface Period {
  period: string;
  amount: number;
  penalty: number;
  admin: number;
}

export interface Quote {
  id: string;
  product: string;
  customerNo: string;
  customerName: string;
  periods: Period[];
  months: number | null;
  denomination: number | null;
  billAmount: number;
  penalty: number;
  adminFee: number;
  koperasiFee: number;
  total: number;
  details: Record<string, string>;
  expiresAt: string;
}

export interface Payment {
  id: string;
  status: PaymentStatus;
  product: string;
  /** Null for a cash payment by a non-member at the counter. */
  memberNo: string | null;
  customerNo: string;
  customerName: string;
  periods: string[];
  billAmount: number;
  penalty: number;
  adminFee: number;
  koperasiFee: number;
  total: number;
  upstreamRef: string | null;
  token: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  /** When the outcome became uncertain. */
  suspectSince: string | null;
  /** Suspect for longer than the server's SUSPECT_ALERT_MINUTES: a person should resolve it. */
  needsAttention: boolean;
  /** Staff only: the member's name. */
  memberName?: string | null;
  /** Staff only, open payments only: the full customer number to look up at the aggregator. */
  customerNoFull?: string | null;
  /** Staff only: the upstream and Pintu's reference of the current attempt. */
  upstream?: { adapter: string; refId: string } | null;
  /** Where it was started: the member's app, an autodebet subscription, the koperasi's counter. */
  channel: 'app' | 'autodebet' | 'counter';
  /** The member's savings, or cash at the counter. */
  funding: 'savings' | 'cash';
  /** Staff only: who paid cash at the counter, when given. */
  payerName?: string | null;
  /** A failed or refunded cash payment whose cash the kasir has not handed back yet. */
  cashToReturn: boolean;
  cashReturnedAt: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Member {
  id: string;
  memberNo: string;
  name: string;
  phone: string | null;
  balance: number;
  available: number;
  pinLocked: boolean;
  createdAt: string;
}

export interface DepositResult {
  memberNo: string;
  amount: number;
  reference: string;
  transactionId: string;
  balance: number;
  available: number;
}

/** GET /v1/deposits/{id}: a deposit with its receipt facts and the WhatsApp text for the member. */
export interface DepositView {
  id: string;
  at: string;
  amount: number;
  reference: string | null;
  balanceAfter: number;
  memberNo: string;
  memberName: string;
  memberPhone: string | null;
  koperasiName: string;
  treasurerName: string | null;
  correction: { id: string; at: string; reason: string | null; by: string | null } | null;
  whatsapp: { text: string; url: string };
}

export interface CorrectionResult {
  depositId: string;
  correctionId: string;
  memberNo: string;
  amount: number;
  reason: string;
  balance: number;
  available: number;
}

/** GET /v1/closing: tutup hari. */
export interface Closing {
  date: string;
  complete: boolean;
  generatedAt: string;
  koperasi: { code: string; name: string };
  payments: {
    count: number;
    byStatus: { status: PaymentStatus; count: number; total: number }[];
    byProduct: { product: string; status: PaymentStatus; count: number; total: number }[];
  };
  feeIncome: number;
  commissionIncome: number;
  owedUpstream: number;
  deposits: { count: number; total: number; corrections: { count: number; total: number }; net: number };
  open: {
    suspects: number;
    oldestSuspectMinutes: number | null;
    daySuspects: { count: number; total: number };
    reviewPayments: number;
    reviewRecon: number;
    dayUnmatched: number;
  };
  reconciliation: {
    reconciled: boolean;
    runs: { adapter: string; finishedAt: string | null; differences: number; matched: number }[];
  };
  balances: { code: string; name: string; type: string; balance: number; accounts: number }[];
}

/** GET /v1/reconciliations/review: items a person must look at, with both sides' evidence. */
export interface ReviewItem {
  adapter: string;
  date: string;
  refId: string;
  paymentId: string | null;
  class: string;
  ours: { status: string | null; amount: number | null; price: number | null };
  upstream: { status: string | null; amount: number | null; price: number | null };
  note: string | null;
  runAt: string;
  payment: { status: PaymentStatus; product: string; memberNo: string; memberName: string } | null;
}

export interface Fee {
  product: string;
  amount: number;
  isDefault: boolean;
  updatedAt: string | null;
}

export interface ReconItem {
  adapter: string;
  ref_id: string;
  payment_id: string | null;
  class: string;
  action: string;
  our_status: string | null;
  upstream_status: string | null;
  note: string | null;
  run_at: string;
}

/** What GET /v1/events sends (the koperasi id is stripped by the server). */
export type LiveEvent =
  | {
      type: 'payment';
      memberId: string;
      paymentId: string;
      status: PaymentStatus;
      product: string;
      total: number;
      at: string;
    }
  | { type: 'balance'; memberId: string; balance: number; available: number; at: string }
  /** Something was told (autodebet): to the member, or to the staff (memberId null). */
  | { type: 'notification'; memberId: string | null; id: string; kind: string; title: string; at: string }
  | { type: 'ready'; role: KoperasiRole; at: string };

/** GET /v1/office/me. */
export interface OfficeMe {
  id: string | null;
  role: OfficeRole;
  username: string;
  name: string;
  /** null: every region (operators). */
  region: string | null;
}

export type ProductCategory = Product['category'];

export type ActorType =
  'operator' | 'supervisor' | 'treasurer' | 'pengawas' | 'member' | 'system' | 'upstream' | 'admin';

export interface AuditEntry {
  id: string;
  at: string;
  actorType: ActorType;
  actorId: string | null;
  actorName: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  reason: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface ProductTotal {
  product: string;
  /** The catalog name, when the server sends it. */
  name?: string;
  category: ProductCategory;
  payments: number;
  total: number;
}

export interface PeriodTotals {
  payments: number;
  total: number;
  feeIncome: number;
  byProduct: ProductTotal[];
}

/** GET /v1/transparency/summary: totals only, no personal data. */
export interface TransparencySummary {
  koperasi: { name: string; code: string };
  today: PeriodTotals & { day: string };
  month: PeriodTotals & { month: string };
  checkpoint: { day: string; createdAt: string; fingerprint: string; entries: number; seq: number } | null;
  verification: { verifiedAt: string; ok: boolean } | null;
}

export interface Checkpoint {
  id: string;
  koperasiId: string | null;
  koperasiName: string | null;
  day: string;
  kind: 'daily' | 'on_demand';
  seq: number;
  entries: number;
  createdAt: string;
  fingerprint: string;
  keyId: string;
}

export interface CheckpointList {
  publicKeyUrl: string;
  checkpoints: Checkpoint[];
}

export type OfficeProblem = 'stale_suspects' | 'unreconciled' | 'verification_failed' | 'review_items';
export type ReconOutcome = 'clean' | 'differences' | 'failed';

export interface OfficeFigures {
  payments: number;
  total: number;
  feeIncome: number;
  deposits: number;
}

export interface ReconRun {
  adapter: string;
  settlementDate: string;
  finishedAt: string | null;
  outcome: ReconOutcome;
  matched?: number;
  differences?: number;
}

/** One koperasi in the office table (GET /v1/office/koperasi). */
export interface OfficeRow {
  id: string;
  code: string;
  name: string;
  region: string | null;
  today: OfficeFigures;
  month: OfficeFigures;
  activeMembers: number;
  suspects: { open: number; oldestMinutes: number | null };
  reviewItems: number;
  pinLockouts: number;
  reconciliation: ReconRun[];
  ledger: {
    checkpointDay: string | null;
    checkpointAt: string | null;
    verifiedAt: string | null;
    verified: boolean | null;
  };
  problems: OfficeProblem[];
}

export interface OfficeDetail {
  koperasi: OfficeRow;
  feeIncomeByDay: { day: string; amount: number }[];
  productMix: ProductTotal[];
  reconciliation: ReconRun[];
  feed: Payment[];
}

/** A customer number the member saved with a nickname ("Nomor tersimpan"); in full for the member, masked for staff. */
export interface SavedNumber {
  id: string;
  product: string;
  customerNo: string;
  nickname: string;
  months: number | null;
  lastPaidAt: string | null;
  createdAt: string;
  updatedAt: string;
}
