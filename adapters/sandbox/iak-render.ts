/**
 * IAK answer bodies (docs/upstream-wire.md §"IAK dialect"; api.iak.id postpaid inquiry/payment/check-status, prepaid
 * top-up and callback). IAK's `price` is the CUSTOMER price (bill + denda + admin) and `selling_price` what our
 * deposit pays (price − commission): the reverse of Digiflazz. Postpaid answers carry `response_code`, prepaid
 * ones `rc`.
 */
import type { RenderedCallback } from './callbacks.js';
import type { Code } from './codes.js';
import type { Credentials } from './options.js';
import { segmentPower } from './pricing-pln.js';
import type { Quote } from './pricing.js';
import { hash32 } from './prng.js';
import { requestSign } from './sign.js';
import type { Txn, TxnState } from './store.js';
import { ymdHis } from './wib.js';

type Data = Record<string, unknown>;

const amount = (value: bigint) => Number(value);

/** Postpaid checkstatus: 0 payment request not received · 1 success · 2 failed · 3 in process. */
const CHECKSTATUS: Record<TxnState, number> = { inquired: 0, pending: 3, success: 1, failed: 2, refunded: 2 };
/** Prepaid top-up, prepaid status and callbacks: 0 process · 1 success · 2 failed. */
const PREPAID_STATUS: Record<TxnState, number> = {
  inquired: 0,
  pending: 0,
  success: 1,
  failed: 2,
  refunded: 2,
};

const revealed = (txn: Txn) => txn.state === 'success' || txn.state === 'refunded';

/** inq-pasca: top-level `nominal` is bill + denda, so `price = nominal + admin` as IAK documents. */
export function inquiryData(txn: Txn): Data {
  const { quote } = txn;
  return {
    tr_id: txn.handle,
    code: txn.sku,
    hp: txn.customerNo,
    tr_name: quote.customerName,
    period: quote.periods.map((p) => p.period).join(','),
    nominal: amount(quote.billAmount + quote.penalty),
    admin: amount(quote.admin),
    ref_id: txn.refId,
    response_code: txn.rc,
    message: txn.message,
    price: amount(quote.total),
    selling_price: amount(quote.price),
    desc: {
      ...quote.details,
      bill: {
        detail: quote.periods.map((p) => ({
          period: p.period,
          nominal: amount(p.amount),
          admin: amount(p.admin),
          denda: amount(p.penalty),
          ...(p.meterStart !== undefined ? { meter_awal: p.meterStart, meter_akhir: p.meterEnd } : {}),
          ...p.extra,
        })),
      },
    },
  };
}

/** pay-pasca: the inquiry fields plus datetime, balance and (once paid) noref. */
export function payData(txn: Txn, balance: bigint): Data {
  return {
    ...inquiryData(txn),
    datetime: ymdHis(txn.paidAt ?? txn.createdAt),
    balance: amount(balance),
    noref: revealed(txn) ? txn.noref : '',
  };
}

export function checkStatusData(txn: Txn): Data {
  // An inquiry alone was never a payment request.
  const notReceived = txn.state === 'inquired';
  return {
    ref_id: txn.refId,
    tr_id: txn.handle,
    status: CHECKSTATUS[txn.state],
    response_code: notReceived ? '42' : txn.rc,
    message: notReceived ? "PAYMENT REQUEST HAVEN'T BEEN RECEIVED" : txn.message,
    ...(revealed(txn) ? { noref: txn.noref, sn: txn.sn } : {}),
    price: amount(txn.quote.total),
    selling_price: amount(txn.quote.price),
  };
}

export function prepaidData(txn: Txn, balance: bigint): Data {
  return {
    ref_id: txn.refId,
    status: PREPAID_STATUS[txn.state],
    code: txn.sku,
    customer_id: txn.customerNo,
    price: amount(txn.quote.total),
    selling_price: amount(txn.quote.price),
    message: txn.message,
    sn: revealed(txn) ? txn.sn : '',
    balance: amount(balance),
    tr_id: txn.handle,
    rc: txn.rc,
  };
}

export function postpaidRefusal(code: Code, request: Data): Data {
  return {
    ...(request.ref_id !== undefined ? { ref_id: request.ref_id } : {}),
    ...(request.tr_id !== undefined ? { tr_id: request.tr_id } : {}),
    ...(request.code !== undefined ? { code: request.code, hp: request.hp } : {}),
    response_code: code.rc,
    message: code.message,
  };
}

/** A top-up refused before a transaction existed: status 2 (failed) with the reason's rc. */
export function prepaidRefusal(code: Code, request: Data, balance: bigint): Data {
  return {
    ref_id: request.ref_id ?? '',
    status: 2,
    code: request.product_code ?? '',
    customer_id: request.customer_id ?? '',
    price: 0,
    message: code.message,
    sn: '',
    balance: amount(balance),
    rc: code.rc,
  };
}

/** inquiry-pln: meter and IDPEL derived from each other deterministically. */
export function plnInquiryData(customerNo: string, quote: Quote, productCode: string | undefined): Data {
  const derived = String(hash32('meter', customerNo)).padStart(10, '0').slice(-10);
  return {
    customer_id: customerNo,
    meter_no: customerNo.length === 11 ? customerNo : `1${derived}`,
    subscriber_id: customerNo.length === 12 ? customerNo : `5${derived}${customerNo.slice(-1)}`,
    name: quote.customerName,
    segment_power: quote.tariff === undefined ? '' : segmentPower(quote.tariff),
    status: 1,
    rc: '00',
    message: 'SUCCESS',
    // (ext) the product's price-list entry.
    ...(productCode !== undefined
      ? {
          product_code: productCode,
          admin: amount(quote.admin),
          price: amount(quote.total),
          selling_price: amount(quote.price),
        }
      : {}),
  };
}

/** Callback: the prepaid shape for every product, sign = md5(username + apiKey + ref_id). */
export function renderCallback(txn: Txn, balance: bigint, credentials: Credentials['iak']): RenderedCallback {
  const data = {
    ...prepaidData(txn, balance),
    hp: txn.customerNo,
    sign: requestSign(credentials.username, credentials.apiKey, txn.refId),
  };
  return { body: JSON.stringify({ data }), headers: { 'content-type': 'application/json' } };
}
