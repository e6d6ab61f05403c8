/**
 * Digiflazz faces the port conformance suite: each fact is the dialect's real wire answer (shapes from
 * test/unit/adapters/digiflazz.test.ts, rc table in docs/upstream-wire.md §"Digiflazz dialect") served by
 * nock on its one endpoint.
 *
 * Declined (STATUS_RESENDS_TOPUP): a top-up's status check is the top-up re-sent (port.ts `status`), so
 * there is no way to ask about a token the upstream never received without buying it.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createDigiflazzAdapter } from '../../adapters/digiflazz/index.js';
import type { CallbackRequest } from '../../src/billers/port.js';
import {
  notApplicable,
  type CallbackCase,
  type ContractHarness,
  type PayTarget,
  type Product,
} from './harness.js';
import { createHttpUpstream, useNockUpstream } from './http-upstream.js';
import { describeAdapterContract } from './suite.js';

const BASE = 'http://dgf.test';
const USERNAME = 'koperasi-maju';
const API_KEY = 'dev-API-KEY-9f8e7d';
const SECRET = 'webhook-secret-42';

const TARGETS: Readonly<Record<Product, PayTarget>> = {
  postpaid: { refId: 'C0001', sku: 'pln', customerNo: '530000000002', amount: 310_000n },
  token: {
    refId: 'C0003',
    sku: 'pln100',
    customerNo: '12345670000',
    denomination: 100_000n,
    amount: 102_500n,
    maxPrice: 102_000n,
  },
};
const TOKEN_SERIAL = '05123456789012345678/TOKO MAKMUR/R1/1300/71.2';

/** A pay, status or top-up answer: Digiflazz pairs every rc with a status text (Sukses, Gagal, Pending). */
function transaction(product: Product, rc: string, status: string, message: string, extra = {}): object {
  const { refId, customerNo, sku } = TARGETS[product];
  const facts = { ref_id: refId, customer_no: customerNo, buyer_sku_code: sku, rc, status, message };
  return { ...facts, sn: '', buyer_last_saldo: 5_000_000, ...extra };
}
const gagal = (rc: string, message: string) => (product: Product) =>
  transaction(product, rc, 'Gagal', message);
const pending = (product: Product) => transaction(product, '03', 'Pending', 'Transaksi Pending');
const paid = (product: Product): object =>
  transaction(product, '00', 'Sukses', 'Transaksi Sukses', {
    ...(product === 'token' ? { sn: TOKEN_SERIAL, price: 101_500 } : { sn: 'SN-778899', price: '307000' }),
  });

/** inq-pasca (two periods, amounts as numbers and strings alike) or pln-subscribe with the token's price. */
function quote(product: Product): object {
  const { refId, customerNo } = TARGETS[product];
  if (product === 'token') {
    return {
      customer_no: customerNo,
      meter_no: customerNo,
      subscriber_id: '523011111111',
      name: 'TOKO MAKMUR',
      segment_power: 'R1 /000001300',
      rc: '00',
      status: 'Sukses',
      message: 'Sukses',
      admin: '2500',
      price: 102_000,
      selling_price: 102_500,
    };
  }
  const detail = [
    { periode: '202610', nilai_tagihan: '150000', admin: '2500', denda: 0 },
    { periode: 202611, nilai_tagihan: 152_000, admin: 2500, denda: '3000' },
  ];
  return {
    ...transaction(product, '00', 'Sukses', 'Transaksi Sukses'),
    ref_id: refId,
    customer_name: 'BUDI SANTOSO',
    admin: 5000,
    price: '307000',
    selling_price: 308_000,
    desc: { tarif: 'R1', daya: 1300, lembar_tagihan: '2', detail },
  };
}

const wrongNumber = (product: Product): object =>
  product === 'token'
    ? { customer_no: TARGETS.token.customerNo, rc: '54', status: 'Gagal', message: 'Nomor tujuan salah' }
    : gagal('54', 'Nomor tujuan salah')(product);

const upstream = createHttpUpstream({
  adapter: (options = {}) =>
    createDigiflazzAdapter({
      baseUrl: BASE,
      username: USERNAME,
      apiKey: API_KEY,
      webhookSecret: SECRET,
      ...options,
    }),
  // One endpoint for every command; a top-up (and its status re-send) carries no `commands` at all.
  route: () => ({ origin: BASE, path: '/v1/transaction' }),
  target: (product) => TARGETS[product],
  paid: (op, product) => (op === 'inquiry' ? quote(product) : paid(product)),
  refused: (op, product) =>
    op === 'inquiry' ? wrongNumber(product) : gagal('02', 'Transaksi Gagal')(product),
});

/** A webhook as Digiflazz sends it: X-Hub-Signature = sha1=HMAC-SHA1(raw body, secret). */
function webhook(sign: (raw: Buffer) => string | undefined): CallbackCase {
  const sn = '0512-3456-7890-1234-5678/TOKO MAKMUR/R1/1300/71.2';
  const data = { ...paid('token'), trx_id: 'DF123', sn };
  const rawBody = Buffer.from(JSON.stringify({ data }));
  const signature = sign(rawBody);
  const headers: CallbackRequest['headers'] = {
    'x-digiflazz-event': 'update',
    'x-digiflazz-delivery': randomUUID(),
    'user-agent': 'DigiFlazz-Hookshot/1.0',
    ...(signature !== undefined ? { 'x-hub-signature': signature } : {}),
  };
  return { adapter: upstream.adapter(), input: { headers, rawBody }, refId: TARGETS.token.refId };
}
const hmac = (secret: string) => (raw: Buffer) =>
  `sha1=${createHmac('sha1', secret).update(raw).digest('hex')}`;

const digiflazz: ContractHarness = {
  inquiry: {
    quotesBill: upstream.answers('inquiry', quote),
    customerNumberWrong: upstream.answers('inquiry', wrongNumber),
    timesOut: upstream.timesOut('inquiry'),
  },
  pay: {
    paid: upstream.answers('pay', paid),
    refusedDefinitively: upstream.answers('pay', gagal('02', 'Transaksi Gagal')),
    refusedBeforeCreating: upstream.answers('pay', gagal('44', 'Saldo tidak cukup')),
    pending: upstream.answers('pay', pending),
    connectionRefused: upstream.refused,
    timesOut: upstream.timesOut('pay'),
    connectionReset: upstream.reset('pay'),
    undocumentedCode: upstream.answers('pay', gagal('87', 'Kode baru')),
  },
  status: {
    paid: upstream.answers('status', paid),
    neverReceived: upstream.answersWhere('status', (product) =>
      product === 'token'
        ? notApplicable('STATUS_RESENDS_TOPUP', 'a token status is the top-up re-sent: asking would buy it')
        : gagal('50', 'Transaksi tidak ditemukan')(product),
    ),
    // rc 41: the classic API-key mix-up (ppob.md §1.1), answered to the status request itself.
    requestRejected: upstream.answers('status', gagal('41', 'Signature tidak valid')),
    pending: upstream.answers('status', pending),
    refundedAfterSuccess: upstream.answers('status', gagal('74', 'Transaksi Refund')),
    failedDefinitively: upstream.answers('status', gagal('02', 'Transaksi Gagal')),
    noTransactionCode: upstream.answers('status', gagal('44', 'Saldo tidak cukup')),
    timesOut: upstream.timesOut('status'),
    connectionRefused: upstream.refused,
    undocumentedCode: upstream.answers('status', gagal('87', 'Kode baru')),
  },
  wire: upstream.wire,
  callbacks: {
    genuineSuccess: async () => webhook(hmac(SECRET)),
    forgedSignature: async () => webhook(hmac('not-the-secret')),
    missingSignature: async () => webhook(() => undefined),
  },
};

useNockUpstream();
describeAdapterContract('digiflazz', digiflazz);
