/**
 * The biller port: the one interface every upstream (PPOB aggregator) adapter implements.
 *
 * An adapter speaks one upstream's wire dialect (digiflazz, iak, …) and translates it into the
 * outcomes below. It never touches our database, queue or ledger; the payment pipeline decides what
 * an outcome means for the member's money.
 *
 * The rule every adapter must honour: an answer that does not PROVE what happened upstream
 * (timeout, HTTP 5xx, network error after the request may have left, a malformed body, an unknown
 * response code, "pending") is `suspect`, never `failed`. `failed` means the upstream definitively
 * did not and will not debit our deposit for this reference, so refunding the member is safe.
 */
import type { Readable } from 'node:stream';
import type { Rupiah } from '../money.js';

/** Rupiah, integer (the one definition is src/money.ts). */
export type { Rupiah };

/** What the pipeline asks an adapter to quote or pay. `sku` is the adapter's own product code. */
export interface BillTarget {
  /** Our reference for this upstream transaction; unique per adapter. [A-Za-z0-9], at most 32 chars. */
  refId: string;
  /** The adapter's product code for the product (from config/routing), e.g. digiflazz `pln`, iak `PLNPOSTPAID`. */
  sku: string;
  /** Customer number: IDPEL, meter number, BPJS VA, PDAM customer id. Digits only. */
  customerNo: string;
  /** BPJS Kesehatan: number of months to pay (1–12). */
  months?: number;
  /** PLN prepaid: the token denomination in rupiah. */
  denomination?: Rupiah;
}

export interface BillPeriod {
  /** YYYYMM */
  period: string;
  amount: Rupiah;
  penalty: Rupiah;
  admin: Rupiah;
}

/** A bill as the upstream quoted it. Amounts are what the MEMBER is charged before the koperasi fee. */
export interface Bill {
  customerName: string;
  periods: BillPeriod[];
  /** Sum of the periods' bill amounts (for PLN prepaid: the denomination). */
  billAmount: Rupiah;
  /** Denda: late-payment penalty. */
  penalty: Rupiah;
  /** The upstream's admin fee charged to the customer. */
  adminFee: Rupiah;
  /** What the upstream will deduct from our deposit: bill + penalty + admin − commission. */
  price: Rupiah;
  /** Upstream handle needed to pay (IAK `tr_id`); absent when the refId is the handle (digiflazz). */
  upstreamHandle?: string;
  /** Product details worth printing on the struk (tarif/daya, meter, BPJS branch, family members…). */
  details: Record<string, string>;
}

/** Why an inquiry could not produce a bill. The member-facing codes map to 4xx problems. */
export type InquiryRejection =
  | 'CUSTOMER_NOT_FOUND' // wrong number, wrong length, number blocked
  | 'BILL_ALREADY_PAID'
  | 'BILL_NOT_AVAILABLE' // bill not issued yet
  | 'PRODUCT_CUT_OFF' // upstream says it is in its cut-off window
  | 'PRODUCT_UNAVAILABLE'; // product disrupted/inactive at this upstream

export type InquiryOutcome =
  | { kind: 'bill'; bill: Bill }
  | { kind: 'rejected'; reason: InquiryRejection; rc: string; message: string }
  /** The upstream could not answer (timeout, 5xx, garbage, auth problem). Nothing moved; try the next adapter. */
  | { kind: 'unavailable'; rc: string; message: string };

/** What a pay or status call proved. */
export type PayOutcome =
  | {
      kind: 'success';
      /** Upstream serial number / biller reference (digiflazz `sn`, iak `noref`/`sn`). */
      upstreamRef: string;
      /** PLN prepaid: the 20-digit token, formatted xxxx-xxxx-xxxx-xxxx-xxxx. */
      token?: string;
      /** What the upstream deducted from our deposit, when it says. */
      price?: Rupiah;
      rc: string;
      message: string;
    }
  | {
      kind: 'failed';
      rc: string;
      message: string;
      /**
       * False only when the upstream documents that NO transaction was created (bad signature,
       * insufficient deposit, duplicate ref rejected before creation, connection refused before the
       * request was sent). Only then may the pipeline fail over to another adapter. Only a pay answer can
       * say so: a status answer never proves "not created" (test/contract checks every adapter).
       */
      transactionCreated: boolean;
    }
  | { kind: 'suspect'; rc: string; message: string }
  /** A success that the upstream later reversed (digiflazz rc 74, settlement REFUNDED). */
  | { kind: 'refunded'; rc: string; message: string };

/** A status answer: either one of the outcomes, or proof the upstream never received the payment. */
export type StatusOutcome = PayOutcome | { kind: 'not_found'; rc: string; message: string };

export interface CallbackRequest {
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

export type CallbackResult =
  | { kind: 'rejected'; reason: 'bad_signature' | 'malformed' | 'unsupported' }
  | {
      kind: 'event';
      refId: string;
      /** Upstream delivery id when the dialect has one (digiflazz X-Digiflazz-Delivery); used against replays. */
      deliveryId?: string;
      outcome: PayOutcome;
      /**
       * `authenticated`: the signature covers the whole body, so the outcome may be applied as is.
       * `notify-only`: the signature does not cover the status (iak signs only ref_id), so the
       * pipeline must confirm with a status call before moving money.
       */
      trust: 'authenticated' | 'notify-only';
    };

/**
 * One upstream connection. Implementations live in `adapters/<name>/` and are created by a factory
 * that validates its options when loaded.
 */
export interface BillerAdapter {
  /** Stable identifier, also the `{adapter}` in `/v1/callbacks/{adapter}` and in settlement files. */
  readonly name: string;

  /** Ask the upstream for the bill (free, no debit). `refId` becomes the upstream inquiry reference. */
  inquiry(target: BillTarget): Promise<InquiryOutcome>;

  /**
   * Pay a bill previously quoted under the same `refId` (and `upstreamHandle`, when the dialect needs
   * one). Must never throw for upstream behaviour: every answer, timeout or network error is mapped
   * to a PayOutcome. `amount` is bill + penalty + admin as quoted; `maxPrice` is the price this
   * upstream quoted for the attempt: a dialect that can cap what it is charged (Digiflazz `max_price`)
   * sends it, so a price that drifted up is refused upstream instead of eating the koperasi's income.
   */
  pay(
    target: BillTarget & { upstreamHandle?: string; amount: Rupiah; maxPrice?: Rupiah },
  ): Promise<PayOutcome>;

  /**
   * Ask what happened to `refId`. Never creates a transaction, with one documented exception: a
   * Digiflazz top-up's status check is the top-up re-sent with the same ref (one transaction per ref
   * all the same), so it carries the same `maxPrice` as the pay.
   */
  status(target: BillTarget & { upstreamHandle?: string; maxPrice?: Rupiah }): Promise<StatusOutcome>;

  /** Verify and parse an upstream callback. Never throws for bad input. */
  parseCallback(request: CallbackRequest): CallbackResult;

  /**
   * The upstream's settlement file for one WIB date (YYYY-MM-DD) in the canonical CSV layout
   * (see docs/upstream-wire.md §Settlement). Streamed: files can be hundreds of MB.
   */
  fetchSettlement(date: string): Promise<Readable>;
}
