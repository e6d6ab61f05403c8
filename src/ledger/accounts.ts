/**
 * Books and the chart of accounts. A koperasi's book holds its members' simpanan sukarela (voluntary
 * savings, a liability to the member), the payments in flight, what it owes the gateway, its fee and
 * commission income and the cash its treasurer received as deposits. The platform's book holds our
 * deposit at each upstream and what each koperasi owes us.
 */
import { sql } from 'drizzle-orm';
import { toBigInt } from '../db/rows.js';
import type { DbOrTx } from '../db/client.js';

export type AccountType = 'asset' | 'liability' | 'income' | 'expense' | 'equity';

export interface AccountMeta {
  id: bigint;
  bookId: bigint;
  code: string;
  type: AccountType;
  buckets: number;
  nonNegative: boolean;
}

/**
 * Hot accounts are touched by every payment of a koperasi (or of the whole platform). Spreading their
 * balance over this many rows lets concurrent postings proceed without queueing on one row lock;
 * each database connection writes to the bucket chosen by its backend pid.
 */
export const HOT_BUCKETS = 32;

export const KOPERASI_ACCOUNTS = {
  inFlight: { code: 'in_flight', name: 'Pembayaran PPOB dalam proses', type: 'liability', hot: true },
  payableGateway: { code: 'payable_gateway', name: 'Utang ke gateway (Pintu)', type: 'liability', hot: true },
  feeIncome: { code: 'fee_income', name: 'Pendapatan jasa PPOB (biaya koperasi)', type: 'income', hot: true },
  commissionIncome: { code: 'commission_income', name: 'Pendapatan komisi PPOB', type: 'income', hot: true },
  depositsCash: { code: 'deposits_cash', name: 'Kas dari setoran simpanan', type: 'asset', hot: true },
} as const satisfies Record<string, { code: string; name: string; type: AccountType; hot: boolean }>;

export type KoperasiAccountKey = keyof typeof KOPERASI_ACCOUNTS;

export const savingsCode = (memberId: string) => `savings:${memberId}`;
export const upstreamDepositCode = (adapter: string) => `upstream_deposit:${adapter}`;
export const receivableCode = (koperasiId: string) => `receivable:${koperasiId}`;
export const PLATFORM_EQUITY = 'platform_equity';

/** Immutable account facts, cached per process (bounded, least recently used dropped first). */
export class AccountCache {
  private readonly byId = new Map<bigint, AccountMeta>();
  private readonly byCode = new Map<string, bigint>();
  constructor(private readonly capacity = 100_000) {}

  get(id: bigint): AccountMeta | undefined {
    const meta = this.byId.get(id);
    if (meta) {
      this.byId.delete(id);
      this.byId.set(id, meta);
    }
    return meta;
  }
  idFor(bookId: bigint, code: string): bigint | undefined {
    return this.byCode.get(`${bookId}/${code}`);
  }
  put(meta: AccountMeta): void {
    this.byId.set(meta.id, meta);
    this.byCode.set(`${meta.bookId}/${meta.code}`, meta.id);
    if (this.byId.size > this.capacity) {
      const oldest = this.byId.keys().next().value;
      if (oldest !== undefined) {
        const old = this.byId.get(oldest);
        this.byId.delete(oldest);
        if (old) this.byCode.delete(`${old.bookId}/${old.code}`);
      }
    }
  }
}

interface AccountRow {
  id: string | bigint;
  book_id: string | bigint;
  code: string;
  type: AccountType;
  buckets: number;
  non_negative: boolean;
}

const toMeta = (row: AccountRow): AccountMeta => ({
  id: toBigInt(row.id),
  bookId: toBigInt(row.book_id),
  code: row.code,
  type: row.type,
  buckets: Number(row.buckets),
  nonNegative: row.non_negative,
});

/** Metadata for the given accounts, from the cache or one query. Throws if an id does not exist. */
export async function loadAccounts(
  db: DbOrTx,
  cache: AccountCache,
  ids: bigint[],
): Promise<Map<bigint, AccountMeta>> {
  const found = new Map<bigint, AccountMeta>();
  const missing: bigint[] = [];
  for (const id of ids) {
    const meta = cache.get(id);
    if (meta) found.set(id, meta);
    else missing.push(id);
  }
  if (missing.length > 0) {
    const result = await db.execute<AccountRow & Record<string, unknown>>(
      sql`SELECT id, book_id, code, type, buckets, non_negative FROM accounts WHERE id = ANY(${sql.param(missing)}::bigint[])`,
    );
    for (const row of result.rows) {
      const meta = toMeta(row);
      cache.put(meta);
      found.set(meta.id, meta);
    }
  }
  for (const id of ids) if (!found.has(id)) throw new Error(`unknown ledger account ${id}`);
  return found;
}

/** Find an account by book and code (cached). Returns undefined when it does not exist. */
export async function findAccount(
  db: DbOrTx,
  cache: AccountCache,
  bookId: bigint,
  code: string,
): Promise<AccountMeta | undefined> {
  const cached = cache.idFor(bookId, code);
  if (cached !== undefined) return cache.get(cached);
  const result = await db.execute<AccountRow & Record<string, unknown>>(
    sql`SELECT id, book_id, code, type, buckets, non_negative FROM accounts WHERE book_id = ${bookId} AND code = ${code}`,
  );
  const row = result.rows[0];
  if (!row) return undefined;
  const meta = toMeta(row);
  cache.put(meta);
  return meta;
}

export async function requireAccount(
  db: DbOrTx,
  cache: AccountCache,
  bookId: bigint,
  code: string,
): Promise<AccountMeta> {
  const meta = await findAccount(db, cache, bookId, code);
  if (!meta) throw new Error(`ledger account ${code} missing in book ${bookId}`);
  return meta;
}

/** Create an account and its balance rows (idempotent on book + code). */
export async function openAccount(
  db: DbOrTx,
  cache: AccountCache,
  input: {
    bookId: bigint;
    code: string;
    name: string;
    type: AccountType;
    hot?: boolean;
    nonNegative?: boolean;
  },
): Promise<AccountMeta> {
  const buckets = input.hot ? HOT_BUCKETS : 1;
  const nonNegative = input.nonNegative ?? false;
  const result = await db.execute<AccountRow & Record<string, unknown>>(sql`
    WITH ins AS (
      INSERT INTO accounts (book_id, code, name, type, buckets, non_negative)
      VALUES (${input.bookId}, ${input.code}, ${input.name}, ${input.type}, ${buckets}, ${nonNegative})
      ON CONFLICT (book_id, code) DO NOTHING
      RETURNING id, book_id, code, type, buckets, non_negative
    ), bal AS (
      INSERT INTO account_balances (account_id, bucket, balance, non_negative)
      SELECT ins.id, g, 0, ins.non_negative FROM ins, generate_series(0, ins.buckets - 1) AS g
    )
    SELECT * FROM ins
  `);
  // Not cached here: the caller's transaction may still roll back (ids are never reused, but why keep them).
  const row = result.rows[0];
  if (row) return toMeta(row);
  return requireAccount(db, cache, input.bookId, input.code);
}

export async function openBook(db: DbOrTx, koperasiId: string | null): Promise<bigint> {
  const kind = koperasiId === null ? 'platform' : 'koperasi';
  const inserted = await db.execute<{ id: string } & Record<string, unknown>>(sql`
    INSERT INTO books (koperasi_id, kind) VALUES (${koperasiId}, ${kind})
    ON CONFLICT DO NOTHING RETURNING id`);
  if (inserted.rows[0]) return toBigInt(inserted.rows[0].id);
  const existing = await findBookId(db, koperasiId);
  if (existing === undefined) throw new Error('book could not be opened');
  return existing;
}

export async function findBookId(db: DbOrTx, koperasiId: string | null): Promise<bigint | undefined> {
  const result = await db.execute<{ id: string } & Record<string, unknown>>(
    koperasiId === null
      ? sql`SELECT id FROM books WHERE kind = 'platform'`
      : sql`SELECT id FROM books WHERE koperasi_id = ${koperasiId}`,
  );
  return result.rows[0] ? toBigInt(result.rows[0].id) : undefined;
}

/** A koperasi's book with its standard accounts, and its receivable in the platform book. */
export async function openKoperasiBook(db: DbOrTx, cache: AccountCache, koperasiId: string): Promise<bigint> {
  const bookId = await openBook(db, koperasiId);
  for (const spec of Object.values(KOPERASI_ACCOUNTS)) {
    await openAccount(db, cache, {
      bookId,
      code: spec.code,
      name: spec.name,
      type: spec.type,
      hot: spec.hot,
    });
  }
  const platformBookId = await openPlatformBook(db, cache);
  await openAccount(db, cache, {
    bookId: platformBookId,
    code: receivableCode(koperasiId),
    name: `Piutang koperasi ${koperasiId}`,
    type: 'asset',
    hot: true,
  });
  return bookId;
}

export async function openPlatformBook(db: DbOrTx, cache: AccountCache): Promise<bigint> {
  const bookId = await openBook(db, null);
  await openAccount(db, cache, { bookId, code: PLATFORM_EQUITY, name: 'Modal platform', type: 'equity' });
  return bookId;
}

export async function openUpstreamDepositAccount(
  db: DbOrTx,
  cache: AccountCache,
  adapter: string,
): Promise<AccountMeta> {
  const bookId = await openPlatformBook(db, cache);
  return openAccount(db, cache, {
    bookId,
    code: upstreamDepositCode(adapter),
    name: `Deposit pada agregator ${adapter}`,
    type: 'asset',
    hot: true,
  });
}

/** A member's simpanan sukarela: never below zero, enforced by the database. */
export function openSavingsAccount(
  db: DbOrTx,
  cache: AccountCache,
  bookId: bigint,
  memberId: string,
  memberName: string,
): Promise<AccountMeta> {
  return openAccount(db, cache, {
    bookId,
    code: savingsCode(memberId),
    name: `Simpanan sukarela ${memberName}`,
    type: 'liability',
    nonNegative: true,
  });
}

/**
 * The koperasi's counter (loket). Opened when first needed, so books opened before the counter existed get them too.
 * customerFunds: cash taken at the counter for a payment not yet paid out, and after a failure or refund what the
 * koperasi owes the customer until the kasir hands it back. overShort: the closing count's difference.
 */
export const COUNTER_ACCOUNTS = {
  customerFunds: { code: 'counter_customer_funds', name: 'Titipan tunai pelanggan loket', type: 'liability' },
  overShort: { code: 'cash_over_short', name: 'Selisih kas loket', type: 'expense' },
} as const satisfies Record<string, { code: string; name: string; type: AccountType }>;

export type CounterAccountKey = keyof typeof COUNTER_ACCOUNTS;

/** A kasir's cash drawer: while their shift is open, the cash that should be in it. */
export const cashDrawerCode = (kasirId: string) => `cash_drawer:${kasirId}`;

export async function openCounterAccount(
  db: DbOrTx,
  cache: AccountCache,
  bookId: bigint,
  which: CounterAccountKey,
): Promise<AccountMeta> {
  const spec = COUNTER_ACCOUNTS[which];
  return (
    (await findAccount(db, cache, bookId, spec.code)) ??
    openAccount(db, cache, { bookId, code: spec.code, name: spec.name, type: spec.type })
  );
}

/** The drawer cannot hold less than nothing: enforced by the database like a member's savings. */
export async function openCashDrawerAccount(
  db: DbOrTx,
  cache: AccountCache,
  bookId: bigint,
  kasirId: string,
  kasirName: string,
): Promise<AccountMeta> {
  return (
    (await findAccount(db, cache, bookId, cashDrawerCode(kasirId))) ??
    openAccount(db, cache, {
      bookId,
      code: cashDrawerCode(kasirId),
      name: `Kas loket ${kasirName}`,
      type: 'asset',
      nonNegative: true,
    })
  );
}

export const normalSide = (type: AccountType): 'D' | 'C' =>
  type === 'asset' || type === 'expense' ? 'D' : 'C';
