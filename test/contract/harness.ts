/**
 * The contract between the port conformance suite (suite.ts) and one adapter's harness.
 *
 * The suite states upstream FACTS ("the upstream answers pending") and what the port promises for each.
 * A harness knows how to make each fact true for its adapter: nock answers in the dialect's real wire
 * format for digiflazz and iak, the fake's defaults and scripts for the fake. A harness may decline only
 * the facts typed `Declinable`, and only with a named reason that the suite prints: every other fact is
 * something any upstream can do, so every adapter must face it.
 *
 * Calling a fact with a product must have no side effect (the suite does it while declaring tests, to
 * name a declined one); interceptors and scripts are set up by the `Make` it returns, inside the test.
 */
import type { BillerAdapter, BillTarget, CallbackRequest } from '../../src/billers/port.js';

/** The two shapes of bill every adapter serves: postpaid (inquiry, pay, status) and a PLN token (top-up). */
export type Product = 'postpaid' | 'token';
export const PRODUCTS: readonly Product[] = ['postpaid', 'token'];

export type Operation = 'inquiry' | 'pay' | 'status';
export type PayTarget = Parameters<BillerAdapter['pay']>[0];
export type StatusTarget = Parameters<BillerAdapter['status']>[0];

/** An adapter for which one fact is true, and the input to ask it with. */
export interface Staged<I> {
  readonly adapter: BillerAdapter;
  readonly input: I;
}
export type Make<I> = () => Promise<Staged<I>>;

/** Why a harness cannot make a fact true: a stable code plus the reason in words. */
export interface NotApplicable {
  readonly notApplicable: string;
  readonly why: string;
}

export function notApplicable(code: string, why: string): NotApplicable {
  return { notApplicable: code, why };
}

export function isNotApplicable(value: unknown): value is NotApplicable {
  return typeof value === 'object' && value !== null && 'notApplicable' in value;
}

/** A fact every adapter must be able to face, for every product. */
export type Fact<I> = (product: Product) => Make<I>;
/** A fact about the wire (or a dialect's proofs) that an adapter without one may decline. */
export type Declinable<I> = (product: Product) => Make<I> | NotApplicable;

/** Raw control of the upstream's answer, for facts about the wire itself (5xx, garbage, cut-off answers). */
export interface WireControl {
  /** The upstream answers `op` with exactly these bytes and this HTTP status. */
  answer(op: Operation, body: string, httpStatus: number): Promise<Staged<PayTarget>>;
  /** Genuine answers of the dialect: a quote, and a paid pay / status. */
  readonly paid: Readonly<Record<Operation, string>>;
  /** Genuine refusals: a wrong customer number, and a definitive payment failure. */
  readonly refused: Readonly<Record<Operation, string>>;
}

/** A callback request as the upstream (or a forger) would send it, for the ref it names. */
export interface CallbackCase extends Staged<CallbackRequest> {
  readonly refId: string;
}

export interface ContractHarness {
  readonly inquiry: {
    readonly quotesBill: Fact<BillTarget>;
    readonly customerNumberWrong: Fact<BillTarget>;
    readonly timesOut: Fact<BillTarget>;
  };
  readonly pay: {
    readonly paid: Fact<PayTarget>;
    readonly refusedDefinitively: Fact<PayTarget>;
    readonly refusedBeforeCreating: Fact<PayTarget>;
    readonly pending: Fact<PayTarget>;
    readonly connectionRefused: Fact<PayTarget>;
    readonly timesOut: Fact<PayTarget>;
    readonly connectionReset: Declinable<PayTarget>;
    readonly undocumentedCode: Declinable<PayTarget>;
  };
  readonly status: {
    readonly paid: Fact<StatusTarget>;
    /** Declinable: a dialect may have no answer that proves it (IAK prepaid, a Digiflazz top-up re-send). */
    readonly neverReceived: Declinable<StatusTarget>;
    readonly requestRejected: Declinable<StatusTarget>;
    readonly pending: Fact<StatusTarget>;
    readonly refundedAfterSuccess: Fact<StatusTarget>;
    readonly failedDefinitively: Fact<StatusTarget>;
    /** Declinable: the fake has no response codes on a status answer. */
    readonly noTransactionCode: Declinable<StatusTarget>;
    readonly timesOut: Fact<StatusTarget>;
    readonly connectionRefused: Declinable<StatusTarget>;
    readonly undocumentedCode: Declinable<StatusTarget>;
  };
  readonly wire: (product: Product) => WireControl | NotApplicable;
  readonly callbacks: {
    readonly genuineSuccess: () => Promise<CallbackCase>;
    readonly forgedSignature: () => Promise<CallbackCase>;
    readonly missingSignature: () => Promise<CallbackCase>;
  };
}
