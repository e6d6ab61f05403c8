/**
 * Calls to adapters with the circuit breaker and metrics around them. Adapters must not throw for
 * upstream behaviour; if one does anyway, the call is treated as unproven (unavailable / suspect),
 * never as a failure, because the request may have reached the upstream.
 */
import type { BillTarget, InquiryOutcome, PayOutcome, Rupiah, StatusOutcome } from '../billers/port.js';
import type { Route } from '../billers/registry.js';
import type { Deps } from '../deps.js';
import type { AttemptRow, PaymentRow } from './repository.js';

/** What an adapter is told about one attempt of a payment (status checks and re-sent pays). */
export const targetOf = (payment: PaymentRow, attempt: AttemptRow) => ({
  refId: attempt.refId,
  sku: attempt.sku,
  customerNo: payment.customerNo,
  months: payment.months ?? undefined,
  denomination: payment.denomination ?? undefined,
  upstreamHandle: attempt.upstreamHandle ?? undefined,
  maxPrice: attempt.price ?? undefined,
});

type CallDeps = Pick<Deps, 'log' | 'metrics'>;

/**
 * One upstream call behind the adapter's circuit breaker, with metrics; an adapter that throws anyway
 * gets `onThrow`'s outcome. A call the breaker holds back (open, or a half-open trial already in
 * flight) is never made: `onDenied` says what that proves (for a pay: nothing was sent).
 */
async function callThroughBreaker<T extends { kind: string }>(
  deps: CallDeps,
  route: Pick<Route, 'adapter' | 'breaker'>,
  operation: 'inquiry' | 'pay' | 'status',
  call: () => Promise<T>,
  onThrow: (message: string) => T,
  onDenied: (message: string) => T,
  isTransportFailure: (outcome: T) => boolean,
): Promise<T> {
  if (!route.breaker.allow()) {
    deps.metrics.upstreamCalls.inc({ adapter: route.adapter.name, operation, outcome: 'circuit_open' });
    return onDenied(`${route.adapter.name} is held back by its circuit breaker`);
  }
  const end = deps.metrics.upstreamDuration.startTimer({ adapter: route.adapter.name, operation });
  let outcome: T;
  try {
    outcome = await call();
  } catch (err) {
    deps.log.error(
      { err, adapter: route.adapter.name, operation },
      'adapter threw; treating the call as unproven',
    );
    outcome = onThrow(err instanceof Error ? err.message : String(err));
  }
  end();
  deps.metrics.upstreamCalls.inc({ adapter: route.adapter.name, operation, outcome: outcome.kind });
  if (isTransportFailure(outcome)) route.breaker.failure();
  else route.breaker.success();
  return outcome;
}

export const callInquiry = (deps: CallDeps, route: Route, target: BillTarget): Promise<InquiryOutcome> =>
  callThroughBreaker(
    deps,
    route,
    'inquiry',
    () => route.adapter.inquiry(target),
    (message) => ({ kind: 'unavailable', rc: 'THROWN', message }),
    (message) => ({ kind: 'unavailable', rc: 'CIRCUIT_OPEN', message }),
    (o) => o.kind === 'unavailable',
  );

export const callPay = (
  deps: CallDeps,
  route: Pick<Route, 'adapter' | 'breaker'>,
  target: BillTarget & { upstreamHandle?: string; amount: Rupiah; maxPrice?: Rupiah },
): Promise<PayOutcome> =>
  callThroughBreaker(
    deps,
    route,
    'pay',
    () => route.adapter.pay(target),
    (message) => ({ kind: 'suspect', rc: 'THROWN', message }),
    (message) => ({ kind: 'failed', rc: 'CIRCUIT_OPEN', message, transactionCreated: false }),
    (o) => o.kind === 'suspect' || (o.kind === 'failed' && !o.transactionCreated),
  );

/**
 * A status answer proves what became of a transaction, never that none was created: a failure it
 * reports is a failure of a transaction (no failover), and it is the only kind of answer that may
 * prove "never received" (`not_found`).
 */
export const callStatus = async (
  deps: CallDeps,
  route: Pick<Route, 'adapter' | 'breaker'>,
  target: BillTarget & { upstreamHandle?: string; maxPrice?: Rupiah },
): Promise<StatusOutcome> => {
  const outcome = await callThroughBreaker<StatusOutcome>(
    deps,
    route,
    'status',
    () => route.adapter.status(target),
    (message) => ({ kind: 'suspect', rc: 'THROWN', message }),
    (message) => ({ kind: 'suspect', rc: 'CIRCUIT_OPEN', message }),
    (o) => o.kind === 'suspect' && o.rc === 'THROWN',
  );
  return outcome.kind === 'failed' ? { ...outcome, transactionCreated: true } : outcome;
};
