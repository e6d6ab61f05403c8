/** SQL for quotes, payments, upstream attempts and the outbox. Every function takes `db | tx` first. */
import { and, asc, desc, eq, gte, ilike, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database, DbOrTx, Tx } from '../db/client.js';
import { runNamed } from '../db/raw.js';
import { type RawRow, rowMapper } from '../db/rows.js';
import { outbox, paymentAttempts, payments, quotes, users } from '../db/schema/index.js';
import type { PaymentJob } from './jobs.js';
import { OPEN_STATUSES } from './lifecycle.js';

export type QuoteRow = typeof quotes.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;
export type AttemptRow = typeof paymentAttempts.$inferSelect;
export type NewQuote = typeof quotes.$inferInsert;
export type NewPayment = typeof payments.$inferInsert;

const toUser = rowMapper(users);
const toQuote = rowMapper(quotes);

export async function insertQuote(db: DbOrTx, quote: NewQuote): Promise<QuoteRow> {
  const rows = await db.insert(quotes).values(quote).returning();
  return rows[0]!;
}

/** The paying member and their quote kept in PostgreSQL, in one read (the quote only if it is theirs). */
export async function findPayer(
  database: Database,
  member: { userId: string; koperasiId: string },
  quoteId: string,
): Promise<{ user: typeof users.$inferSelect | undefined; quote: QuoteRow | undefined }> {
  // A named statement: the hot path's reads skip the query builder (its cost showed in the API's profile).
  const rows = await runNamed<RawRow>(
    database.named,
    'pintu_find_payer',
    sql`SELECT u.*, to_jsonb(q) AS found_quote
        FROM users u LEFT JOIN quotes q ON q.id = ${quoteId}::uuid AND q.member_id = u.id
        WHERE u.id = ${member.userId}::uuid AND u.koperasi_id = ${member.koperasiId}::uuid`,
  );
  const row = rows[0];
  if (!row) return { user: undefined, quote: undefined };
  return { user: toUser(row), quote: row.found_quote ? toQuote(row.found_quote as RawRow) : undefined };
}

export async function findPayment(db: DbOrTx, id: string): Promise<PaymentRow | undefined> {
  const rows = await db.select().from(payments).where(eq(payments.id, id)).limit(1);
  return rows[0];
}

/** The payment row, locked until the transaction ends: whoever moves a payment holds this lock. */
export async function lockPayment(tx: Tx, id: string): Promise<PaymentRow | undefined> {
  const rows = await tx.select().from(payments).where(eq(payments.id, id)).limit(1).for('update');
  return rows[0];
}

/**
 * The payment's open (latest) upstream attempt: the adapter and ref a treasurer looks up in the
 * aggregator's portal. `payments.adapter/ref_id` name the first attempt until one succeeds.
 */
const currentAttempt = {
  attemptAdapter: sql<
    string | null
  >`(SELECT a.adapter FROM payment_attempts a WHERE a.payment_id = ${payments.id} ORDER BY a.attempt_no DESC LIMIT 1)`,
  attemptRefId: sql<
    string | null
  >`(SELECT a.ref_id FROM payment_attempts a WHERE a.payment_id = ${payments.id} ORDER BY a.attempt_no DESC LIMIT 1)`,
  /** A failed or refunded cash payment: when the kasir handed the cash back (journal_transactions_one_cash_return). */
  cashReturnedAt: sql<
    string | null
  >`(SELECT j.created_at FROM journal_transactions j WHERE j.payment_id = ${payments.id} AND j.kind = 'counter_cash_return' AND ${payments.funding} = 'cash')`,
};

/** Whose payments a reader sees: a koperasi's, one member's of it, or (a kasir) the koperasi's counter payments. */
export interface PaymentScope {
  koperasiId: string;
  memberId?: string;
  channel?: 'counter';
}

export type ScopedPayment = PaymentRow & {
  /** Null for a cash payment by a non-member at the counter. */
  memberNo: string | null;
  memberName: string | null;
  cashReturnedAt: Date | null;
  attemptAdapter: string | null;
  attemptRefId: string | null;
};

/** Scoped read: a member sees their own payments, a treasurer their koperasi's. */
export async function findPaymentFor(
  db: DbOrTx,
  id: string,
  scope: PaymentScope,
): Promise<ScopedPayment | undefined> {
  const rows = await db
    .select({ payment: payments, memberNo: users.username, memberName: users.name, ...currentAttempt })
    .from(payments)
    .leftJoin(users, eq(users.id, payments.memberId))
    .where(
      and(
        eq(payments.id, id),
        eq(payments.koperasiId, scope.koperasiId),
        scope.memberId ? eq(payments.memberId, scope.memberId) : undefined,
        scope.channel ? eq(payments.channel, scope.channel) : undefined,
      ),
    )
    .limit(1);
  const row = rows[0];
  return row
    ? {
        ...row.payment,
        memberNo: row.memberNo,
        memberName: row.memberName,
        attemptAdapter: row.attemptAdapter,
        attemptRefId: row.attemptRefId,
        cashReturnedAt: row.cashReturnedAt === null ? null : new Date(row.cashReturnedAt),
      }
    : undefined;
}

export async function listPaymentsFor(
  db: DbOrTx,
  scope: PaymentScope,
  options: {
    limit: number;
    before?: { createdAt: Date; id: string };
    status?: PaymentRow['status'];
    attentionBefore?: Date;
    /** The treasurer's feed filters: a product, a member (exact number or part of the name), a WIB day. */
    product?: string;
    member?: string;
    span?: { start: Date; end: Date };
  },
) {
  const before = options.before;
  const member = options.member?.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await db
    .select({ payment: payments, memberNo: users.username, memberName: users.name, ...currentAttempt })
    .from(payments)
    .leftJoin(users, eq(users.id, payments.memberId))
    .where(
      and(
        eq(payments.koperasiId, scope.koperasiId),
        scope.memberId ? eq(payments.memberId, scope.memberId) : undefined,
        scope.channel ? eq(payments.channel, scope.channel) : undefined,
        options.status ? eq(payments.status, options.status) : undefined,
        options.product ? eq(payments.product, options.product) : undefined,
        member !== undefined
          ? or(ilike(users.username, member), ilike(users.name, `%${member}%`))
          : undefined,
        options.span ? gte(payments.createdAt, options.span.start) : undefined,
        options.span ? lt(payments.createdAt, options.span.end) : undefined,
        // Listed for a person: open and under review, or suspect for too long.
        options.attentionBefore
          ? or(
              and(inArray(payments.status, [...OPEN_STATUSES]), isNotNull(payments.reviewReason)),
              and(eq(payments.status, 'suspect'), lt(payments.suspectSince, options.attentionBefore)),
            )
          : undefined,
        before
          ? or(
              lt(payments.createdAt, before.createdAt),
              and(eq(payments.createdAt, before.createdAt), lt(payments.id, before.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(options.limit);
  return rows.map((r): ScopedPayment => ({
    ...r.payment,
    memberNo: r.memberNo,
    memberName: r.memberName,
    attemptAdapter: r.attemptAdapter,
    attemptRefId: r.attemptRefId,
    cashReturnedAt: r.cashReturnedAt === null ? null : new Date(r.cashReturnedAt),
  }));
}

export async function updatePayment(db: DbOrTx, id: string, patch: Partial<NewPayment>): Promise<void> {
  await db
    .update(payments)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(payments.id, id));
}

/**
 * List the payment for a person, with the evidence in words (reasons accumulate). An open payment
 * without an outbox row must have one: that is the invariant `ledger verify` checks.
 */
export async function flagForReview(db: DbOrTx, paymentId: string, reason: string, at: Date): Promise<void> {
  await db
    .update(payments)
    .set({
      reviewReason: sql`left(coalesce(${payments.reviewReason} || ' | ', '') || ${reason}, 2000)`,
      reviewSince: sql`coalesce(${payments.reviewSince}, ${at.toISOString()}::timestamptz)`,
      updatedAt: sql`now()`,
    })
    .where(eq(payments.id, paymentId));
}

export async function listAttempts(db: DbOrTx, paymentId: string): Promise<AttemptRow[]> {
  return db
    .select()
    .from(paymentAttempts)
    .where(eq(paymentAttempts.paymentId, paymentId))
    .orderBy(asc(paymentAttempts.attemptNo));
}

/** Record that we are about to send; false when another worker already created this attempt. */
export async function insertAttempt(
  db: DbOrTx,
  attempt: typeof paymentAttempts.$inferInsert,
): Promise<boolean> {
  const rows = await db
    .insert(paymentAttempts)
    .values(attempt)
    .onConflictDoNothing()
    .returning({ n: paymentAttempts.attemptNo });
  return rows.length === 1;
}

export async function updateAttempt(
  db: DbOrTx,
  paymentId: string,
  attemptNo: number,
  patch: Partial<typeof paymentAttempts.$inferInsert>,
): Promise<void> {
  await db
    .update(paymentAttempts)
    .set(patch)
    .where(and(eq(paymentAttempts.paymentId, paymentId), eq(paymentAttempts.attemptNo, attemptNo)));
}

export async function findAttemptByRef(
  db: DbOrTx,
  adapter: string,
  refId: string,
): Promise<AttemptRow | undefined> {
  const rows = await db
    .select()
    .from(paymentAttempts)
    .where(and(eq(paymentAttempts.adapter, adapter), eq(paymentAttempts.refId, refId)))
    .limit(1);
  return rows[0];
}

// ─── outbox ─────────────────────────────────────────────────────────────────────────────────────

export async function deleteOutbox(db: DbOrTx, paymentId: string): Promise<void> {
  await db.delete(outbox).where(eq(outbox.paymentId, paymentId));
}

/** Reschedule: a new seq (so older jobs become no-ops) due at `dueAt`. */
export async function rescheduleOutbox(
  db: DbOrTx,
  paymentId: string,
  dueAt: Date,
): Promise<number | undefined> {
  const rows = await db
    .update(outbox)
    .set({ seq: sql`${outbox.seq} + 1`, dueAt })
    .where(eq(outbox.paymentId, paymentId))
    .returning({ seq: outbox.seq });
  return rows[0]?.seq;
}

/**
 * A refund or failure notice arrived: the worker asks the upstream now, and the row is marked so it
 * survives the payment's success (see `finishOutbox`). Creates the row for a paid bill, which has none.
 */
export async function scheduleNoticeCheck(db: DbOrTx, paymentId: string, dueAt: Date): Promise<void> {
  await db
    .insert(outbox)
    .values({ paymentId, seq: 0, dueAt, noticeAt: dueAt })
    .onConflictDoUpdate({
      target: outbox.paymentId,
      set: {
        seq: sql`${outbox.seq} + 1`,
        // Never later than a check already due: a replayed notice must not push back the first one's question.
        dueAt: sql`least(${outbox.dueAt}, ${dueAt.toISOString()}::timestamptz)`,
        noticeAt: sql`coalesce(${outbox.noticeAt}, ${dueAt.toISOString()}::timestamptz)`,
      },
    });
}

/**
 * The payment succeeded: its outbox row goes, unless a notice is being confirmed; then it stays, under a
 * new seq due now, and the worker checks the paid bill for a reversal.
 */
export async function finishOutbox(db: DbOrTx, paymentId: string, now: Date): Promise<void> {
  await db.delete(outbox).where(and(eq(outbox.paymentId, paymentId), isNull(outbox.noticeAt)));
  await db
    .update(outbox)
    .set({ seq: sql`${outbox.seq} + 1`, dueAt: now })
    .where(eq(outbox.paymentId, paymentId));
}

/** A step failed unexpectedly: run it again at `dueAt`, unless it already moved the row on (a newer seq, or gone). */
export async function retryOutboxAt(db: DbOrTx, job: PaymentJob, dueAt: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ dueAt })
    .where(and(eq(outbox.paymentId, job.paymentId), eq(outbox.seq, job.seq)));
}

// ─── callback deliveries ───────────────────────────────────────────────────────────────────────────

/** Was this delivery of an upstream callback already handled? */
export async function deliverySeen(db: DbOrTx, adapter: string, deliveryId: string): Promise<boolean> {
  const seen = await db.execute(sql`
    SELECT 1 FROM callback_deliveries WHERE adapter = ${adapter} AND delivery_id = ${deliveryId}`);
  return seen.rows.length > 0;
}

export async function recordDelivery(
  db: DbOrTx,
  adapter: string,
  deliveryId: string,
  refId: string,
): Promise<void> {
  await db.execute(sql`
    INSERT INTO callback_deliveries (adapter, delivery_id, ref_id) VALUES (${adapter}, ${deliveryId}, ${refId})
    ON CONFLICT DO NOTHING`);
}
