/**
 * Digiflazz answer bodies (docs/upstream-wire.md §"Digiflazz dialect"; developer.digiflazz.com/api/buyer/cek-tagihan,
 * /bayar-tagihan, /topup, /webhook). `price` is what the buyer's deposit pays, `selling_price` what the customer
 * pays. Like the vendor, `desc.detail` amounts are numeric strings and top-level amounts are numbers.
 */
import type { Code } from './codes.js';
import type { CallbackEvent } from './context.js';
import { formatKwh, segmentPower, tokenKwhTenths, tokenPpj } from './pricing-pln.js';
import type { Quote } from './pricing.js';
import { hash32, type Random } from './prng.js';
import { hubSignature } from './sign.js';
import type { RenderedCallback } from './callbacks.js';
import type { Txn, TxnState } from './store.js';

type Data = Record<string, unknown>;

const STATUS_TEXT: Record<TxnState, string> = {
  inquired: 'Sukses',
  pending: 'Pending',
  success: 'Sukses',
  failed: 'Gagal',
  refunded: 'Gagal',
};

const amount = (value: bigint) => Number(value);

function postpaidDesc(quote: Quote): Data {
  return {
    ...quote.details,
    detail: quote.periods.map((p) => ({
      periode: p.period,
      nilai_tagihan: String(p.amount),
      admin: String(p.admin),
      denda: String(p.penalty),
      ...(p.meterStart !== undefined ? { meter_awal: p.meterStart, meter_akhir: p.meterEnd } : {}),
      ...p.extra,
    })),
  };
}

/** (ext) The receipt fields of a token (ppob.md §5 "Token"); PPN 0: rule unverified, assumed nil below 6.600 VA. */
function tokenDesc(txn: Txn): Data {
  const denomination = txn.product.denomination ?? 0n;
  const tariff = txn.quote.tariff;
  const ppj = tokenPpj(denomination);
  return {
    tarif: tariff?.tarif,
    daya: tariff?.daya,
    ppj: amount(ppj),
    ppn: 0,
    materai: 0,
    rp_token: amount(denomination - ppj),
    kwh: tariff === undefined ? undefined : formatKwh(tokenKwhTenths(denomination, tariff)),
  };
}

/** The pay / status / top-up answer for a transaction in its current state. */
export function transactionData(txn: Txn, balance: bigint): Data {
  const { quote } = txn;
  const prepaid = txn.product.kind === 'pln-prepaid';
  const revealed = txn.state === 'success' || txn.state === 'refunded';
  return {
    ref_id: txn.refId,
    customer_no: txn.customerNo,
    customer_name: quote.customerName,
    buyer_sku_code: txn.sku,
    message: txn.message,
    status: STATUS_TEXT[txn.state],
    rc: txn.rc,
    sn: revealed ? txn.sn : '',
    buyer_last_saldo: amount(balance),
    price: amount(quote.price),
    selling_price: amount(quote.total),
    admin: amount(quote.admin),
    ...(prepaid ? (revealed ? { desc: tokenDesc(txn) } : {}) : { desc: postpaidDesc(quote) }),
  };
}

/** A refusal: nothing (or nothing of ours) exists to describe. */
export function refusalData(code: Code, request: Data, balance: bigint): Data {
  return {
    ref_id: request.ref_id ?? '',
    customer_no: request.customer_no ?? '',
    customer_name: '',
    buyer_sku_code: request.buyer_sku_code ?? '',
    message: code.message,
    status: 'Gagal',
    rc: code.rc,
    sn: '',
    buyer_last_saldo: amount(balance),
    price: 0,
    selling_price: 0,
  };
}

/** pln-subscribe: a meter number and its IDPEL, derived from each other deterministically. */
export function meterCheckData(customerNo: string, quote: Quote, sku: string | undefined): Data {
  const derived = String(hash32('meter', customerNo)).padStart(10, '0').slice(-10);
  const meterNo = customerNo.length === 11 ? customerNo : `1${derived}`;
  const subscriberId = customerNo.length === 12 ? customerNo : `5${derived}${customerNo.slice(-1)}`;
  return {
    customer_no: customerNo,
    meter_no: meterNo,
    subscriber_id: subscriberId,
    name: quote.customerName,
    segment_power: quote.tariff === undefined ? '' : segmentPower(quote.tariff),
    message: 'Transaksi Sukses',
    status: 'Sukses',
    rc: '00',
    // (ext) the denomination's price-list entry, so one call quotes a token.
    ...(sku !== undefined
      ? {
          buyer_sku_code: sku,
          admin: amount(quote.admin),
          price: amount(quote.price),
          selling_price: amount(quote.total),
        }
      : {}),
  };
}

/** Webhook: the pay answer plus trx_id, signed over the exact bytes sent. */
export function renderCallback(
  txn: Txn,
  event: CallbackEvent,
  balance: bigint,
  webhookSecret: string,
  random: Random,
): RenderedCallback {
  const body = JSON.stringify({ data: { ...transactionData(txn, balance), trx_id: txn.handle } });
  const prepaid = txn.product.kind === 'pln-prepaid';
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-digiflazz-event': event,
      'x-digiflazz-delivery': random.uuid(),
      'x-hub-signature': hubSignature(Buffer.from(body, 'utf8'), webhookSecret),
      'user-agent': prepaid ? 'DigiFlazz-Hookshot/1.0' : 'DigiFlazz-Pasca-Hookshot/1.0',
    },
  };
}
