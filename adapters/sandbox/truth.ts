/**
 * The upstreams' ground truth (`GET /_sandbox/truth`): every transaction each upstream recorded, whether the deposit
 * carries its price right now, what it was charged, every pay request and deposit movement for its ref, the
 * settlement events it produced and the callbacks it meant to send. A simulation compares a gateway's verdicts
 * with this, the way a treasurer compares them with the aggregator's portal. Read-only; money is in rupiah as JSON
 * numbers (a deposit stays far below 2^53).
 */
import type { CallbackNotice } from './callbacks.js';
import { DIALECTS, type Dialect } from './catalog.js';
import type { SandboxContext } from './context.js';
import type { FinalStatus, TxnState } from './store.js';

export interface TruthTransaction {
  refId: string;
  /** IAK tr_id / Digiflazz trx_id. */
  handle: string;
  sku: string;
  customerNo: string;
  /** The scenario suffix (last 4 digits). */
  scenario: string;
  state: TxnState;
  rc: string;
  /** The deposit currently carries this transaction's price (pending or success). */
  debited: boolean;
  /** What the deposit pays, and what the customer pays (bill + penalty + admin). */
  price: number;
  total: number;
  payRequests: number;
  debits: number;
  credits: number;
  createdAt: string;
  paidAt: string | null;
  finalAt: string | null;
  /** The settlement events (one per final transition) with their WIB date. */
  finals: { status: FinalStatus; at: string; date: string }[];
  callbacks: readonly CallbackNotice[];
}

export interface DialectTruth {
  /** Deposit balance, rupiah. */
  balance: number;
  transactions: TruthTransaction[];
  /** Refs that had pay requests but no transaction (e.g. 1042, a refusal before creation). */
  untracked: { refId: string; payRequests: number; debits: number; credits: number }[];
}

export interface SandboxTruth {
  now: string;
  digiflazz: DialectTruth;
  iak: DialectTruth;
  /** `dialect:ref_id` of every ref debited more than once. Must stay empty. */
  doubleDebits: string[];
}

export type NoticesOf = (dialect: Dialect, refId: string) => readonly CallbackNotice[];

const iso = (at: Date | undefined) => (at === undefined ? null : at.toISOString());

export function collectTruth(ctx: SandboxContext, noticesOf: NoticesOf): SandboxTruth {
  const doubleDebits: string[] = [];
  const one = (dialect: Dialect): DialectTruth => {
    const store = ctx.stores[dialect];
    const finals = new Map<string, TruthTransaction['finals']>();
    for (const [date, events] of store.finals) {
      for (const event of events) {
        const list = finals.get(event.txn.refId) ?? [];
        list.push({ status: event.status, at: event.at.toISOString(), date });
        finals.set(event.txn.refId, list);
      }
    }
    const none = { payRequests: 0, debits: 0, credits: 0 };
    const transactions = [...store.byRef.values()].map((txn): TruthTransaction => {
      const counts = store.refStats.get(txn.refId) ?? none;
      return {
        refId: txn.refId,
        handle: txn.handle,
        sku: txn.sku,
        customerNo: txn.customerNo,
        scenario: txn.scenario.suffix,
        state: txn.state,
        rc: txn.rc,
        debited: txn.debited,
        price: Number(txn.quote.price),
        total: Number(txn.quote.total),
        payRequests: counts.payRequests,
        debits: counts.debits,
        credits: counts.credits,
        createdAt: txn.createdAt.toISOString(),
        paidAt: iso(txn.paidAt),
        finalAt: iso(txn.finalAt),
        finals: (finals.get(txn.refId) ?? []).sort((a, b) => a.at.localeCompare(b.at)),
        callbacks: noticesOf(dialect, txn.refId),
      };
    });
    const untracked: DialectTruth['untracked'] = [];
    for (const [refId, counts] of store.refStats) {
      if (counts.debits > 1) doubleDebits.push(`${dialect}:${refId}`);
      if (!store.byRef.has(refId)) untracked.push({ refId, ...counts });
    }
    return { balance: Number(store.balance()), transactions, untracked };
  };
  const [digiflazz, iak] = DIALECTS.map(one);
  if (digiflazz === undefined || iak === undefined) throw new Error('unreachable: two dialects');
  return { now: ctx.now().toISOString(), digiflazz, iak, doubleDebits };
}
