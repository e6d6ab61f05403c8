/**
 * How the suite declares one scenario, and the assertions every scenario shares: the call answers
 * (never throws), and an answer that proves nothing is `unavailable` (inquiry) or `suspect` (pay, status).
 */
import { expect, it } from 'vitest';
import type { InquiryOutcome, StatusOutcome } from '../../src/billers/port.js';
import {
  isNotApplicable,
  type NotApplicable,
  type Operation,
  type PayTarget,
  type Product,
  type Staged,
} from './harness.js';

export const PRODUCT_WORDS: Readonly<Record<Product, string>> = {
  postpaid: 'a postpaid bill',
  token: 'a PLN token',
};

/** Every declined fact of one adapter, so its file prints which scenarios did not apply, and why. */
export type Declined = string[];

/**
 * A test for a fact the harness can make true, or, for one it declined, a test whose name says so and
 * asserts the reason was given: a declined scenario is visible in every run, never silently skipped.
 */
export function scenario<T>(
  title: string,
  made: (() => Promise<T>) | NotApplicable,
  product: Product,
  declined: Declined,
  check: (staged: T) => Promise<void>,
): void {
  if (isNotApplicable(made)) {
    const because = `${made.notApplicable}: ${made.why}`;
    declined.push(`${PRODUCT_WORDS[product]}: ${title} (${because})`);
    it(`does not apply: ${title} (${because})`, () => {
      expect(made.why.length, 'a declined fact says why').toBeGreaterThan(20);
    });
    return;
  }
  it(title, async () => check(await made()));
}

/** Awaits an adapter call; a throw, sync or async, fails the scenario: the port says adapters answer. */
export async function answerOf<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    return expect.fail(`${what} threw instead of answering: ${String(error)}`);
  }
}

/** Asks a staged adapter for a pay or a status: both answer a StatusOutcome (a pay never `not_found`). */
export function settle(op: 'pay' | 'status', { adapter, input }: Staged<PayTarget>): Promise<StatusOutcome> {
  return answerOf<StatusOutcome>(op, () => (op === 'pay' ? adapter.pay(input) : adapter.status(input)));
}

/** Asks `op` of a staged adapter. */
export function ask(op: Operation, staged: Staged<PayTarget>): Promise<InquiryOutcome | StatusOutcome> {
  if (op !== 'inquiry') return settle(op, staged);
  return answerOf<InquiryOutcome>(op, () => staged.adapter.inquiry(staged.input));
}

/** An answer that proves nothing: the inquiry is unavailable (try elsewhere), a pay or status is suspect. */
export function expectNoProof(op: Operation, outcome: InquiryOutcome | StatusOutcome, why: string): void {
  expect(outcome.kind, why).toBe(op === 'inquiry' ? 'unavailable' : 'suspect');
  expect(outcome, why).not.toHaveProperty('transactionCreated');
}
