/**
 * One upstream's books, in memory: its transactions by ref_id and by handle (IAK tr_id, Digiflazz trx_id), the
 * buyer's deposit, the final events that make up each WIB day's settlement file, and per-ref counters that let a
 * test prove no ref_id was ever debited twice. Each dialect is a separate upstream with its own store: a ref_id
 * is unique per adapter (src/billers/port.ts), not across them.
 */
import type { Dialect, Product } from './catalog.js';
import type { Quote } from './pricing.js';
import type { Scenario } from './scenarios.js';
import { wibDate } from './wib.js';

/** What a request names: ref_id, product (by SKU) and customer. */
export interface Target {
  refId: string;
  sku: string;
  product: Product;
  customerNo: string;
  /** BPJS only; undefined for every other product. */
  months: number | undefined;
}

export type TxnState = 'inquired' | 'pending' | 'success' | 'failed' | 'refunded';
export type FinalStatus = 'SUCCESS' | 'FAILED' | 'REFUNDED';

export interface Txn {
  dialect: Dialect;
  refId: string;
  /** IAK tr_id / Digiflazz trx_id. */
  handle: string;
  sku: string;
  product: Product;
  customerNo: string;
  months: number | undefined;
  scenario: Scenario;
  quote: Quote;
  state: TxnState;
  /** The dialect's rc for the current state. */
  rc: string;
  message: string;
  createdAt: Date;
  inquiredAt: Date | undefined;
  paidAt: Date | undefined;
  finalAt: Date | undefined;
  /** Postpaid: the biller reference; token: TOKEN/NAME/TARIF/DAYA/KWH. Empty until success. */
  sn: string;
  token: string | undefined;
  noref: string;
  /** The deposit currently carries this transaction's price. */
  debited: boolean;
}

export interface FinalEvent {
  txn: Txn;
  status: FinalStatus;
  rc: string;
  at: Date;
}

export interface RefStats {
  payRequests: number;
  debits: number;
  credits: number;
}

export interface DialectStore {
  readonly dialect: Dialect;
  readonly byRef: Map<string, Txn>;
  readonly byHandle: Map<string, Txn>;
  readonly refStats: Map<string, RefStats>;
  /** Final events by WIB date (YYYY-MM-DD), in the order they happened. */
  readonly finals: Map<string, FinalEvent[]>;
  readonly counters: {
    inquiries: number;
    payRequests: number;
    statusRequests: number;
    debits: number;
    credits: number;
  };
  balance(): bigint;
  nextHandle(): string;
  add(txn: Txn): void;
  countPayRequest(refId: string | undefined): void;
  /** Takes the price from the deposit; false (and nothing taken) when the deposit is short. */
  debit(txn: Txn): boolean;
  /** Gives a debited price back (failure, refund); a no-op otherwise, so nothing is credited twice. */
  credit(txn: Txn): void;
  recordFinal(txn: Txn, status: FinalStatus, at: Date): void;
}

export function createStore(dialect: Dialect, initialDeposit: bigint): DialectStore {
  const byRef = new Map<string, Txn>();
  const byHandle = new Map<string, Txn>();
  const refStats = new Map<string, RefStats>();
  const finals = new Map<string, FinalEvent[]>();
  const counters = { inquiries: 0, payRequests: 0, statusRequests: 0, debits: 0, credits: 0 };
  let balance = initialDeposit;
  let handles = 0;

  const statsFor = (refId: string): RefStats => {
    let stats = refStats.get(refId);
    if (stats === undefined) {
      stats = { payRequests: 0, debits: 0, credits: 0 };
      refStats.set(refId, stats);
    }
    return stats;
  };

  return {
    dialect,
    byRef,
    byHandle,
    refStats,
    finals,
    counters,
    balance: () => balance,

    nextHandle() {
      handles += 1;
      // Digiflazz trx_ids and IAK tr_ids are opaque; these only need to be unique and recognisable.
      return dialect === 'digiflazz'
        ? `DF${String(handles).padStart(9, '0')}`
        : String(700_000_000 + handles);
    },

    add(txn) {
      byRef.set(txn.refId, txn);
      byHandle.set(txn.handle, txn);
    },

    countPayRequest(refId) {
      counters.payRequests += 1;
      if (refId !== undefined) statsFor(refId).payRequests += 1;
    },

    debit(txn) {
      if (txn.debited) return true;
      if (balance < txn.quote.price) return false;
      balance -= txn.quote.price;
      txn.debited = true;
      counters.debits += 1;
      statsFor(txn.refId).debits += 1;
      return true;
    },

    credit(txn) {
      if (!txn.debited) return;
      balance += txn.quote.price;
      txn.debited = false;
      counters.credits += 1;
      statsFor(txn.refId).credits += 1;
    },

    recordFinal(txn, status, at) {
      const date = wibDate(at);
      let events = finals.get(date);
      if (events === undefined) {
        events = [];
        finals.set(date, events);
      }
      events.push({ txn, status, rc: txn.rc, at });
    },
  };
}
