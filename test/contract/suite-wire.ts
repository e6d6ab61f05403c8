/**
 * Facts about the wire itself (HTTP 5xx, garbage, an answer cut off at any byte, arbitrary text) and odd
 * targets from the pipeline. None of these answers proves anything, and none may make an adapter throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectOutcome } from '../unit/adapters/helpers.js';
import {
  isNotApplicable,
  type ContractHarness,
  type Operation,
  type PayTarget,
  type Product,
  type WireControl,
} from './harness.js';
import { ask, expectNoProof, scenario, settle, type Declined } from './scenario.js';

const OPERATIONS: readonly Operation[] = ['inquiry', 'pay', 'status'];

const GARBAGE: readonly string[] = [
  '<html><body><h1>502 Bad Gateway</h1></body></html>',
  'Service Unavailable',
  '',
  'null',
  '[]',
  '{}',
  '{"data":null}',
  '{"data":{}}',
  '{"data":"Gagal"}',
];

/** About 40 cut points spread over the answer, plus its last bytes (where a cut leaves almost all of it). */
function cutPoints(length: number): number[] {
  const step = Math.max(1, Math.floor(length / 40));
  const points = new Set<number>();
  for (let at = 0; at < length; at += step) points.add(at);
  for (let at = Math.max(0, length - 5); at < length; at += 1) points.add(at);
  return [...points];
}

export function describeWire(harness: ContractHarness, product: Product, declined: Declined): void {
  const wire = harness.wire(product);
  // An adapter without a wire declines the whole block once: it is one exclusion, not five.
  if (isNotApplicable(wire)) {
    const title = 'nothing is proven by HTTP 5xx, garbage, an answer cut off at any byte or arbitrary text';
    scenario(title, wire, product, declined, () => Promise.resolve());
    return;
  }
  const declare = (title: string, check: (wire: WireControl) => Promise<void>) =>
    scenario(title, () => Promise.resolve(wire), product, declined, check);

  // Guards the harness: cutting up or wrapping an answer that was never genuine would prove nothing.
  declare('the genuine answers used below are read for what they say', async (w) => {
    const quoted = await ask('inquiry', await w.answer('inquiry', w.paid.inquiry, 200));
    expect(quoted).toMatchObject({ kind: 'bill' });
    expectOutcome(await settle('pay', await w.answer('pay', w.paid.pay, 200)), 'success');
    expectOutcome(await settle('status', await w.answer('status', w.paid.status, 200)), 'success');
    const rejected = await ask('inquiry', await w.answer('inquiry', w.refused.inquiry, 200));
    expect(rejected).toMatchObject({ kind: 'rejected' });
    expectOutcome(await settle('pay', await w.answer('pay', w.refused.pay, 200)), 'failed:created');
    expectOutcome(await settle('status', await w.answer('status', w.refused.status, 200)), 'failed:created');
  });

  declare('nothing is proven when the upstream answers HTTP 5xx, even with a refusal inside', async (w) => {
    for (const op of OPERATIONS) {
      for (const httpStatus of [500, 502, 503, 504]) {
        const outcome = await ask(op, await w.answer(op, w.refused[op], httpStatus));
        expectNoProof(op, outcome, `${op} on HTTP ${httpStatus}`);
      }
    }
  });

  declare('nothing is proven when the upstream answers garbage', async (w) => {
    for (const op of OPERATIONS) {
      for (const body of GARBAGE) {
        const outcome = await ask(op, await w.answer(op, body, 200));
        expectNoProof(op, outcome, `${op} answered ${JSON.stringify(body)}`);
      }
    }
  });

  declare('nothing is proven when a genuine answer is cut off at any byte', async (w) => {
    for (const op of OPERATIONS) {
      const full = w.paid[op];
      for (const cut of cutPoints(full.length)) {
        const outcome = await ask(op, await w.answer(op, full.slice(0, cut), 200));
        expectNoProof(op, outcome, `${op} answered the first ${cut} of ${full.length} bytes`);
      }
    }
  });

  declare('nothing is proven when the upstream answers arbitrary text', async (w) => {
    const text = fc.oneof(fc.string({ maxLength: 200, unit: 'binary' }), fc.json({ maxDepth: 3 }));
    await fc.assert(
      fc.asyncProperty(text, fc.constantFrom(...OPERATIONS), async (body, op) => {
        const outcome = await ask(op, await w.answer(op, body, 200));
        expectNoProof(op, outcome, `${op} answered ${JSON.stringify(body)}`);
      }),
      { numRuns: 60 },
    );
  });
}

/** What the pipeline should never send, sent anyway: the adapter still answers with an outcome. */
const ODD_TARGETS: ReadonlyArray<readonly [string, Partial<PayTarget>]> = [
  ['an empty ref', { refId: '' }],
  ['a ref far over 32 characters', { refId: 'R'.repeat(500) }],
  ['letters in the customer number', { customerNo: '53000000000A' }],
  ['an empty customer number', { customerNo: '' }],
  ['a zero amount', { amount: 0n, maxPrice: 0n }],
  ['a negative amount', { amount: -1n, maxPrice: -1n }],
  ['months out of range', { months: 99 }],
];

const KINDS: Readonly<Record<Operation, readonly string[]>> = {
  inquiry: ['bill', 'rejected', 'unavailable'],
  pay: ['success', 'failed', 'suspect', 'refunded'],
  status: ['success', 'failed', 'suspect', 'refunded', 'not_found'],
};

export function describeOddInput(harness: ContractHarness, product: Product): void {
  // Any fact will do: what matters is that an odd target reaches the adapter and an upstream answers.
  const facts = {
    inquiry: harness.inquiry.customerNumberWrong(product),
    pay: harness.pay.refusedDefinitively(product),
    status: harness.status.failedDefinitively(product),
  };
  const odd = ODD_TARGETS.map(([what]) => what).join(', ');
  describe('malformed input', () => {
    for (const op of OPERATIONS) {
      it(`${op} answers odd targets (${odd}) without throwing`, async () => {
        for (const [what, change] of ODD_TARGETS) {
          const staged = await facts[op]();
          const input: PayTarget = { amount: 1n, ...staged.input, ...change };
          const outcome = await ask(op, { adapter: staged.adapter, input });
          expect(KINDS[op], `${op} with ${what}`).toContain(outcome.kind);
        }
      });
    }
  });
}
