/**
 * What a seed decides, before anything runs: the koperasi and their members, every payment a member will try
 * (product, customer number by sandbox scenario, denomination or months, how the app retries), deposits, and
 * every fault with its time. Times are milliseconds from the start of the load. The same seed gives the same plan;
 * only wall-clock races differ between runs.
 */
import type { Dialect } from '../../adapters/sandbox/index.js';

/** How the member's app behaves around POST /v1/payments. */
export type ClientStyle =
  /** One request; on a 5xx or a dead connection, the same request with the same key again. */
  | 'plain'
  /** `Prefer: wait=5`. */
  | 'wait'
  /** Three concurrent requests with the same key (a double tap and a retry racing). */
  | 'duplicate'
  /** The connection dies right after sending; the app retries with the same key. */
  | 'drop-then-retry';

export interface PlannedMember {
  memberNo: string;
  name: string;
  password: string;
  pin: string;
  /** The opening deposit, rupiah. */
  deposit: number;
}

export interface PlannedKoperasi {
  code: string;
  name: string;
  treasurer: { username: string; password: string };
  /** Koperasi fees set before the load (product → rupiah); others stay at the default. */
  fees: Record<string, number>;
  members: PlannedMember[];
}

export interface Intent {
  at: number;
  koperasi: number;
  member: number;
  product: string;
  customerNo: string;
  /** The sandbox scenario: the customer number's last 4 digits. */
  suffix: string;
  denomination?: number;
  months?: number;
  style: ClientStyle;
  key: string;
}

export interface PlannedDeposit {
  at: number;
  koperasi: number;
  member: number;
  amount: number;
  key: string;
}

export type FaultKind =
  | 'fee_change'
  | 'upstream_refuse'
  | 'upstream_blackhole'
  | 'upstream_reset'
  | 'upstream_slow'
  | 'worker_kill'
  | 'api_kill'
  | 'redis_flush'
  | 'postgres_stop'
  | 'forged_callback';

export interface PlannedFault {
  at: number;
  kind: FaultKind;
  dialect?: Dialect;
  durationMs?: number;
  /** Which worker / API process (index modulo their count). */
  target?: number;
  /** fee_change: the upstream's new admin and commission per period. */
  admin?: number;
  commission?: number;
  /** forged_callback: which sent ref to forge for (index into the sorted list of refs). */
  pick?: number;
}

export type SettlementShape = 'complete' | 'partial' | 'phantom' | 'drift' | 'late';

export interface PlannedUpload {
  /** Ms from the load start; uploads of shape `late` are made during the drain instead. */
  at: number;
  dialect: Dialect;
  shape: SettlementShape;
  /** Seeds the edits (which rows are dropped or drifted). */
  salt: number;
}

export interface Plan {
  seed: number;
  seconds: number;
  koperasi: PlannedKoperasi[];
  intents: Intent[];
  deposits: PlannedDeposit[];
  faults: PlannedFault[];
  uploads: PlannedUpload[];
}
