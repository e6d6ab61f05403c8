/**
 * The biller port conformance suite: every adapter (digiflazz, iak, fake) faces the same upstream facts and
 * must classify them the same way. The money rule behind it (src/billers/port.ts header): an answer that
 * does not PROVE what happened upstream is `suspect`, never `failed`; `failed` without a transaction only
 * when nothing was created upstream; a status call never proves "not created" (src/payments/upstream.ts
 * `callStatus` relies on it); `not_found` only from a status call that proves the upstream never received
 * the ref.
 *
 * Facts are declared once here; each adapter's *.contract.test.ts makes them true (see harness.ts).
 */
import { afterAll, describe, expect } from 'vitest';
import type { InquiryOutcome, InquiryRejection, StatusOutcome } from '../../src/billers/port.js';
import { expectOutcome, type Expected } from '../unit/adapters/helpers.js';
import { PRODUCTS, type ContractHarness } from './harness.js';
import { answerOf, PRODUCT_WORDS, scenario, type Declined } from './scenario.js';
import { describeCallbacks } from './suite-callbacks.js';
import { describeOddInput, describeWire } from './suite-wire.js';

type InquiryExpected = 'bill' | 'unavailable' | `rejected:${InquiryRejection}`;
/**
 * For a status answer carrying a "no transaction created" code the dialects differ (Digiflazz: the code
 * describes the status request, so suspect; IAK: it may describe the payment), but the port forbids one
 * reading: that the status proved no transaction was created.
 */
const NEVER_NOT_CREATED = 'never failed:not-created';
type StatusExpected = Expected | typeof NEVER_NOT_CREATED;

type Rows<K extends string, E> = ReadonlyArray<readonly [key: K, fact: string, expected: E]>;

const INQUIRY: Rows<keyof ContractHarness['inquiry'], InquiryExpected> = [
  ['quotesBill', 'the upstream quotes a bill', 'bill'],
  ['customerNumberWrong', 'the customer number is wrong', 'rejected:CUSTOMER_NOT_FOUND'],
  ['timesOut', 'the upstream does not answer the inquiry in time', 'unavailable'],
];

const PAY: Rows<keyof ContractHarness['pay'], Expected> = [
  ['paid', 'the upstream pays the bill', 'success'],
  [
    'refusedDefinitively',
    'the upstream refuses the payment definitively (a transaction is created and failed)',
    'failed:created',
  ],
  [
    'refusedBeforeCreating',
    'the upstream refuses it with a code documented as creating no transaction',
    'failed:not-created',
  ],
  ['pending', 'the upstream answers pending', 'suspect'],
  ['connectionRefused', 'the connection is refused before anything is sent', 'failed:not-created'],
  ['timesOut', 'the upstream times out after the request left', 'suspect'],
  ['connectionReset', 'the connection drops after the request left', 'suspect'],
  ['undocumentedCode', 'the upstream refuses it with a response code nobody documented', 'suspect'],
];

const STATUS: Rows<keyof ContractHarness['status'], StatusExpected> = [
  ['paid', 'the upstream says the bill was paid', 'success'],
  ['neverReceived', 'the upstream proves it never received the ref', 'not_found'],
  ['requestRejected', 'the upstream rejects the status request itself (bad signature)', 'suspect'],
  ['pending', 'the upstream says the payment is still pending', 'suspect'],
  ['refundedAfterSuccess', 'the upstream says it refunded the payment after success', 'refunded'],
  ['failedDefinitively', 'the upstream says the payment failed', 'failed:created'],
  ['noTransactionCode', 'the answer carries a code documented as creating no transaction', NEVER_NOT_CREATED],
  ['timesOut', 'the upstream does not answer the status in time', 'suspect'],
  ['connectionRefused', 'the connection is refused before the status request is sent', 'suspect'],
  ['undocumentedCode', 'the upstream answers with a response code nobody documented', 'suspect'],
];

/** 'failed:created' → 'failed (transaction created)', 'rejected:X' → 'rejected as X', … */
function words(expected: InquiryExpected | StatusExpected): string {
  if (expected === NEVER_NOT_CREATED) return 'never failed (no transaction created)';
  if (expected === 'failed:created') return 'failed (transaction created)';
  if (expected === 'failed:not-created') return 'failed (no transaction created)';
  if (expected === 'not_found') return 'not found';
  if (expected === 'bill') return 'a bill';
  return expected.replace('rejected:', 'rejected as ');
}

function expectInquiry(outcome: InquiryOutcome, expected: InquiryExpected): void {
  const [kind, reason] = expected.split(':');
  expect(outcome.kind).toBe(kind);
  if (reason !== undefined) expect(outcome).toHaveProperty('reason', reason);
  if (outcome.kind !== 'bill') return;
  // The quote's own arithmetic (port.ts Bill): the periods add up, and the price leaves a commission ≥ 0.
  const { billAmount, penalty, adminFee, price, periods } = outcome.bill;
  if (periods.length > 0) {
    const sum = (pick: (period: (typeof periods)[number]) => bigint) =>
      periods.reduce((total, period) => total + pick(period), 0n);
    const sums = [sum((p) => p.amount), sum((p) => p.penalty), sum((p) => p.admin)];
    expect([billAmount, penalty, adminFee]).toEqual(sums);
  }
  expect(price).toBeGreaterThan(0n);
  expect(price).toBeLessThanOrEqual(billAmount + penalty + adminFee);
}

function expectStatus(outcome: StatusOutcome, expected: StatusExpected): void {
  if (expected !== NEVER_NOT_CREATED) return expectOutcome(outcome, expected);
  expect(['suspect', 'failed']).toContain(outcome.kind);
  const claimsNoTransaction = outcome.kind === 'failed' && !outcome.transactionCreated;
  const why = `a status call never proves that no transaction was created (got rc ${outcome.rc})`;
  expect(claimsNoTransaction, why).toBe(false);
}

export function describeAdapterContract(name: string, harness: ContractHarness): void {
  describe(`the ${name} adapter honours the biller port`, () => {
    const declined: Declined = [];
    afterAll(() => {
      if (declined.length === 0) return;
      const list = declined.join('\n  ');
      console.info(`[contract] ${name}: ${declined.length} scenarios do not apply:\n  ${list}`);
    });

    for (const product of PRODUCTS) {
      describe(`for ${PRODUCT_WORDS[product]}`, () => {
        for (const [key, fact, expected] of INQUIRY) {
          const title = `inquiry is ${words(expected)} when ${fact}`;
          scenario(title, harness.inquiry[key](product), product, declined, async ({ adapter, input }) =>
            expectInquiry(await answerOf('inquiry', () => adapter.inquiry(input)), expected),
          );
        }
        for (const [key, fact, expected] of PAY) {
          const title = `pay is ${words(expected)} when ${fact}`;
          scenario(title, harness.pay[key](product), product, declined, async ({ adapter, input }) =>
            expectOutcome(await answerOf('pay', () => adapter.pay(input)), expected),
          );
        }
        for (const [key, fact, expected] of STATUS) {
          const title = `status is ${words(expected)} when ${fact}`;
          scenario(title, harness.status[key](product), product, declined, async ({ adapter, input }) =>
            expectStatus(await answerOf('status', () => adapter.status(input)), expected),
          );
        }
        describeWire(harness, product, declined);
        describeOddInput(harness, product);
      });
    }
    describeCallbacks(harness);
  });
}
