import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLSTATE } from '../../src/db/assertions.js';
import { withTransaction } from '../../src/db/client.js';
import {
  HoldNotPendingError,
  InsufficientFundsError,
  KOPERASI_ACCOUNTS,
  type Ledger,
  UnbalancedTransactionError,
  createLedger,
  receivableCode,
} from '../../src/ledger/index.js';
import { sealAll } from '../../src/ledger/sealing.js';
import { verifyLedger } from '../../src/ledger/verify.js';
import { type TestDatabase, createTestDatabase } from '../helpers/db.js';

let database: TestDatabase;

/** drizzle wraps the driver's error; the database's own message is the cause. */
const dbError = (message: RegExp, code: string) => ({
  cause: expect.objectContaining({ message: expect.stringMatching(message), code }),
});
let ledger: Ledger;

interface Book {
  koperasiId: string;
  bookId: bigint;
  platformBookId: bigint;
  account(code: string): Promise<bigint>;
}

async function givenKoperasiBook(): Promise<Book> {
  const koperasiId = randomUUID();
  await database.db.execute(
    sql`INSERT INTO koperasi (id, code, name) VALUES (${koperasiId}, ${'k' + koperasiId.slice(0, 8)}, 'Koperasi Uji')`,
  );
  const bookId = await withTransaction(database.db, (tx) => ledger.openKoperasiBook(tx, koperasiId));
  const platformBookId = (await ledger.findBookId(database.db, null))!;
  return {
    koperasiId,
    bookId,
    platformBookId,
    account: async (code) => (await ledger.requireAccount(database.db, bookId, code)).id,
  };
}

async function givenMember(book: Book, balance: bigint): Promise<bigint> {
  const memberId = randomUUID();
  const savings = await ledger.openSavingsAccount(database.db, book.bookId, memberId, 'Siti');
  if (balance > 0n) {
    await ledger.post(database.db, {
      kind: 'deposit',
      lines: [
        { accountId: await book.account(KOPERASI_ACCOUNTS.depositsCash.code), side: 'D', amount: balance },
        { accountId: savings.id, side: 'C', amount: balance },
      ],
    });
  }
  return savings.id;
}

async function expectVerifyOk(): Promise<void> {
  await sealAll(database.db);
  const report = await verifyLedger(database.db);
  expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  expect(report.ok).toBe(true);
}

beforeAll(async () => {
  database = await createTestDatabase(30);
  ledger = createLedger();
});

afterAll(async () => {
  await database.drop();
});

describe('postings', () => {
  it('moves both balances of a balanced transaction and keeps verify green', async () => {
    const book = await givenKoperasiBook();
    const savings = await givenMember(book, 250_000n);
    expect(await ledger.balance(database.db, savings)).toBe(250_000n);
    expect(await ledger.balance(database.db, await book.account('deposits_cash'))).toBe(250_000n);
    await expectVerifyOk();
  });

  it('refuses an unbalanced transaction before it reaches the database', async () => {
    const book = await givenKoperasiBook();
    const savings = await givenMember(book, 0n);
    await expect(
      ledger.post(database.db, {
        kind: 'deposit',
        lines: [
          { accountId: await book.account('deposits_cash'), side: 'D', amount: 1_000n },
          { accountId: savings, side: 'C', amount: 999n },
        ],
      }),
    ).rejects.toBeInstanceOf(UnbalancedTransactionError);
    expect(await ledger.balance(database.db, savings)).toBe(0n);
  });

  it('has the database reject unbalanced entries written by SQL directly', async () => {
    const book = await givenKoperasiBook();
    const savings = await givenMember(book, 0n);
    const cash = await book.account('deposits_cash');
    await expect(
      database.db.execute(sql`
        WITH t AS (INSERT INTO journal_transactions (kind) VALUES ('manual') RETURNING id)
        INSERT INTO entries (tx_id, account_id, book_id, side, amount)
        SELECT t.id, a, ${book.bookId}, s, 500 FROM t, (VALUES (${cash}::bigint, 'D'), (${savings}::bigint, 'D')) v(a, s)`),
    ).rejects.toMatchObject(dbError(/does not balance/, SQLSTATE.unbalanced));
  });

  it('has the database reject UPDATE and DELETE of entries', async () => {
    const book = await givenKoperasiBook();
    await givenMember(book, 10_000n);
    await expect(database.db.execute(sql`UPDATE entries SET amount = amount + 1`)).rejects.toMatchObject(
      dbError(/append-only/, SQLSTATE.appendOnly),
    );
    await expect(database.db.execute(sql`DELETE FROM entries`)).rejects.toMatchObject(
      dbError(/append-only/, SQLSTATE.appendOnly),
    );
    await expect(database.db.execute(sql`DELETE FROM journal_transactions`)).rejects.toMatchObject(
      dbError(/append-only/, SQLSTATE.appendOnly),
    );
    await expect(database.db.execute(sql`TRUNCATE entries CASCADE`)).rejects.toMatchObject(
      dbError(/append-only/, SQLSTATE.appendOnly),
    );
  });

  it('never lets 200 concurrent debits take savings below zero', async () => {
    const book = await givenKoperasiBook();
    const savings = await givenMember(book, 50_000n);
    const inFlight = await book.account('in_flight');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, () =>
        withTransaction(database.db, (tx) =>
          ledger.hold(tx, {
            bookId: book.bookId,
            debitAccountId: savings,
            holdAccountId: inFlight,
            amount: 1_000n,
            paymentId: randomUUID(),
          }),
        ),
      ),
    );
    const succeeded = outcomes.filter((o) => o.status === 'fulfilled').length;
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(succeeded).toBe(50);
    expect(refused).toHaveLength(150);
    for (const r of refused) expect(r.reason).toBeInstanceOf(InsufficientFundsError);
    expect(await ledger.balance(database.db, savings)).toBe(0n);
    expect(await ledger.pendingHolds(database.db, savings)).toBe(50_000n);
    await expectVerifyOk();
  });
});

describe('holds', () => {
  it('posts a hold out to payable and income in both books, exactly once', async () => {
    const book = await givenKoperasiBook();
    const savings = await givenMember(book, 200_000n);
    const hold = await ledger.hold(database.db, {
      bookId: book.bookId,
      debitAccountId: savings,
      holdAccountId: await book.account('in_flight'),
      amount: 104_500n,
      paymentId: randomUUID(),
    });
    expect(await ledger.balance(database.db, savings)).toBe(95_500n);
    const deposit = await ledger.openUpstreamDepositAccount(database.db, 'fake');
    const receivable = await ledger.requireAccount(
      database.db,
      book.platformBookId,
      receivableCode(book.koperasiId),
    );
    const payable = await book.account('payable_gateway');
    const fee = await book.account('fee_income');
    const commission = await book.account('commission_income');
    const post = (tx: Parameters<Ledger['postHold']>[0]) =>
      ledger.postHold(tx, hold.id, {
        paymentId: randomUUID(),
        credits: [
          { accountId: payable, side: 'C', amount: 103_000n },
          { accountId: fee, side: 'C', amount: 1_000n },
          { accountId: commission, side: 'C', amount: 500n },
        ],
        extra: [
          { accountId: receivable.id, side: 'D', amount: 103_000n },
          { accountId: deposit.id, side: 'C', amount: 103_000n },
        ],
      });
    await withTransaction(database.db, post);
    await expect(withTransaction(database.db, post)).rejects.toBeInstanceOf(HoldNotPendingError);
    await expect(
      withTransaction(database.db, (tx) => ledger.voidHold(tx, hold.id, { paymentId: randomUUID() })),
    ).rejects.toBeInstanceOf(HoldNotPendingError);
    expect(await ledger.balance(database.db, fee)).toBe(1_000n);
    expect(await ledger.balance(database.db, await book.account('in_flight'))).toBe(0n);
    expect(await ledger.balance(database.db, receivable.id)).toBe(103_000n);
    expect(await ledger.balance(database.db, deposit.id)).toBe(-103_000n);
    await expectVerifyOk();
  });

  it('voids a hold back to the member in full', async () => {
    const book = await givenKoperasiBook();
    const savings = await givenMember(book, 30_000n);
    const hold = await ledger.hold(database.db, {
      bookId: book.bookId,
      debitAccountId: savings,
      holdAccountId: await book.account('in_flight'),
      amount: 30_000n,
      paymentId: randomUUID(),
    });
    expect(await ledger.balance(database.db, savings)).toBe(0n);
    await withTransaction(database.db, (tx) => ledger.voidHold(tx, hold.id, { paymentId: randomUUID() }));
    expect(await ledger.balance(database.db, savings)).toBe(30_000n);
    expect(await ledger.pendingHolds(database.db, savings)).toBe(0n);
    await expectVerifyOk();
  });

  it('spreads one koperasi’s hot accounts so 300 concurrent holds and posts finish without deadlock', async () => {
    const book = await givenKoperasiBook();
    const members = await Promise.all(Array.from({ length: 30 }, () => givenMember(book, 100_000n)));
    const inFlight = await book.account('in_flight');
    const fee = await book.account('fee_income');
    const payable = await book.account('payable_gateway');
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        withTransaction(database.db, async (tx) => {
          const hold = await ledger.hold(tx, {
            bookId: book.bookId,
            debitAccountId: members[i % members.length]!,
            holdAccountId: inFlight,
            amount: 3_000n,
            paymentId: randomUUID(),
          });
          await ledger.postHold(tx, hold.id, {
            paymentId: randomUUID(),
            credits: [
              { accountId: payable, side: 'C', amount: 2_000n },
              { accountId: fee, side: 'C', amount: 1_000n },
            ],
          });
        }),
      ),
    );
    expect(await ledger.balance(database.db, fee)).toBe(300_000n);
    const buckets = await database.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM account_balances WHERE account_id = ${fee} AND balance <> 0`,
    );
    expect(buckets.rows[0]!.n).toBeGreaterThan(1);
    await expectVerifyOk();
  });
});

describe('verify', () => {
  it('catches an entry edited by a superuser behind the trigger and names the book and transaction', async () => {
    const book = await givenKoperasiBook();
    const savings = await givenMember(book, 75_000n);
    await expectVerifyOk();
    const entry = await database.db.execute<{ id: string; tx_id: string }>(
      sql`SELECT id::text, tx_id::text FROM entries WHERE account_id = ${savings} LIMIT 1`,
    );
    const { id, tx_id: txId } = entry.rows[0]!;
    await database.superuser(
      `BEGIN; SET LOCAL session_replication_role = replica; UPDATE entries SET amount = amount + 1000 WHERE id = ${id}; COMMIT;`,
    );
    const report = await verifyLedger(database.db);
    expect(report.ok).toBe(false);
    const chain = report.checks.find((c) => c.name === 'hash_chains_intact')!;
    expect(chain.ok).toBe(false);
    expect(chain.breaches).toContainEqual(
      expect.objectContaining({ book_id: String(book.bookId), tx_id: txId }),
    );
    const balances = report.checks.find((c) => c.name === 'balances_equal_entries')!;
    expect(balances.breaches).toContainEqual(expect.objectContaining({ account_id: String(savings) }));
    // Put it back so later tests in this file start from a verified ledger.
    await database.superuser(
      `BEGIN; SET LOCAL session_replication_role = replica; UPDATE entries SET amount = amount - 1000 WHERE id = ${id}; COMMIT;`,
    );
    await expectVerifyOk();
  });

  it('catches a balance changed by SQL and a negative savings balance', async () => {
    const book = await givenKoperasiBook();
    const savings = await givenMember(book, 5_000n);
    await database.superuser(
      `ALTER TABLE account_balances DROP CONSTRAINT account_balances_non_negative;
       UPDATE account_balances SET balance = -1 WHERE account_id = ${savings};`,
    );
    const report = await verifyLedger(database.db);
    expect(report.checks.find((c) => c.name === 'no_negative_savings')!.breaches).toContainEqual(
      expect.objectContaining({ account_id: String(savings), balance: '-1' }),
    );
    expect(report.checks.find((c) => c.name === 'balances_equal_entries')!.ok).toBe(false);
    await database.superuser(
      `UPDATE account_balances SET balance = 5000 WHERE account_id = ${savings};
       ALTER TABLE account_balances ADD CONSTRAINT account_balances_non_negative CHECK (not non_negative or balance >= 0);`,
    );
    await expectVerifyOk();
  });

  it('reports the unsealed tail instead of failing on it', async () => {
    const book = await givenKoperasiBook();
    await givenMember(book, 1_000n);
    const report = await verifyLedger(database.db);
    expect(report.ok).toBe(true);
    expect(report.unsealed.transactions).toBeGreaterThan(0);
    expect(report.unsealed.books.map((b) => b.koperasiId)).toContain(book.koperasiId);
  });
});

describe('any sequence of deposits, holds, posts and voids (property)', () => {
  type Op =
    | { kind: 'deposit'; member: number; amount: bigint }
    | { kind: 'hold'; member: number; amount: bigint }
    | { kind: 'post' | 'void'; pick: number };
  const amount = fc.bigInt({ min: 1n, max: 300_000n });
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('deposit' as const), member: fc.nat(2), amount }),
    fc.record({ kind: fc.constant('hold' as const), member: fc.nat(2), amount }),
    fc.record({ kind: fc.constantFrom('post' as const, 'void' as const), pick: fc.nat() }),
  );

  it('keeps every book balanced, no savings below zero, and each balance equal to a simple model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const book = await givenKoperasiBook();
        const members = [
          await givenMember(book, 0n),
          await givenMember(book, 50_000n),
          await givenMember(book, 0n),
        ];
        const model = [0n, 50_000n, 0n];
        const inFlight = await book.account('in_flight');
        const payable = await book.account('payable_gateway');
        const cash = await book.account('deposits_cash');
        const pending: { id: bigint; member: number; amount: bigint }[] = [];
        for (const o of ops) {
          if (o.kind === 'deposit') {
            await ledger.post(database.db, {
              kind: 'deposit',
              lines: [
                { accountId: cash, side: 'D', amount: o.amount },
                { accountId: members[o.member]!, side: 'C', amount: o.amount },
              ],
            });
            model[o.member]! += o.amount;
          } else if (o.kind === 'hold') {
            const held = ledger.hold(database.db, {
              bookId: book.bookId,
              debitAccountId: members[o.member]!,
              holdAccountId: inFlight,
              amount: o.amount,
              paymentId: randomUUID(),
            });
            if (o.amount > model[o.member]!) {
              await expect(held).rejects.toBeInstanceOf(InsufficientFundsError);
            } else {
              pending.push({ id: (await held).id, member: o.member, amount: o.amount });
              model[o.member]! -= o.amount;
            }
          } else if (pending.length > 0) {
            const [hold] = pending.splice(o.pick % pending.length, 1);
            await withTransaction(database.db, (tx) =>
              o.kind === 'post'
                ? ledger.postHold(tx, hold!.id, {
                    paymentId: randomUUID(),
                    credits: [{ accountId: payable, side: 'C', amount: hold!.amount }],
                  })
                : ledger.voidHold(tx, hold!.id, { paymentId: randomUUID() }),
            );
            if (o.kind === 'void') model[hold!.member]! += hold!.amount;
          }
        }
        for (const [i, savings] of members.entries()) {
          const balance = await ledger.balance(database.db, savings);
          expect(balance).toBe(model[i]);
          expect(balance).toBeGreaterThanOrEqual(0n);
        }
        expect(await ledger.balance(database.db, inFlight)).toBe(
          pending.reduce((sum, h) => sum + h.amount, 0n),
        );
        await expectVerifyOk();
      }),
      { numRuns: 25 },
    );
  });
});
