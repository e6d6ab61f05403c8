/**
 * The fake adapter faces the port conformance suite, so the pipeline tests that run on it see an upstream
 * that classifies like the real ones.
 *
 * Facts are made true by the fake's own defaults wherever it has them: the default quote, the default
 * successful pay, a status that answers what the last pay of the ref ended as, `not_found` for a ref never
 * paid, its HMAC-signed callbacks. Facts it has no default for are the scripts the pipeline tests use for
 * them (test/integration/money-truth.test.ts, payments-pipeline.test.ts, reconciliation-truth.test.ts), so
 * the suite also checks that vocabulary against what the real adapters answer for the same fact.
 *
 * Declined (NO_WIRE): the fake has no HTTP layer, socket or response-code table. HTTP 5xx, garbage bodies,
 * a reset socket, a rejected status request or an undocumented code have no meaning for it, and no
 * pipeline test scripts them; the digiflazz and iak harnesses cover them on the real wire.
 */
import { createHmac } from 'node:crypto';
import { createFakeAdapter, FAKE_SIGNATURE_HEADER, type FakeAdapter } from '../../adapters/fake/index.js';
import type { CallbackRequest, PayOutcome, StatusOutcome } from '../../src/billers/port.js';
import {
  notApplicable,
  type CallbackCase,
  type ContractHarness,
  type Make,
  type PayTarget,
  type Product,
} from './harness.js';
import { describeAdapterContract } from './suite.js';

const TARGETS: Readonly<Record<Product, PayTarget>> = {
  postpaid: { refId: 'C0001', sku: 'pln', customerNo: '530000000000', amount: 102_500n },
  token: {
    refId: 'C0003',
    sku: 'pln100',
    customerNo: '12345670000',
    denomination: 100_000n,
    amount: 102_500n,
  },
};

/** The outcomes the pipeline tests script for these facts. */
const PENDING = { kind: 'suspect', rc: '03', message: 'Pending' } as const satisfies PayOutcome;
const TIMEOUT = { kind: 'suspect', rc: 'TIMEOUT', message: 'timed out' } as const satisfies PayOutcome;
const failed = (rc: string, message: string, transactionCreated: boolean): PayOutcome => ({
  kind: 'failed',
  rc,
  message,
  transactionCreated,
});
const REFUSED = failed('ECONNREFUSED', 'connection refused', false);
const GAGAL = failed('02', 'Transaksi Gagal', true);
const NO_DEPOSIT = failed('44', 'Saldo tidak cukup', false);
const REFUND = { kind: 'refunded', rc: '74', message: 'Transaksi Refund' } as const satisfies StatusOutcome;

const NO_WIRE = notApplicable('NO_WIRE', 'the fake has no HTTP layer, socket or response-code table');

/** A fresh fake, prepared for one fact, asked about the product's target. */
const given =
  (prepare: (fake: FakeAdapter, target: PayTarget) => unknown = () => undefined) =>
  (product: Product): Make<PayTarget> =>
  async () => {
    const fake = createFakeAdapter();
    const target = TARGETS[product];
    await prepare(fake, target);
    return { adapter: fake, input: target };
  };

/** The ref was paid with the pay script (or the default success) before the status question. */
const afterPay = (pay?: PayOutcome, status?: StatusOutcome) =>
  given(async (fake, target) => {
    if (pay !== undefined) fake.onPay(target.refId, pay);
    await fake.pay(target);
    if (status !== undefined) fake.onStatus(target.refId, status);
  });

/** The fake's own signed callback (HMAC-SHA256 of the raw body in x-fake-signature), then `alter`ed. */
function callback(alter: (genuine: CallbackRequest) => CallbackRequest = (genuine) => genuine): CallbackCase {
  const fake = createFakeAdapter({ callbackSecret: 'fake-callback-secret' });
  const { refId } = TARGETS.token;
  const outcome: PayOutcome = { kind: 'success', upstreamRef: 'FAKE1', rc: '00', message: 'Sukses' };
  return { adapter: fake, input: alter(fake.signedCallback({ refId, outcome, deliveryId: 'd-1' })), refId };
}
const hmacHex = (secret: string, raw: Buffer): string =>
  createHmac('sha256', secret).update(raw).digest('hex');

const fakeHarness: ContractHarness = {
  inquiry: {
    quotesBill: given(),
    customerNumberWrong: given((fake, target) =>
      fake.onInquiry(target.customerNo, {
        kind: 'rejected',
        reason: 'CUSTOMER_NOT_FOUND',
        rc: '54',
        message: 'Nomor tujuan salah',
      }),
    ),
    timesOut: given((fake) =>
      fake.onInquiry('*', { kind: 'unavailable', rc: 'TIMEOUT', message: 'timed out' }),
    ),
  },
  pay: {
    paid: given(),
    refusedDefinitively: given((fake, target) => fake.onPay(target.refId, GAGAL)),
    refusedBeforeCreating: given((fake, target) => fake.onPay(target.refId, NO_DEPOSIT)),
    pending: given((fake, target) => fake.onPay(target.refId, PENDING)),
    connectionRefused: given((fake, target) => fake.onPay(target.refId, REFUSED)),
    timesOut: given((fake, target) => fake.onPay(target.refId, TIMEOUT)),
    connectionReset: () => NO_WIRE,
    undocumentedCode: () => NO_WIRE,
  },
  status: {
    paid: afterPay(),
    // Never paid: the fake's default status is "never received" for a bill. For a token, like the real
    // upstreams (a Digiflazz top-up re-sent, IAK prepaid status 0 = in process), it cannot prove that.
    neverReceived: (product) =>
      product === 'token'
        ? notApplicable(
            'TOKEN_UNPROVABLE',
            'no upstream can prove a token never arrived; the fake answers pending',
          )
        : given()(product),
    requestRejected: () => NO_WIRE,
    pending: afterPay(PENDING),
    refundedAfterSuccess: afterPay(undefined, REFUND),
    failedDefinitively: afterPay(GAGAL),
    // The fake has no codes on a status answer; after a refusal that created nothing it answers as the
    // upstream's records stand: never received (a bill) or pending (a token).
    noTransactionCode: () => NO_WIRE,
    timesOut: given((fake, target) => fake.onStatus(target.refId, TIMEOUT)),
    connectionRefused: () => NO_WIRE,
    undocumentedCode: () => NO_WIRE,
  },
  wire: () => NO_WIRE,
  callbacks: {
    genuineSuccess: async () => callback(),
    // A well-formed HMAC of the very body, made with another secret.
    forgedSignature: async () =>
      callback((genuine) => ({
        ...genuine,
        headers: { ...genuine.headers, [FAKE_SIGNATURE_HEADER]: hmacHex('not-the-secret', genuine.rawBody) },
      })),
    missingSignature: async () =>
      callback((genuine) => ({ ...genuine, headers: { 'content-type': 'application/json' } })),
  },
};

describeAdapterContract('fake', fakeHarness);
