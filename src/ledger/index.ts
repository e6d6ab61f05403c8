/**
 * The ledger: books, accounts, postings, two-phase holds, sealing and verification. It knows nothing
 * of HTTP, queues or billers. Built once per process (it caches immutable account facts).
 */
import { type Clock, systemClock } from '../clock.js';
import type { DbOrTx, Tx } from '../db/client.js';
import type { Rupiah } from '../money.js';
import {
  AccountCache,
  type AccountMeta,
  findAccount,
  findBookId,
  loadAccounts,
  openKoperasiBook,
  openPlatformBook,
  openSavingsAccount,
  openUpstreamDepositAccount,
  requireAccount,
  type CounterAccountKey,
  openCashDrawerAccount,
  openCounterAccount,
} from './accounts.js';
import { type Hold, type HoldRequest, holdFunds, pendingHoldsTotal, postHold, voidHold } from './holds.js';
import { type JournalInput, type PostingLine, accountBalance, postJournal } from './postings.js';

export interface Ledger {
  openKoperasiBook(db: DbOrTx, koperasiId: string): Promise<bigint>;
  openPlatformBook(db: DbOrTx): Promise<bigint>;
  openSavingsAccount(db: DbOrTx, bookId: bigint, memberId: string, memberName: string): Promise<AccountMeta>;
  openUpstreamDepositAccount(db: DbOrTx, adapter: string): Promise<AccountMeta>;
  /** The counter's accounts in a koperasi book (COUNTER_ACCOUNTS), opened on first use. */
  openCounterAccount(db: DbOrTx, bookId: bigint, which: CounterAccountKey): Promise<AccountMeta>;
  /** A kasir's cash drawer (cash_drawer:<kasirId>, non-negative), opened on first use. */
  openCashDrawerAccount(db: DbOrTx, bookId: bigint, kasirId: string, kasirName: string): Promise<AccountMeta>;
  findBookId(db: DbOrTx, koperasiId: string | null): Promise<bigint | undefined>;
  findAccount(db: DbOrTx, bookId: bigint, code: string): Promise<AccountMeta | undefined>;
  requireAccount(db: DbOrTx, bookId: bigint, code: string): Promise<AccountMeta>;
  /** An account's immutable facts by id (cached). */
  accountById(db: DbOrTx, id: bigint): Promise<AccountMeta>;
  post(db: DbOrTx, input: JournalInput): Promise<bigint>;
  hold(db: DbOrTx, input: HoldRequest): Promise<Hold>;
  /** Locks the hold: inside a transaction only. */
  postHold(
    tx: Tx,
    holdId: bigint,
    input: { credits: PostingLine[]; extra?: PostingLine[]; paymentId: string; memo?: string; at?: Date },
  ): Promise<bigint>;
  /** Locks the hold: inside a transaction only. */
  voidHold(tx: Tx, holdId: bigint, input: { paymentId: string; memo?: string; at?: Date }): Promise<bigint>;
  balance(db: DbOrTx, accountId: bigint): Promise<Rupiah>;
  pendingHolds(db: DbOrTx, debitAccountId: bigint): Promise<Rupiah>;
}

/**
 * `clock` stamps journal transactions, so the ledger's days are the same days as the payments'
 * (tests move the clock; in production it is the system clock).
 */
export function createLedger(clock: Clock = systemClock): Ledger {
  const cache = new AccountCache();
  const stamp = <T extends { at?: Date }>(input: T): T => ({ ...input, at: input.at ?? clock.now() });
  const books = new Map<string, bigint>();
  return {
    openKoperasiBook: (db, koperasiId) => openKoperasiBook(db, cache, koperasiId),
    openPlatformBook: (db) => openPlatformBook(db, cache),
    openSavingsAccount: (db, bookId, memberId, memberName) =>
      openSavingsAccount(db, cache, bookId, memberId, memberName),
    openUpstreamDepositAccount: (db, adapter) => openUpstreamDepositAccount(db, cache, adapter),
    openCounterAccount: (db, bookId, which) => openCounterAccount(db, cache, bookId, which),
    openCashDrawerAccount: (db, bookId, kasirId, kasirName) =>
      openCashDrawerAccount(db, cache, bookId, kasirId, kasirName),
    async findBookId(db, koperasiId) {
      const key = koperasiId ?? 'platform';
      const known = books.get(key);
      if (known !== undefined) return known;
      const bookId = await findBookId(db, koperasiId);
      if (bookId !== undefined && books.size < 200_000) books.set(key, bookId);
      return bookId;
    },
    findAccount: (db, bookId, code) => findAccount(db, cache, bookId, code),
    requireAccount: (db, bookId, code) => requireAccount(db, cache, bookId, code),
    accountById: async (db, id) => (await loadAccounts(db, cache, [id])).get(id)!,
    post: (db, input) => postJournal(db, cache, stamp(input)),
    hold: (db, input) => holdFunds(db, cache, stamp(input)),
    postHold: (db, holdId, input) => postHold(db, cache, holdId, stamp(input)),
    voidHold: (db, holdId, input) => voidHold(db, cache, holdId, stamp(input)),
    balance: (db, accountId) => accountBalance(db, accountId),
    pendingHolds: (db, debitAccountId) => pendingHoldsTotal(db, debitAccountId),
  };
}

export { InsufficientFundsError, UnbalancedTransactionError } from './postings.js';
export type { PostingLine, JournalInput } from './postings.js';
export { HoldNotPendingError, type Hold } from './holds.js';
export {
  KOPERASI_ACCOUNTS,
  COUNTER_ACCOUNTS,
  cashDrawerCode,
  HOT_BUCKETS,
  savingsCode,
  receivableCode,
  upstreamDepositCode,
  PLATFORM_EQUITY,
  type AccountMeta,
} from './accounts.js';
