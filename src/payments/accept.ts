/**
 * Accepting a payment in ONE statement (one round trip, its own transaction): store the idempotency
 * key with its response, write the quote as used (or claim the one kept in PostgreSQL while Redis was down),
 * post the hold (savings → in-flight), write the hold, the payment and its outbox row. The first upstream
 * attempt is written by the worker just before it sends (pipeline.ts): one row per send, so a refused or
 * "not created" answer stays proof that the upstream holds nothing. Each step is gated on the previous one; if the key was new but the
 * quote could not be claimed (a concurrent request took it), pintu_assert aborts the statement and
 * with it the key row (SQLSTATE quoteClaimed); so does a PIN locked meanwhile (pinLocked: a concurrent burst of wrong guesses). An
 * overdraft fails the savings CHECK and aborts it the same way. So either
 * everything is written or nothing is.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import type { PaymentChannel, PaymentFunding } from '../db/schema/payments.js';
import type { Deps } from '../deps.js';
import { SQLSTATE } from '../db/assertions.js';
import { runNamed } from '../db/raw.js';
import { claimKeySql } from '../idempotency/index.js';
import { type RawRow, rowMapper } from '../db/rows.js';
import { payments } from '../db/schema/index.js';
import { type AccountMeta, KOPERASI_ACCOUNTS } from '../ledger/index.js';
import { holdCtes, pendingHoldsSql } from '../ledger/hold-statements.js';
import { planPosting } from '../ledger/postings.js';
import type { PaymentRow, QuoteRow } from './repository.js';

const toPayment = rowMapper(payments);

/** Where a payment was started and who paid it (see the payments table). */
export interface PaymentOrigin {
  channel: PaymentChannel;
  kasirId?: string;
  shiftId?: string;
  subscriptionId?: string;
  payerName?: string;
  payerPhone?: string;
}

export interface AcceptInput {
  scope: string;
  key: string;
  fingerprint: string;
  paymentId: string;
  quote: QuoteRow;
  /** The account the money is held from: the member's savings, or for cash the counter's customer funds. */
  debit: AccountMeta;
  funding: PaymentFunding;
  origin: PaymentOrigin;
  now: Date;
  /**
   * The PIN hash the API verified the member's PIN against a moment ago without reading the member (the app's
   * hot path): the statement asserts it is still the member's hash, in that koperasi, with that savings
   * account (else SQLSTATE payerChanged and nothing is written). Absent: the caller read the member itself.
   */
  rememberedPinHash?: string;
}

/**
 * Runs the statement: on the pool as a named prepared statement (the app's hot path, its own transaction), or
 * inside a caller's transaction (the counter and autodebet lock their own row first).
 */
export type AcceptExecutor = <T extends Record<string, unknown>>(name: string, query: SQL) => Promise<T[]>;

export const onPool =
  (deps: Pick<Deps, 'database'>): AcceptExecutor =>
  (name, query) =>
    runNamed(deps.database.named, name, query);

export const inTransaction =
  (tx: Tx): AcceptExecutor =>
  async <T extends Record<string, unknown>>(_name: string, query: SQL) =>
    (await tx.execute(query)).rows as T[];

export interface AcceptResult {
  /** false: the key was already stored (a duplicate); nothing was written. */
  fresh: boolean;
  /** The payment as the statement wrote it (RETURNING *), when fresh. */
  payment: PaymentRow | undefined;
  available: bigint;
  pendingBefore: bigint;
  /** The payer's member number (username), for the answer. */
  memberNo: string | null;
}

export async function acceptPayment(
  deps: Pick<Deps, 'db' | 'ledger'>,
  run: AcceptExecutor,
  input: AcceptInput,
): Promise<AcceptResult> {
  const { quote, debit: savings, paymentId, now, origin } = input;
  const inFlight = await deps.ledger.requireAccount(deps.db, savings.bookId, KOPERASI_ACCOUNTS.inFlight.code);
  const plan = planPosting(
    {
      kind: 'payment_hold',
      paymentId,
      memo: `${quote.product} ${quote.refId}`,
      at: now,
      lines: [
        { accountId: savings.id, side: 'D', amount: quote.total },
        { accountId: inFlight.id, side: 'C', amount: quote.total },
      ],
    },
    new Map([
      [savings.id, savings],
      [inFlight.id, inFlight],
    ]),
  );
  const periods = JSON.stringify(quote.periods.map((p) => p.period));
  const quotePeriods = JSON.stringify(quote.periods);
  const details = JSON.stringify(quote.details);
  const rows = await run<{
    fresh: number;
    payment: RawRow | null;
    available: string | null;
    pending_before: string;
    member_no: string | null;
  }>(
    'pintu_create_payment',
    sql`
    WITH locked AS (
      SELECT 1 FROM users WHERE id = ${quote.memberId}::uuid AND pin_locked_at IS NOT NULL
    ), idem AS (
      ${claimKeySql(input, { statusCode: 202, body: { paymentId } })}
    ), claim AS (
      INSERT INTO quotes (id, koperasi_id, member_id, kasir_id, product, customer_no, adapter, sku, ref_id,
                          upstream_handle, customer_name, periods, details, months, denomination, bill_amount, penalty,
                          admin_fee, koperasi_fee, price, total, expires_at, used_at, created_at)
      SELECT ${quote.id}::uuid, ${quote.koperasiId}::uuid, ${quote.memberId}::uuid, ${quote.kasirId}::uuid,
             ${quote.product}::text,
             ${quote.customerNo}::text, ${quote.adapter}::text, ${quote.sku}::text, ${quote.refId}::text,
             ${quote.upstreamHandle}::text, ${quote.customerName}::text, ${quotePeriods}::jsonb, ${details}::jsonb,
             ${quote.months}::smallint, ${quote.denomination}::bigint, ${quote.billAmount}::bigint, ${quote.penalty}::bigint,
             ${quote.adminFee}::bigint, ${quote.koperasiFee}::bigint, ${quote.price}::bigint, ${quote.total}::bigint,
             ${quote.expiresAt}::timestamptz, ${now}::timestamptz, ${quote.createdAt}::timestamptz
      WHERE EXISTS (SELECT 1 FROM idem)
      -- A quote kept in PostgreSQL (Redis was down at the inquiry) is claimed here; a used one is not.
      ON CONFLICT (id) DO UPDATE SET used_at = EXCLUDED.used_at WHERE quotes.used_at IS NULL
      RETURNING id
    ), ${holdCtes(
      {
        plan,
        bookId: savings.bookId,
        debitAccountId: savings.id,
        holdAccountId: inFlight.id,
        amount: quote.total,
      },
      sql`EXISTS (SELECT 1 FROM claim)`,
    )},
    p AS (
      INSERT INTO payments (id, koperasi_id, member_id, quote_id, product, customer_no, customer_name, periods, months,
                            denomination, bill_amount, penalty, admin_fee, koperasi_fee, price, total, status, hold_id,
                            adapter, ref_id, created_at, updated_at, channel, funding, kasir_id, shift_id,
                            subscription_id, payer_name, payer_phone)
      SELECT ${paymentId}::uuid, ${quote.koperasiId}::uuid, ${quote.memberId}::uuid, ${quote.id}::uuid, ${quote.product}::text,
             ${quote.customerNo}::text, ${quote.customerName}::text, ${periods}::jsonb, ${quote.months}::smallint,
             ${quote.denomination}::bigint, ${quote.billAmount}::bigint, ${quote.penalty}::bigint, ${quote.adminFee}::bigint,
             ${quote.koperasiFee}::bigint, ${quote.price}::bigint, ${quote.total}::bigint, 'processing', h.id,
             ${quote.adapter}::text, ${quote.refId}::text, ${now}::timestamptz, ${now}::timestamptz,
             ${origin.channel}::text, ${input.funding}::text, ${origin.kasirId ?? null}::uuid,
             ${origin.shiftId ?? null}::uuid, ${origin.subscriptionId ?? null}::uuid, ${origin.payerName ?? null}::text,
             ${origin.payerPhone ?? null}::text
      FROM ledger_hold h
      RETURNING *
    ), o AS (
      INSERT INTO outbox (payment_id, seq, due_at) SELECT id, 0, ${now}::timestamptz FROM p
    )
    SELECT (SELECT count(*) FROM idem)::int AS fresh,
           (SELECT to_jsonb(p) FROM p) AS payment,
           (SELECT balance::text FROM ledger_balances WHERE account_id = ${savings.id}::bigint) AS available,
           ${pendingHoldsSql(savings.id)}::text AS pending_before,
           (SELECT username FROM users WHERE id = ${quote.memberId}::uuid) AS member_no,
           pintu_assert(NOT EXISTS (SELECT 1 FROM locked), ${SQLSTATE.pinLocked}::text, 'the PIN is locked') AS unlocked,
           pintu_assert(${input.rememberedPinHash ?? null}::text IS NULL OR EXISTS (
                          SELECT 1 FROM users WHERE id = ${quote.memberId}::uuid AND koperasi_id = ${quote.koperasiId}::uuid
                            AND pin_hash = ${input.rememberedPinHash ?? null}::text
                            AND savings_account_id = ${savings.id}::bigint),
                        ${SQLSTATE.payerChanged}::text, 'the payer changed since the PIN was checked') AS same_payer,
           pintu_assert((SELECT count(*) FROM idem) = 0 OR (SELECT count(*) FROM p) = 1,
                        ${SQLSTATE.quoteClaimed}::text, 'the quote was claimed by another request') AS ok`,
  );
  const row = rows[0]!;
  return {
    fresh: row.fresh === 1,
    payment: row.payment === null ? undefined : toPayment(row.payment),
    available: row.available === null ? 0n : BigInt(row.available),
    pendingBefore: BigInt(row.pending_before),
    memberNo: row.member_no,
  };
}
