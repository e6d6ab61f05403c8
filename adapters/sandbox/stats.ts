/**
 * What the sandbox saw, for tests and operators (`stats()`, `GET /_sandbox/stats`). The invariant a test asserts:
 * no ref_id is ever debited twice, so `doubleDebits` stays empty and every `refs[…].debits` is 0 or 1.
 */
import type { CallbackStats } from './callbacks.js';
import { DIALECTS, type Dialect } from './catalog.js';
import type { SandboxContext } from './context.js';
import type { TxnState } from './store.js';

export interface RefStats {
  /** Authenticated pay requests for this ref (pay-pasca, top-up; re-sent top-ups included). */
  payRequests: number;
  /** Deposit debits for this ref: 0 or 1, never more. */
  debits: number;
  /** Re-credits (failure, refund). */
  credits: number;
  /** 'none' when no transaction was ever recorded (e.g. 1042). */
  state: TxnState | 'none';
}

export interface DialectStats {
  /** Deposit balance, rupiah. */
  balance: number;
  inquiries: number;
  payRequests: number;
  statusRequests: number;
  debits: number;
  credits: number;
  transactions: number;
  byState: Record<TxnState, number>;
  callbacks: CallbackStats;
  /** Per ref_id; omitted when asked (`GET /_sandbox/stats?refs=0`). */
  refs?: Record<string, RefStats>;
}

export interface SandboxStats {
  digiflazz: DialectStats;
  iak: DialectStats;
  /** `dialect:ref_id` of every ref debited more than once. Must stay empty. */
  doubleDebits: string[];
}

export function collectStats(
  ctx: SandboxContext,
  callbackStats: (dialect: Dialect) => CallbackStats,
  includeRefs = true,
): SandboxStats {
  const doubleDebits: string[] = [];
  const one = (dialect: Dialect): DialectStats => {
    const store = ctx.stores[dialect];
    const byState: Record<TxnState, number> = { inquired: 0, pending: 0, success: 0, failed: 0, refunded: 0 };
    for (const txn of store.byRef.values()) byState[txn.state] += 1;
    const refs: Record<string, RefStats> = {};
    for (const [refId, counts] of store.refStats) {
      if (counts.debits > 1) doubleDebits.push(`${dialect}:${refId}`);
      if (includeRefs) refs[refId] = { ...counts, state: store.byRef.get(refId)?.state ?? 'none' };
    }
    return {
      balance: Number(store.balance()),
      ...store.counters,
      transactions: store.byRef.size,
      byState,
      callbacks: callbackStats(dialect),
      ...(includeRefs ? { refs } : {}),
    };
  };
  const [digiflazz, iak] = DIALECTS.map(one);
  if (digiflazz === undefined || iak === undefined) throw new Error('unreachable: two dialects');
  return { digiflazz, iak, doubleDebits };
}
