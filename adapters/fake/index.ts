/**
 * In-process BillerAdapter for unit tests of the payment pipeline: no I/O, a programmable script,
 * call records, gates that hold calls until released, signed JSON callbacks and in-memory settlements.
 *
 *   const fake = createFakeAdapter();
 *   fake.onPay('530000001037', { kind: 'failed', rc: '02', message: 'Gagal', transactionCreated: true });
 *   fake.onStatus('*', [{ kind: 'suspect', rc: '03', message: 'Pending' }, successOutcome]);
 *   const gate = fake.hold('pay'); … await gate.entered(); … gate.release();
 *
 * Script keys: the customer number or '*' for inquiries; the refId, the customer number or '*' for pay and
 * status (looked up in that order). A script is an outcome, a sequence of outcomes (the last one repeats), or a
 * function of the target.
 */
import { createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import type {
  Bill,
  BillerAdapter,
  BillTarget,
  CallbackRequest,
  InquiryOutcome,
  PayOutcome,
  Rupiah,
  StatusOutcome,
} from '../../src/billers/port.js';
import { parseFakeCallback, signFakeCallback } from './callback.js';
import { createGates, type FakeGate, type FakeMethod } from './gates.js';

export { FAKE_SIGNATURE_HEADER } from './callback.js';
export type { FakeGate, FakeMethod } from './gates.js';

export type FakePayTarget = BillTarget & { upstreamHandle?: string; amount: Rupiah };
export type FakeStatusTarget = BillTarget & { upstreamHandle?: string };

/** An outcome, a sequence of outcomes (the last repeats), or a function of the target. */
export type FakeScript<T, O> = O | readonly O[] | ((target: T) => O | Promise<O>);

export type FakeCall =
  | { method: 'inquiry'; target: BillTarget }
  | { method: 'pay'; target: FakePayTarget }
  | { method: 'status'; target: FakeStatusTarget }
  | { method: 'fetchSettlement'; target: { date: string } };

export interface FakeAdapter extends BillerAdapter {
  onInquiry(key: string, script: FakeScript<BillTarget, InquiryOutcome>): FakeAdapter;
  onPay(key: string, script: FakeScript<FakePayTarget, PayOutcome>): FakeAdapter;
  onStatus(key: string, script: FakeScript<FakeStatusTarget, StatusOutcome>): FakeAdapter;
  /** Every call in order, recorded before any gate holds it. */
  readonly calls: readonly FakeCall[];
  /** How many times `pay` was called for this refId. */
  payCount(refId: string): number;
  /** Holds `method` calls whose refId or customer number is `key` ('*' = all) until the gate is released. */
  hold(method: FakeMethod, key?: string): FakeGate;
  setSettlement(date: string, csvText: string): void;
  /** A callback request as the pipeline would receive it, signed with this fake's secret. */
  signedCallback(event: { refId: string; outcome: PayOutcome; deliveryId?: string }): CallbackRequest;
  /** Forgets scripts, calls, pay counts, gates and settlements. */
  reset(): void;
}

export interface FakeAdapterOptions {
  name?: string;
  /** HMAC-SHA256 secret of callbacks (header `x-fake-signature: <hex>`). */
  callbackSecret?: string;
}

/** Default quote: 100 000 bill + 2 500 admin, 500 commission (price = total − 500). */
export const FAKE_BILL_AMOUNT = 100_000n;
export const FAKE_ADMIN_FEE = 2_500n;
export const FAKE_COMMISSION = 500n;
export const FAKE_PERIOD = '202601';

export function createFakeAdapter(options: FakeAdapterOptions = {}): FakeAdapter {
  const name = options.name ?? 'fake';
  const secret = options.callbackSecret ?? 'fake-callback-secret';
  const scripts = {
    inquiry: new Map<string, FakeScript<BillTarget, InquiryOutcome>>(),
    pay: new Map<string, FakeScript<FakePayTarget, PayOutcome>>(),
    status: new Map<string, FakeScript<FakeStatusTarget, StatusOutcome>>(),
  };
  const sequencePositions = new Map<unknown, number>();
  const calls: FakeCall[] = [];
  const payCounts = new Map<string, number>();
  const lastPay = new Map<string, PayOutcome>();
  const settlements = new Map<string, string>();
  const gates = createGates();
  let serial = 0;

  function keysOf(method: FakeMethod, target: BillTarget): string[] {
    return method === 'inquiry' ? [target.customerNo, '*'] : [target.refId, target.customerNo, '*'];
  }

  async function play<T extends BillTarget, O>(
    script: FakeScript<T, O> | undefined,
    target: T,
    fallback: () => O,
  ): Promise<O> {
    if (script === undefined) return fallback();
    if (typeof script === 'function') return (script as (target: T) => O | Promise<O>)(target);
    if (Array.isArray(script)) {
      const sequence = script as readonly O[];
      const position = sequencePositions.get(sequence) ?? 0;
      sequencePositions.set(sequence, position + 1);
      return sequence[Math.min(position, sequence.length - 1)] ?? fallback();
    }
    return script as O;
  }

  function lookup<S>(table: Map<string, S>, method: FakeMethod, target: BillTarget): S | undefined {
    for (const key of keysOf(method, target)) {
      const script = table.get(key);
      if (script !== undefined) return script;
    }
    return undefined;
  }

  function defaultBill(target: BillTarget): Bill {
    if (target.denomination !== undefined) {
      const total = target.denomination + FAKE_ADMIN_FEE;
      return {
        customerName: 'FAKE CUSTOMER',
        periods: [],
        billAmount: target.denomination,
        penalty: 0n,
        adminFee: FAKE_ADMIN_FEE,
        price: total - FAKE_COMMISSION,
        upstreamHandle: `fake-${target.refId}`,
        details: { tarif: 'R1', daya: '1300' },
      };
    }
    return {
      customerName: 'FAKE CUSTOMER',
      periods: [{ period: FAKE_PERIOD, amount: FAKE_BILL_AMOUNT, penalty: 0n, admin: FAKE_ADMIN_FEE }],
      billAmount: FAKE_BILL_AMOUNT,
      penalty: 0n,
      adminFee: FAKE_ADMIN_FEE,
      price: FAKE_BILL_AMOUNT + FAKE_ADMIN_FEE - FAKE_COMMISSION,
      upstreamHandle: `fake-${target.refId}`,
      details: { tarif: 'R1', daya: '1300' },
    };
  }

  function defaultPay(target: FakePayTarget): PayOutcome {
    serial += 1;
    const outcome: Extract<PayOutcome, { kind: 'success' }> = {
      kind: 'success',
      upstreamRef: `FAKE${String(serial).padStart(8, '0')}`,
      price: target.amount - FAKE_COMMISSION,
      rc: '00',
      message: 'Sukses',
    };
    if (target.denomination !== undefined) outcome.token = fakeToken(target.refId);
    return outcome;
  }

  const fake: FakeAdapter = {
    name,
    get calls() {
      return calls;
    },

    onInquiry(key, script) {
      scripts.inquiry.set(key, script);
      return fake;
    },
    onPay(key, script) {
      scripts.pay.set(key, script);
      return fake;
    },
    onStatus(key, script) {
      scripts.status.set(key, script);
      return fake;
    },

    async inquiry(target) {
      calls.push({ method: 'inquiry', target });
      await gates.pass('inquiry', keysOf('inquiry', target));
      return play(lookup(scripts.inquiry, 'inquiry', target), target, () => ({
        kind: 'bill',
        bill: defaultBill(target),
      }));
    },

    async pay(target) {
      calls.push({ method: 'pay', target });
      payCounts.set(target.refId, (payCounts.get(target.refId) ?? 0) + 1);
      await gates.pass('pay', keysOf('pay', target));
      const outcome = await play(lookup(scripts.pay, 'pay', target), target, () => defaultPay(target));
      lastPay.set(target.refId, outcome);
      return outcome;
    },

    async status(target) {
      calls.push({ method: 'status', target });
      await gates.pass('status', keysOf('status', target));
      // Default, as the real upstreams answer: what the last pay of this ref ended as; "never received" for
      // a bill it never took (nothing sent, or refused before creating anything); and, for a token, which
      // neither Digiflazz nor IAK can prove never arrived, "still pending".
      return play(lookup(scripts.status, 'status', target), target, (): StatusOutcome => {
        const last = lastPay.get(target.refId);
        if (last !== undefined && !(last.kind === 'failed' && !last.transactionCreated)) return last;
        if (target.denomination !== undefined)
          return { kind: 'suspect', rc: '03', message: 'Transaksi Pending' };
        return { kind: 'not_found', rc: '50', message: 'transaction not found' };
      });
    },

    parseCallback(request) {
      // Never throws, like the real adapters: a malformed request is a refusal.
      try {
        return parseFakeCallback(request, secret);
      } catch {
        return { kind: 'rejected', reason: 'malformed' };
      }
    },

    fetchSettlement(date) {
      calls.push({ method: 'fetchSettlement', target: { date } });
      const csv = settlements.get(date);
      if (csv === undefined) {
        return Promise.reject(new Error(`${name} settlement for ${date} is not available`));
      }
      return Promise.resolve(Readable.from([Buffer.from(csv, 'utf8')]));
    },

    payCount(refId) {
      return payCounts.get(refId) ?? 0;
    },

    hold(method, key = '*') {
      return gates.hold(method, key);
    },

    setSettlement(date, csvText) {
      settlements.set(date, csvText);
    },

    signedCallback(event) {
      return signFakeCallback(secret, event);
    },

    reset() {
      for (const table of Object.values(scripts)) table.clear();
      sequencePositions.clear();
      calls.length = 0;
      payCounts.clear();
      lastPay.clear();
      settlements.clear();
      gates.clear();
      serial = 0;
    },
  };
  return fake;
}

/** A deterministic 20-digit token for a ref, formatted xxxx-xxxx-xxxx-xxxx-xxxx. */
export function fakeToken(refId: string): string {
  const digits = BigInt(`0x${createHmac('sha256', 'fake-token').update(refId).digest('hex')}`)
    .toString()
    .slice(0, 20)
    .padStart(20, '0');
  return digits.match(/\d{4}/g)?.join('-') ?? digits;
}
