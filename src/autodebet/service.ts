/**
 * Autodebet (langganan): a member's standing mandate to pay one customer number every month from savings, on a
 * chosen day, up to a limit. The member sets it up with their PIN; a treasurer may set it up for a member without
 * a phone (a paper mandate at the desk), audited. The scheduler (scheduler.ts) makes the payments.
 */
import type { ProductSpec } from '../../config/products.js';
import type { UserPrincipal } from '../auth/tokens.js';
import { recordAudit } from '../audit.js';
import { type DbOrTx, type Tx, withTransaction } from '../db/client.js';
import { sqlStateOf } from '../db/assertions.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { checkMemberPin } from '../members/pin-check.js';
import { findUser } from '../members/repository.js';
import { toJsonAmount } from '../money.js';
import { requireProduct } from '../payments/quotes.js';
import { decodeCursor, encodeCursor } from '../payments/service.js';
import { maskCustomerNo } from '../privacy.js';
import { dueDate, lastTryDate, nextPeriod, periodOf } from './calendar.js';
import { wibDate } from '../clock.js';
import {
  type RunRow,
  type SubscriptionScope,
  type SubscriptionWithMember,
  findLiveSubscription,
  findSubscription,
  insertSubscription,
  listRuns,
  listSubscriptionRows,
  runsOfPeriod,
  skipPendingRuns,
  updateSubscription,
} from './repository.js';
import type {
  ListQuery,
  MemberCreateInput,
  StaffCreateInput,
  StateAction,
  SubscriptionDetail,
  SubscriptionView,
  UpdateInput,
} from './schemas.js';
import { outcomeText } from './texts.js';

type AutodebetDeps = Pick<Deps, 'db' | 'catalog' | 'clock' | 'config' | 'pins'>;

/** Whose subscriptions, and who acts: the member themselves, or staff of the koperasi (masked, audited). */
export interface SubscriptionsOf {
  koperasiId: string;
  /** Unset: every member of the koperasi (the staff's list). */
  memberId?: string;
  actor: UserPrincipal;
}

const isOwner = (of: SubscriptionsOf) => of.actor.role === 'member';
const scopeOf = (of: SubscriptionsOf): SubscriptionScope => ({
  koperasiId: of.koperasiId,
  ...(of.memberId === undefined ? {} : { memberId: of.memberId }),
});

const invalid = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', `${path}: ${message}`, { errors: [{ path: `body.${path}`, message }] });
const notFound = () => new AppError('NOT_FOUND', 'subscription not found');

/** The inquiry's own rules: the customer-number pattern, and months exactly where the product has them. */
function checkTarget(product: ProductSpec, customerNo: string, months: number | null): void {
  if (product.kind !== 'bill')
    throw invalid('product', `${product.code} is bought, not billed: autodebet pays monthly bills`);
  if (!product.customerNoPattern.test(customerNo))
    throw invalid('customerNo', `expected ${product.customerNoHint}`);
  if (product.months) {
    if (months === null || months < product.months.min || months > product.months.max)
      throw invalid('months', `pay ${product.months.min}–${product.months.max} months`);
  } else if (months !== null) throw invalid('months', `${product.code} takes no months`);
}

/** The next date it pays: this month's due day unless this month is done (or began after it), else next month's. */
function nextDueDate(
  subscription: SubscriptionWithMember,
  run: RunRow | undefined,
  now: Date,
  retryDays: number,
): string | null {
  if (subscription.status === 'cancelled') return null;
  const period = periodOf(now);
  const today = wibDate(now);
  const due = dueDate(period, subscription.dayOfMonth);
  if (run?.status === 'pending') return due;
  const thisMonthOpen =
    !run &&
    wibDate(subscription.createdAt) <= due &&
    today <= lastTryDate(period, subscription.dayOfMonth, retryDays);
  return thisMonthOpen ? due : dueDate(nextPeriod(period), subscription.dayOfMonth);
}

function toView(
  deps: Pick<Deps, 'catalog' | 'clock' | 'config'>,
  subscription: SubscriptionWithMember,
  run: RunRow | undefined,
  owner: boolean,
): SubscriptionView {
  const now = deps.clock.now();
  return {
    id: subscription.id,
    memberNo: subscription.memberNo,
    memberName: subscription.memberName,
    product: subscription.product,
    productName: deps.catalog.get(subscription.product)?.name ?? subscription.product,
    customerNo: owner ? subscription.customerNo : maskCustomerNo(subscription.customerNo),
    nickname: subscription.nickname,
    months: subscription.months,
    dayOfMonth: subscription.dayOfMonth,
    maxAmount: toJsonAmount(subscription.maxAmount),
    status: subscription.status,
    nextDueDate: nextDueDate(subscription, run, now, deps.config.AUTODEBET_RETRY_DAYS),
    thisMonth: run
      ? {
          period: run.period,
          status: run.status,
          outcome: run.outcome,
          outcomeText: outcomeText(run.outcome, run.status, run.detail),
          nextTryAt: run.status === 'pending' ? (run.nextTryAt?.toISOString() ?? null) : null,
        }
      : null,
    needsAttention: run?.status === 'skipped',
    createdAt: subscription.createdAt.toISOString(),
    updatedAt: subscription.updatedAt.toISOString(),
  };
}

async function viewOf(
  deps: AutodebetDeps,
  of: SubscriptionsOf,
  subscription: SubscriptionWithMember,
): Promise<SubscriptionView> {
  const runs = await runsOfPeriod(deps.db, [subscription.id], periodOf(deps.clock.now()));
  return toView(deps, subscription, runs.get(subscription.id), isOwner(of));
}

async function audit(
  tx: Tx,
  of: SubscriptionsOf,
  action: string,
  subscription: Pick<SubscriptionWithMember, 'id' | 'memberId'>,
  after: Record<string, unknown>,
  before?: Record<string, unknown>,
): Promise<void> {
  await recordAudit(tx, {
    koperasiId: of.koperasiId,
    actorType: of.actor.role,
    actorId: of.actor.userId,
    action,
    subjectType: 'subscription',
    subjectId: subscription.id,
    ...(before ? { before } : {}),
    after: { memberId: subscription.memberId, ...after },
  });
}

/** What to subscribe: one of the member's saved numbers, or a number typed by hand. */
async function targetOf(
  deps: AutodebetDeps,
  db: DbOrTx,
  of: SubscriptionsOf & { memberId: string },
  input: MemberCreateInput | StaffCreateInput,
) {
  if ('savedNumberId' in input) {
    const saved = await db.query.savedNumbers.findFirst({
      where: (s, { and, eq }) =>
        and(eq(s.id, input.savedNumberId), eq(s.koperasiId, of.koperasiId), eq(s.memberId, of.memberId)),
    });
    if (!saved) throw new AppError('NOT_FOUND', 'saved number not found');
    return {
      product: requireProduct(deps, saved.product),
      customerNo: saved.customerNo,
      nickname: input.nickname ?? saved.nickname,
      months: input.months ?? saved.months,
    };
  }
  return {
    product: requireProduct(deps, input.product),
    customerNo: input.customerNo,
    nickname: input.nickname,
    months: input.months ?? null,
  };
}

const isOneLiveViolation = (error: unknown) => {
  const cause = ((error as { cause?: unknown }).cause ?? error) as { constraint?: string };
  return sqlStateOf(error) === '23505' && cause.constraint === 'subscriptions_one_live';
};

/**
 * A new subscription. The member's own is confirmed with their PIN (checked after the input, so a typo in the
 * number costs no PIN try); a treasurer's needs none (the member signed a mandate at the desk).
 */
export async function createSubscription(
  deps: AutodebetDeps,
  of: SubscriptionsOf & { memberId: string },
  input: MemberCreateInput | StaffCreateInput,
): Promise<SubscriptionView> {
  const now = deps.clock.now();
  const pin = 'pin' in input ? input.pin : undefined;
  // The target is checked on its own first: bad input is refused before a PIN guess is spent.
  const target = await targetOf(deps, deps.db, of, input);
  checkTarget(target.product, target.customerNo, target.months);
  if (isOwner(of)) {
    const member = await findUser(deps.db, of.koperasiId, of.memberId);
    if (!member) throw new AppError('MEMBER_NOT_FOUND', 'member not found');
    if (pin === undefined) throw invalid('pin', 'confirm with your PIN');
    await checkMemberPin(deps, member, pin);
  }
  let created: SubscriptionWithMember;
  try {
    created = await withTransaction(deps.db, async (tx) => {
      const row = await insertSubscription(tx, {
        koperasiId: of.koperasiId,
        memberId: of.memberId,
        product: target.product.code,
        customerNo: target.customerNo,
        nickname: target.nickname,
        months: target.months,
        dayOfMonth: input.dayOfMonth,
        maxAmount: input.maxAmount,
        createdBy: of.actor.userId,
        at: now,
      });
      await audit(tx, of, 'subscription.create', row, {
        product: row.product,
        customerNo: maskCustomerNo(row.customerNo),
        nickname: row.nickname,
        months: row.months,
        dayOfMonth: row.dayOfMonth,
        maxAmount: row.maxAmount,
        confirmedWith: isOwner(of) ? 'pin' : 'mandate at the desk',
      });
      const found = await findSubscription(tx, scopeOf(of), row.id);
      if (!found) throw new Error('a subscription just written was not found');
      return found;
    });
  } catch (error) {
    if (!isOneLiveViolation(error)) throw error;
    const existing = await findLiveSubscription(deps.db, of.memberId, target.product.code, target.customerNo);
    throw new AppError('SUBSCRIPTION_EXISTS', 'this number already has an autodebet for this product', {
      ...(existing ? { subscriptionId: existing } : {}),
    });
  }
  return toView(deps, created, undefined, isOwner(of));
}

export async function listSubscriptions(
  deps: AutodebetDeps,
  of: SubscriptionsOf,
  query: Partial<ListQuery> = {},
): Promise<{ items: SubscriptionView[]; nextCursor: string | null }> {
  const period = periodOf(deps.clock.now());
  const limit = query.limit;
  const rows = await listSubscriptionRows(deps.db, scopeOf(of), {
    period,
    ...(query.status ? { status: query.status } : {}),
    ...(query.attention === undefined ? {} : { attention: query.attention }),
    ...(limit ? { limit: limit + 1 } : {}),
    ...(query.cursor ? { before: decodeCursor(query.cursor) } : {}),
  });
  const page = limit ? rows.slice(0, limit) : rows;
  const runs = await runsOfPeriod(
    deps.db,
    page.map((s) => s.id),
    period,
  );
  const last = page.at(-1);
  return {
    items: page.map((s) => toView(deps, s, runs.get(s.id), isOwner(of))),
    nextCursor: limit && rows.length > limit && last ? encodeCursor(last) : null,
  };
}

export async function getSubscription(
  deps: AutodebetDeps,
  of: SubscriptionsOf,
  id: string,
): Promise<SubscriptionDetail> {
  const subscription = await findSubscription(deps.db, scopeOf(of), id);
  if (!subscription) throw notFound();
  const runs = await listRuns(deps.db, id);
  const period = periodOf(deps.clock.now());
  const view = toView(
    deps,
    subscription,
    runs.find((r) => r.period === period),
    isOwner(of),
  );
  return {
    ...view,
    runs: runs.map((run) => ({
      id: run.id,
      period: run.period,
      status: run.status,
      outcome: run.outcome,
      outcomeText: outcomeText(run.outcome, run.status, run.detail),
      nextTryAt: run.status === 'pending' ? (run.nextTryAt?.toISOString() ?? null) : null,
      tries: run.tries,
      lastTriedAt: run.lastTriedAt?.toISOString() ?? null,
      detail: run.detail,
      payment: run.payment
        ? { id: run.payment.id, status: run.payment.status, total: toJsonAmount(run.payment.total) }
        : null,
      failedPaymentIds: Array.isArray(run.detail?.failedPaymentIds)
        ? (run.detail.failedPaymentIds as unknown[]).map(String)
        : [],
    })),
  };
}

/** Pause (no payment while paused), resume, or cancel (final: it never pays again). */
export async function changeState(
  deps: AutodebetDeps,
  of: SubscriptionsOf,
  id: string,
  action: StateAction,
): Promise<SubscriptionView> {
  const now = deps.clock.now();
  const subscription = await withTransaction(deps.db, async (tx) => {
    // Waits for a payment of this subscription being made right now (it holds the row FOR SHARE).
    const current = await findSubscription(tx, scopeOf(of), id, 'FOR UPDATE');
    if (!current) throw notFound();
    if (current.status === 'cancelled')
      throw new AppError('SUBSCRIPTION_CANCELLED', 'this autodebet was cancelled; set up a new one');
    if (action === 'pause' && current.status !== 'active')
      throw new AppError('SUBSCRIPTION_NOT_ACTIVE', 'this autodebet is not active');
    if (action === 'resume' && current.status !== 'paused')
      throw new AppError('SUBSCRIPTION_NOT_PAUSED', 'this autodebet is not paused');
    const status: SubscriptionWithMember['status'] =
      action === 'pause' ? 'paused' : action === 'resume' ? 'active' : 'cancelled';
    await updateSubscription(tx, id, { status }, now);
    if (status === 'cancelled') await skipPendingRuns(tx, id, now);
    await audit(tx, of, `subscription.${action}`, current, { status }, { status: current.status });
    return { ...current, status, updatedAt: now };
  });
  return viewOf(deps, of, subscription);
}

/** The member changes the limit, the day or the name; raising the limit widens the mandate, so it takes the PIN. */
export async function changeTerms(
  deps: AutodebetDeps,
  of: SubscriptionsOf & { memberId: string },
  id: string,
  input: UpdateInput,
): Promise<SubscriptionView> {
  const now = deps.clock.now();
  const before = await findSubscription(deps.db, scopeOf(of), id);
  if (!before) throw notFound();
  const raises = (max: bigint) => input.maxAmount !== undefined && input.maxAmount > max;
  let pinChecked = false;
  if (raises(before.maxAmount) && before.status !== 'cancelled') {
    if (input.pin === undefined) throw invalid('pin', 'confirm a higher limit with your PIN');
    const member = await findUser(deps.db, of.koperasiId, of.memberId);
    if (!member) throw new AppError('MEMBER_NOT_FOUND', 'member not found');
    await checkMemberPin(deps, member, input.pin);
    pinChecked = true;
  }
  const subscription = await withTransaction(deps.db, async (tx) => {
    const current = await findSubscription(tx, scopeOf(of), id, 'FOR UPDATE');
    if (!current) throw notFound();
    if (current.status === 'cancelled')
      throw new AppError('SUBSCRIPTION_CANCELLED', 'this autodebet was cancelled; set up a new one');
    if (raises(current.maxAmount) && !pinChecked)
      throw invalid('pin', 'confirm a higher limit with your PIN');
    const patch = {
      ...(input.maxAmount === undefined ? {} : { maxAmount: input.maxAmount }),
      ...(input.dayOfMonth === undefined ? {} : { dayOfMonth: input.dayOfMonth }),
      ...(input.nickname === undefined ? {} : { nickname: input.nickname }),
    };
    await updateSubscription(tx, id, patch, now);
    await audit(
      tx,
      of,
      'subscription.update',
      current,
      { ...patch },
      { maxAmount: current.maxAmount, dayOfMonth: current.dayOfMonth, nickname: current.nickname },
    );
    return { ...current, ...patch, updatedAt: now };
  });
  return viewOf(deps, of, subscription);
}
