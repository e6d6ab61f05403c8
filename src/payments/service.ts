/**
 * The API's side of a payment: check the PIN, then in ONE transaction claim the quote, hold the
 * member's funds and write the payment and its outbox row (the worker's job). Reads are scoped:
 * a member sees their own payments, a treasurer the koperasi's.
 */
import { LRUCache } from 'lru-cache';
import type { UserPrincipal } from '../auth/tokens.js';
import { recordAudit } from '../audit.js';
import { wibDayRange } from '../clock.js';
import { assertionOf } from '../db/assertions.js';
import { withTransaction } from '../db/client.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { type IdempotencyInput, storedAnswer } from '../idempotency/index.js';
import { newId } from '../ids.js';
import { checkMemberPin } from '../members/pin-check.js';
import { acceptPayment, onPool } from './accept.js';
import { acceptanceRefusal, payableRefusal, quoteUsed } from './accept-started.js';
import { publishPaymentChange } from './notify.js';
import { forgetQuote, loadQuote } from './quote-store.js';
import {
  type PaymentRow,
  type PaymentScope,
  type QuoteRow,
  findPayer,
  findPayment,
  lockPayment,
  findPaymentFor,
  listAttempts,
  listPaymentsFor,
} from './repository.js';
import type { PaymentView } from './schemas.js';
import { isFinal } from './lifecycle.js';
import { decide, followUp } from './outcome.js';
import type { PayOutcome } from '../billers/port.js';
import { toPaymentView } from './view.js';

type PaymentDeps = Deps;

/** The payment an Idempotency-Key already made, if any (another request under the key is refused with 409). */
async function replay(deps: PaymentDeps, input: IdempotencyInput): Promise<string | undefined> {
  const stored = await storedAnswer<{ paymentId?: string }>(deps.db, input);
  if (!stored) return undefined;
  if (!stored.body.paymentId) throw new Error('idempotency row without a payment');
  return stored.body.paymentId;
}

export interface CreatedPayment {
  paymentId: string;
  replayed: boolean;
  /** The new payment as written (absent on a replay). */
  payment?: PaymentRow & { memberNo: string };
}

/**
 * The savings account of members who paid through this process lately: with a remembered PIN it lets a payment
 * skip reading the member. It never changes once opened, and the acceptance statement checks it anyway.
 */
const savingsOf = new LRUCache<string, bigint>({ max: 50_000 });

/**
 * Accept a payment: PIN, then quote checks with clear errors, then one atomic statement
 * (src/payments/accept.ts). Concurrent duplicates of one Idempotency-Key wait on the key's
 * unique index and replay the first one's payment.
 *
 * A member paying again with the PIN this process verified a moment ago, for a quote this process or Redis holds
 * that can still be paid, is not read first: the statement asserts the remembered PIN hash and savings account are still the
 * member's (and that the PIN is not locked). Anything else, or a payer changed meanwhile, takes the full path,
 * which gives every refusal its precise answer (an Idempotency-Key replayed after its quote expired included).
 */
export async function createPayment(
  deps: PaymentDeps,
  member: UserPrincipal,
  input: { quoteId: string; pin: string },
  idempotency: { key: string; fingerprint: string },
): Promise<CreatedPayment> {
  const scope = `user:${member.userId}`;
  const cached = await loadQuote(deps, member, input.quoteId);
  const pinHash = deps.pins.recall(member.userId, input.pin);
  const savingsAccountId = savingsOf.get(member.userId);
  if (
    cached &&
    pinHash &&
    savingsAccountId !== undefined &&
    !payableRefusal(deps, cached, deps.clock.now())
  ) {
    try {
      return await accept(deps, { scope, ...idempotency }, cached, savingsAccountId, pinHash);
    } catch (error) {
      if (assertionOf(error) !== 'payerChanged') throw error;
    }
  }

  const { user, quote: kept } = await findPayer(deps.database, member, input.quoteId);
  // PostgreSQL's row, when there is one, says whether the quote was already paid.
  const quote = kept ?? cached;
  if (!user) throw new AppError('UNAUTHENTICATED', 'this account no longer exists');
  // The payment statement itself still refuses a locked member (a PIN remembered from a moment ago passes here).
  await checkMemberPin(deps, user, input.pin);
  if (!quote) throw new AppError('QUOTE_NOT_FOUND', 'quote not found');
  if (quote.usedAt) return replayOrRefuse(deps, { scope, ...idempotency }, quoteUsed());
  const refusal = payableRefusal(deps, quote, deps.clock.now());
  if (refusal) throw refusal;
  if (!user.savingsAccountId) throw new Error(`member ${member.userId} has no savings account`);
  savingsOf.set(member.userId, user.savingsAccountId);
  return accept(deps, { scope, ...idempotency }, quote, user.savingsAccountId, undefined);
}

/** The payment an Idempotency-Key already made, else the refusal. */
async function replayOrRefuse(deps: PaymentDeps, input: IdempotencyInput, refusal: AppError) {
  const paymentId = await replay(deps, input);
  if (paymentId) return { paymentId, replayed: true };
  throw refusal;
}

/** The acceptance statement, then the job and the live event. */
async function accept(
  deps: PaymentDeps,
  idempotency: IdempotencyInput,
  quote: QuoteRow,
  savingsAccountId: bigint,
  rememberedPinHash: string | undefined,
): Promise<CreatedPayment> {
  const paymentId = newId();
  let created;
  try {
    created = await acceptPayment(deps, onPool(deps), {
      ...idempotency,
      paymentId,
      quote,
      debit: await deps.ledger.accountById(deps.db, savingsAccountId),
      funding: 'savings',
      origin: { channel: 'app' },
      now: deps.clock.now(),
      rememberedPinHash,
    });
  } catch (error) {
    const refusal = acceptanceRefusal(error, quote);
    if (refusal === 'quoteClaimed') return replayOrRefuse(deps, idempotency, quoteUsed());
    throw refusal;
  }
  if (!created.fresh) {
    const replayed = await replay(deps, idempotency);
    if (!replayed) throw new Error('idempotency key vanished');
    return { paymentId: replayed, replayed: true };
  }
  if (!created.payment || created.memberNo === null)
    throw new Error('the acceptance statement wrote no payment');
  forgetQuote(quote.id);
  // The row as the statement wrote it (RETURNING *), so the answer needs no second read.
  const payment = { ...created.payment, memberNo: created.memberNo };
  // The live event goes out with the answer, not before it. It also wakes the workers: the job is the outbox row
  // the statement wrote, which they also find by polling when the event is lost.
  void publishPaymentChange(deps, payment, {
    savingsAccountId,
    available: created.available,
    balance: created.available + created.pendingBefore + quote.total,
  }).catch((err: unknown) => deps.log.warn({ err, paymentId }, 'payment event not published'));
  return { paymentId, replayed: false, payment };
}

export { type PaymentOrigin } from './accept.js';
export {
  type Accepted,
  type Idempotency,
  acceptCash,
  acceptFromSavings,
  announcePayment,
} from './accept-started.js';

export async function getPayment(
  deps: PaymentDeps,
  principal: UserPrincipal,
  id: string,
): Promise<PaymentView> {
  const payment = await findPaymentFor(deps.db, id, scopeOf(principal));
  if (!payment) throw new AppError('PAYMENT_NOT_FOUND', 'payment not found');
  return toPaymentView(payment, attentionBefore(deps), principal.role !== 'member');
}

/** Suspect payments older than this need a person. */
export const attentionBefore = (deps: Pick<Deps, 'clock' | 'config'>) =>
  new Date(deps.clock.now().getTime() - deps.config.SUSPECT_ALERT_MINUTES * 60_000);

/** A member reads their own payments; a kasir the counter's (any desk's: cash is handed back at any desk). */
export const scopeOf = (principal: UserPrincipal): PaymentScope =>
  principal.role === 'member'
    ? { koperasiId: principal.koperasiId, memberId: principal.userId }
    : principal.role === 'kasir'
      ? { koperasiId: principal.koperasiId, channel: 'counter' }
      : { koperasiId: principal.koperasiId };

/** Cursor = base64url of "createdAt|id" of the last item: stable under concurrent inserts. */
export const encodeCursor = (p: { createdAt: Date; id: string }) =>
  Buffer.from(`${p.createdAt.toISOString()}|${p.id}`).toString('base64url');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at = '', id = '', ...rest] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(at);
  // Exactly what encodeCursor writes: anything else would reach Postgres as an invalid value.
  if (rest.length > 0 || !ISO.test(at) || Number.isNaN(createdAt.getTime()) || !UUID.test(id)) {
    throw new AppError('VALIDATION_FAILED', 'cursor is not valid; use nextCursor from the previous page', {
      errors: [{ path: 'querystring.cursor', message: 'not a cursor this API issued' }],
    });
  }
  return { createdAt, id };
}

/** GET /v1/payments: status or attention, and the staff feed's product, member (number or name) and WIB day. */
export interface PaymentListQuery {
  limit: number;
  cursor?: string;
  status?: PaymentRow['status'];
  attention?: boolean;
  product?: string;
  member?: string;
  date?: string;
}

export async function listPayments(deps: PaymentDeps, principal: UserPrincipal, query: PaymentListQuery) {
  return listPaymentsIn(deps, scopeOf(principal), principal.role !== 'member', query);
}

/**
 * A page of payments in a scope (a koperasi, or one member of it). `staff` (treasurer, pengawas, office) see
 * the koperasi's side of each payment (member number, review reason).
 */
export async function listPaymentsIn(
  deps: PaymentDeps,
  scope: PaymentScope,
  staff: boolean,
  query: PaymentListQuery,
) {
  const cutoff = attentionBefore(deps);
  const rows = await listPaymentsFor(deps.db, scope, {
    limit: query.limit + 1,
    before: query.cursor ? decodeCursor(query.cursor) : undefined,
    status: query.attention ? undefined : query.status,
    attentionBefore: query.attention ? cutoff : undefined,
    product: query.product,
    member: query.member,
    // The schema lets only calendar dates through, so the day range exists.
    span: query.date ? wibDayRange(query.date) : undefined,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((p) => toPaymentView(p, cutoff, staff)),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
  };
}

/**
 * Wait up to `seconds` for a final state (Prefer: wait=N), or until `stop` aborts (the server is
 * shutting down); returns the latest view either way.
 */
export async function waitForFinal(
  deps: PaymentDeps,
  principal: UserPrincipal,
  id: string,
  seconds: number,
  stop?: AbortSignal,
): Promise<PaymentView> {
  const deadline = Date.now() + seconds * 1000;
  let view = await getPayment(deps, principal, id);
  if (seconds <= 0 || isFinal(view.status) || stop?.aborted) return view;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      clearInterval(poll);
      unsubscribe();
      stop?.removeEventListener('abort', done);
      resolve();
    };
    stop?.addEventListener('abort', done);
    const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
    // Events make it fast; a slow poll makes it correct if an event is lost.
    const poll = setInterval(() => {
      void findPayment(deps.db, id).then(
        (p) => p && isFinal(p.status) && done(),
        () => undefined,
      );
    }, 500);
    const unsubscribe = deps.events.subscribe((event) => {
      if (event.type === 'payment' && event.paymentId === id && isFinal(event.status as PaymentRow['status']))
        done();
    });
  });
  view = await getPayment(deps, principal, id);
  return view;
}

/**
 * A treasurer settles a suspect payment by hand (after checking with the upstream). It is an answer
 * about the payment's current upstream attempt and goes through the same state machine: a
 * failed-over payment settles with the attempt that is open, at that upstream's price. The check,
 * the settlement and the audit entry are one transaction on the locked payment row, so a callback or
 * a status poll arriving at the same moment either wins before (→ PAYMENT_NOT_SUSPECT) or finds it final.
 */
export async function resolvePayment(
  deps: PaymentDeps,
  treasurer: UserPrincipal,
  id: string,
  input: { outcome: 'success' | 'failed'; reason: string; upstreamRef?: string; price?: number },
): Promise<PaymentView> {
  const applied = await withTransaction(deps.db, async (tx) => {
    const visible = await findPaymentFor(tx, id, { koperasiId: treasurer.koperasiId });
    if (!visible) throw new AppError('PAYMENT_NOT_FOUND', 'payment not found');
    const payment = await lockPayment(tx, id);
    const current = (await listAttempts(tx, id)).at(-1);
    if (!payment || payment.status !== 'suspect' || !current) {
      throw new AppError(
        'PAYMENT_NOT_SUSPECT',
        `only a suspect payment can be resolved; this one is ${payment?.status ?? 'gone'}`,
      );
    }
    if (input.outcome === 'failed' && input.price !== undefined)
      throw new AppError('VALIDATION_FAILED', 'price: only a success has a price', {
        errors: [{ path: 'body.price', message: 'only a success has a price' }],
      });
    if (input.price !== undefined && BigInt(input.price) > payment.total)
      throw new AppError('VALIDATION_FAILED', `price: more than the member paid (${payment.total})`, {
        errors: [{ path: 'body.price', message: `at most ${payment.total}` }],
      });
    const answer: PayOutcome =
      input.outcome === 'success'
        ? {
            kind: 'success',
            upstreamRef: input.upstreamRef ?? 'MANUAL',
            rc: 'MANUAL',
            message: input.reason,
            ...(input.price !== undefined ? { price: BigInt(input.price) } : {}),
          }
        : { kind: 'failed', rc: 'MANUAL', message: input.reason, transactionCreated: true };
    const decided = await decide(deps, tx, payment, current, answer, { failureCode: 'RESOLVED_FAILED' });
    const after = decided.payment;
    await recordAudit(tx, {
      koperasiId: treasurer.koperasiId,
      actorType: 'treasurer',
      actorId: treasurer.userId,
      action: `payment.resolve.${input.outcome}`,
      subjectType: 'payment',
      subjectId: id,
      before: {
        status: payment.status,
        failureCode: payment.failureCode,
        suspectSince: payment.suspectSince,
        adapter: current.adapter,
        refId: current.refId,
      },
      after: { status: after.status, upstreamRef: after.upstreamRef, price: after.price.toString() },
      reason: input.reason,
    });
    return { before: payment, ...decided };
  });
  await followUp(deps, applied);
  return getPayment(deps, treasurer, id);
}
