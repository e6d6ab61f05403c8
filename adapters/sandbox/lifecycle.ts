/**
 * The transaction lifecycle, dialect-neutral: inquiry → pay → (pending →) success | failed, and success →
 * refunded. Routes check the request (signature, SKU, number) and look the transaction up; this decides what
 * the upstream does, moves the deposit and queues callbacks. Everything between a state check and the state
 * change is synchronous, so two concurrent pays of one ref_id can never both debit.
 */
import type { Product } from './catalog.js';
import { CODES, type Reason, type Verdict } from './codes.js';
import type { SandboxContext } from './context.js';
import { quoteBill, type Quote } from './pricing.js';
import { isPendingBehaviour, scenarioFor, type Scenario } from './scenarios.js';
import type { Target, Txn } from './store.js';

export type { Target } from './store.js';
import { newTransaction, successSerial } from './transaction.js';
import { inWibWindow, wibDate } from './wib.js';

export type Refused = { kind: 'refused'; reason: Reason };
export type InquiryResult = Refused | { kind: 'txn'; txn: Txn };
/** `misc`: this request processed a 1105 payment, so its answer must be lost (HTTP 500 or reset). */
export type PayResult = Refused | { kind: 'txn'; txn: Txn; misc: boolean } | { kind: 'lost' };

export interface Lifecycle {
  inquire(target: Target): Promise<InquiryResult>;
  /** PLN meter check: stateless; a quote when the meter is fine. */
  checkMeter(
    customerNo: string,
    product: Product | undefined,
  ): Promise<Refused | { kind: 'meter'; quote: Quote }>;
  /** pay-pasca of an inquired transaction (or the stored answer when it was already paid). */
  pay(txn: Txn): PayResult;
  /**
   * Prepaid top-up; an existing ref_id is a status check. `maxPrice` (Digiflazz `max_price`): a price above it
   * fails the top-up without a debit.
   */
  topUp(target: Target, limits?: { maxPrice?: bigint }): Promise<PayResult>;
}

/** The same ref_id is the same transaction only for the same product, customer and amount. */
export function sameTarget(txn: Txn, target: Target): boolean {
  return txn.sku === target.sku && txn.customerNo === target.customerNo && txn.months === target.months;
}

const refused = (reason: Reason): Refused => ({ kind: 'refused', reason });

export function createLifecycle(ctx: SandboxContext, dialect: Txn['dialect']): Lifecycle {
  const store = ctx.stores[dialect];
  const codes = CODES[dialect];
  const fees = () => ({
    adminPerPeriod: ctx.knobs.adminPerPeriod,
    commissionPerPeriod: ctx.knobs.commissionPerPeriod,
  });
  const inCutOff = (product: Product, at: Date) =>
    product.pln && inWibWindow(at, ctx.knobs.cutOff.start, ctx.knobs.cutOff.end);

  function setCode(txn: Txn, what: Reason | Verdict): void {
    const code = codes.of(what);
    txn.rc = code.rc;
    txn.message = code.message;
  }

  const newTxn = (target: Target, scenario: Scenario, quote: Quote, now: Date): Txn =>
    newTransaction(
      { seed: ctx.seed, dialect, handle: store.nextHandle(), inquired: codes.of('success') },
      target,
      scenario,
      quote,
      now,
    );

  function finish(
    txn: Txn,
    state: 'success' | 'failed' | 'refunded',
    what: Reason | Verdict,
    at: Date,
  ): void {
    txn.state = state;
    setCode(txn, what);
    txn.finalAt = at;
    if (state === 'success') txn.sn = successSerial(txn);
    else store.credit(txn);
    store.recordFinal(txn, state === 'success' ? 'SUCCESS' : state === 'failed' ? 'FAILED' : 'REFUNDED', at);
  }

  function resolvePending(txn: Txn): void {
    if (txn.state !== 'pending') return;
    const failed = txn.scenario.pay === 'pending-fail';
    finish(txn, failed ? 'failed' : 'success', failed ? 'payment-failed' : 'success', ctx.now());
    ctx.notify(txn, 'update', false);
  }

  function refund(txn: Txn): void {
    if (txn.state !== 'success') return;
    finish(txn, 'refunded', 'refunded', ctx.now());
    ctx.notify(txn, 'update', false);
  }

  /** 1042 records nothing; otherwise the deposit must cover the price. */
  function precheck(scenario: Scenario, price: bigint): Refused | { kind: 'lost' } | undefined {
    if (scenario.pay === 'lost') return { kind: 'lost' };
    if (store.balance() < price) return refused('insufficient');
    return undefined;
  }

  /** The biller takes the payment: debit, then the scenario's outcome. */
  function execute(txn: Txn, now: Date): PayResult {
    if (!store.debit(txn)) return refused('insufficient');
    txn.paidAt = now;
    const behaviour = txn.scenario.pay;
    if (behaviour === 'fail') {
      finish(txn, 'failed', 'payment-failed', now);
    } else if (isPendingBehaviour(behaviour)) {
      txn.state = 'pending';
      setCode(txn, behaviour === 'pending-unmapped' ? 'pending-unmapped' : 'pending');
      ctx.timers.after(ctx.knobs.pendingMs, () => resolvePending(txn));
    } else {
      finish(txn, 'success', 'success', now);
      if (behaviour === 'refund') ctx.timers.after(ctx.knobs.refundMs, () => refund(txn));
    }
    ctx.notify(txn, 'create', txn.state === 'pending' || behaviour === 'refund');
    return { kind: 'txn', txn, misc: behaviour === 'misc' };
  }

  /** A refusal at pay time: a failed transaction where the dialect says one is created, otherwise nothing. */
  function refuseAtPay(txn: Txn, reason: Reason, now: Date, isNew: boolean): PayResult {
    if (!codes.createdOnPay.has(reason)) return refused(reason);
    if (isNew) store.add(txn);
    txn.paidAt = now;
    finish(txn, 'failed', reason, now);
    ctx.notify(txn, 'create', false);
    return { kind: 'txn', txn, misc: false };
  }

  /** What the scenario's inquiry column says (the 0103 hang sleeps first). */
  async function inquiryRefusal(scenario: Scenario): Promise<Reason | undefined> {
    switch (scenario.inquiry) {
      case 'bill':
        return undefined;
      case 'hang':
        await ctx.timers.sleep(ctx.knobs.hangMs);
        return 'biller-timeout';
      default:
        return scenario.inquiry;
    }
  }

  return {
    async inquire(target) {
      store.counters.inquiries += 1;
      const existing = store.byRef.get(target.refId);
      if (existing !== undefined) {
        if (!sameTarget(existing, target)) return refused('duplicate-ref');
        // Re-inquiring an unpaid ref renews its same-day validity; the quote itself is kept.
        if (existing.state === 'inquired') existing.inquiredAt = ctx.now();
        return { kind: 'txn', txn: existing };
      }
      const now = ctx.now();
      if (inCutOff(target.product, now)) return refused('cut-off');
      const scenario = scenarioFor(target.customerNo);
      const refusal = await inquiryRefusal(scenario);
      if (refusal !== undefined) return refused(refusal);
      // A concurrent inquiry for the same ref may have won while nothing was awaited: re-check.
      const raced = store.byRef.get(target.refId);
      if (raced !== undefined)
        return sameTarget(raced, target) ? { kind: 'txn', txn: raced } : refused('duplicate-ref');
      const quote = quoteBill(target.product, target.customerNo, {
        periods: scenario.periods,
        now,
        fees: fees(),
        ...(target.months !== undefined ? { months: target.months } : {}),
      });
      const txn = newTxn(target, scenario, quote, now);
      txn.inquiredAt = now;
      store.add(txn);
      return { kind: 'txn', txn };
    },

    async checkMeter(customerNo, product) {
      store.counters.inquiries += 1;
      const now = ctx.now();
      const probe: Product = product ?? { kind: 'pln-prepaid', pln: true, length: [11, 12] };
      if (inCutOff(probe, now)) return refused('cut-off');
      const refusal = await inquiryRefusal(scenarioFor(customerNo));
      if (refusal !== undefined) return refused(refusal);
      return { kind: 'meter', quote: quoteBill(probe, customerNo, { periods: 1, now, fees: fees() }) };
    },

    pay(txn) {
      if (txn.state !== 'inquired') return { kind: 'txn', txn, misc: false };
      const now = ctx.now();
      if (inCutOff(txn.product, now)) return refuseAtPay(txn, 'cut-off', now, false);
      if (txn.inquiredAt === undefined || wibDate(txn.inquiredAt) !== wibDate(now)) {
        return refuseAtPay(txn, 'expired', now, false);
      }
      return precheck(txn.scenario, txn.quote.price) ?? execute(txn, now);
    },

    async topUp(target, limits = {}) {
      const existing = store.byRef.get(target.refId);
      if (existing !== undefined) {
        return sameTarget(existing, target)
          ? { kind: 'txn', txn: existing, misc: false }
          : refused('duplicate-ref');
      }
      const now = ctx.now();
      const scenario = scenarioFor(target.customerNo);
      const quote = quoteBill(target.product, target.customerNo, { periods: 1, now, fees: fees() });
      const txn = newTxn(target, scenario, quote, now);
      if (inCutOff(target.product, now)) return refuseAtPay(txn, 'cut-off', now, true);
      if (scenario.inquiry === 'hang') {
        // The biller hangs; meanwhile the ref exists as pending, so a re-send is a status check, not a second try.
        store.add(txn);
        txn.state = 'pending';
        setCode(txn, 'pending');
        await ctx.timers.sleep(ctx.knobs.hangMs);
        return refuseAtPay(txn, 'biller-timeout', ctx.now(), false);
      }
      if (scenario.inquiry !== 'bill') return refuseAtPay(txn, scenario.inquiry, now, true);
      // Priced now, with today's admin and commission: the buyer's cap protects it from a price that drifted
      // since its meter check. Recorded as a failed transaction; the deposit is never touched.
      if (limits.maxPrice !== undefined && quote.price > limits.maxPrice) {
        return refuseAtPay(txn, 'max-price', now, true);
      }
      const problem = precheck(scenario, quote.price);
      if (problem !== undefined) return problem;
      store.add(txn);
      return execute(txn, now);
    },
  };
}
