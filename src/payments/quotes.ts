/**
 * Inquiry (cek tagihan): ask the upstream for the bill, add the koperasi fee, lock the amounts in a
 * quote. Free: no money moves. A quote is valid until the end of its WIB day or 15 minutes,
 * whichever comes first (upstreams accept payment only on the inquiry's day).
 */
import type { ProductSpec } from '../../config/products.js';
import type { UserPrincipal } from '../auth/tokens.js';
import type { InquiryRejection } from '../billers/port.js';
import type { Route } from '../billers/registry.js';
import { endOfWibDay, inWibWindow } from '../clock.js';
import type { Deps } from '../deps.js';
import { inquiryFee } from '../fees/service.js';
import { AppError } from '../http/errors.js';
import { newId, refIdFor } from '../ids.js';
import { saveQuote } from './quote-store.js';
export { findQuote } from './quote-store.js';
import type { QuoteRow } from './repository.js';
import type { InquiryInput, QuoteView } from './schemas.js';
import { toQuoteView } from './view.js';
import { callInquiry } from './upstream.js';

type QuoteDeps = Pick<
  Deps,
  'db' | 'database' | 'redis' | 'catalog' | 'billers' | 'clock' | 'config' | 'log' | 'metrics'
>;

const REJECTION_MESSAGES: Record<InquiryRejection, string> = {
  CUSTOMER_NOT_FOUND: 'the customer number was not found at the biller',
  BILL_ALREADY_PAID: 'this bill has already been paid',
  BILL_NOT_AVAILABLE: 'there is no bill to pay for this customer number yet',
  PRODUCT_CUT_OFF: 'the biller is in its daily cut-off window; try again later',
  PRODUCT_UNAVAILABLE: 'the product is temporarily unavailable at the biller',
};

export function requireProduct(deps: Pick<Deps, 'catalog'>, code: string): ProductSpec {
  const product = deps.catalog.get(code);
  if (!product) throw new AppError('PRODUCT_UNKNOWN', `unknown product ${code}`);
  return product;
}

/** PLN refuses transactions around midnight WIB: the refusal inside the window (before any upstream call or debit). */
export function cutOffRefusal(
  deps: Pick<Deps, 'clock' | 'config'>,
  product: ProductSpec,
): AppError | undefined {
  if (
    !product.plnCutOff ||
    !inWibWindow(deps.clock.now(), deps.config.PLN_CUTOFF_START, deps.config.PLN_CUTOFF_END)
  )
    return undefined;
  return new AppError(
    'PRODUCT_CUT_OFF',
    `${product.name} is not available between ${deps.config.PLN_CUTOFF_START} and ${deps.config.PLN_CUTOFF_END} WIB (PLN cut-off)`,
    {
      window: {
        start: deps.config.PLN_CUTOFF_START,
        end: deps.config.PLN_CUTOFF_END,
        timeZone: 'Asia/Jakarta',
      },
    },
  );
}

export function assertNotCutOff(deps: Pick<Deps, 'clock' | 'config'>, product: ProductSpec): void {
  const refusal = cutOffRefusal(deps, product);
  if (refusal) throw refusal;
}

function validateTarget(product: ProductSpec, input: InquiryInput): void {
  const invalid = (path: string, message: string) =>
    new AppError('VALIDATION_FAILED', `${path}: ${message}`, { errors: [{ path: `body.${path}`, message }] });
  if (!product.customerNoPattern.test(input.customerNo))
    throw invalid('customerNo', `expected ${product.customerNoHint}`);
  if (product.kind === 'token') {
    if (input.amount === undefined || !product.denominations?.includes(input.amount)) {
      throw invalid('amount', `choose a denomination: ${product.denominations?.join(', ')}`);
    }
  } else if (input.amount !== undefined) {
    throw invalid('amount', `${product.code} takes no amount; the biller sets it`);
  }
  if (product.months) {
    if (
      input.months === undefined ||
      input.months < product.months.min ||
      input.months > product.months.max
    ) {
      throw invalid('months', `pay ${product.months.min}–${product.months.max} months`);
    }
  } else if (input.months !== undefined) {
    throw invalid('months', `${product.code} takes no months`);
  }
}

/** The routes to try now: circuit-open adapters are skipped while another route is available. */
export function availableRoutes(
  deps: Pick<Deps, 'billers'>,
  product: ProductSpec,
  denomination?: bigint,
): Route[] {
  const routes = deps.billers.routes(product, denomination);
  const open = routes.filter((r) => r.breaker.state !== 'open');
  return open.length > 0 ? open : routes.slice(0, 1);
}

/** The member's own inquiry (POST /v1/inquiries). */
export async function createQuote(
  deps: QuoteDeps,
  member: UserPrincipal,
  input: InquiryInput,
): Promise<QuoteView> {
  const quote = await quoteFor(
    deps,
    { koperasiId: member.koperasiId, memberId: member.userId, kasirId: null },
    input,
  );
  return toQuoteView(quote, 'owner');
}

/**
 * Who a quote is for: a member (in the app, by autodebet, or at the counter: kasirId set), or a cash customer at
 * the counter who is not a member (memberId null, kasirId set).
 */
export interface QuotePayer {
  koperasiId: string;
  memberId: string | null;
  kasirId: string | null;
}

/** An inquiry for `payer`: the quote as kept (Redis, or PostgreSQL while Redis is down). */
export async function quoteFor(deps: QuoteDeps, payer: QuotePayer, input: InquiryInput): Promise<QuoteRow> {
  const product = requireProduct(deps, input.product);
  validateTarget(product, input);
  assertNotCutOff(deps, product);

  const id = newId();
  const refId = refIdFor(id);
  // Looked up while the upstream answers.
  const fee = inquiryFee(deps, payer.koperasiId, product.code);
  fee.catch(() => undefined);
  let lastProblem = 'no upstream serves this product';
  for (const route of availableRoutes(deps, product, input.amount)) {
    const target = {
      refId,
      sku: route.sku,
      customerNo: input.customerNo,
      months: input.months,
      denomination: input.amount,
    };
    const outcome = await callInquiry(deps, route, target);
    if (outcome.kind === 'rejected') {
      throw new AppError(outcome.reason, REJECTION_MESSAGES[outcome.reason], {
        upstream: { rc: outcome.rc, message: outcome.message },
      });
    }
    if (outcome.kind === 'unavailable') {
      lastProblem = `${route.adapter.name}: ${outcome.message}`;
      continue;
    }
    const { bill } = outcome;
    const koperasiFeeAmount = await fee;
    const now = deps.clock.now();
    const ttlEnd = new Date(now.getTime() + deps.config.QUOTE_TTL_SECONDS * 1000);
    const dayEnd = endOfWibDay(now);
    return saveQuote(deps, {
      id,
      koperasiId: payer.koperasiId,
      memberId: payer.memberId,
      kasirId: payer.kasirId,
      product: product.code,
      customerNo: input.customerNo,
      adapter: route.adapter.name,
      sku: route.sku,
      refId,
      upstreamHandle: bill.upstreamHandle ?? null,
      customerName: bill.customerName,
      periods: bill.periods.map((p) => ({
        period: p.period,
        amount: p.amount.toString(),
        penalty: p.penalty.toString(),
        admin: p.admin.toString(),
      })),
      details: bill.details,
      months: input.months ?? null,
      denomination: input.amount ?? null,
      billAmount: bill.billAmount,
      penalty: bill.penalty,
      adminFee: bill.adminFee,
      koperasiFee: koperasiFeeAmount,
      price: bill.price,
      total: bill.billAmount + bill.penalty + bill.adminFee + koperasiFeeAmount,
      expiresAt: ttlEnd < dayEnd ? ttlEnd : dayEnd,
      usedAt: null,
      createdAt: now,
    });
  }
  throw new AppError('UPSTREAM_UNAVAILABLE', `the biller did not answer; try again shortly (${lastProblem})`);
}
