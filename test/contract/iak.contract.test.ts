/**
 * IAK faces the port conformance suite: each fact is the dialect's real wire answer (shapes from
 * test/unit/adapters/iak.test.ts, codes in docs/upstream-wire.md §"IAK dialect") served by nock. Postpaid
 * answers carry `response_code` (checkstatus adds `status` 0 not received · 1 success · 2 failed · 3 in
 * process); prepaid answers carry `rc` and `status` 0 process · 1 success · 2 failed.
 *
 * Declined (NO_PREPAID_PROOF): prepaid check-status has no "not received" status (0 means in process), so no
 * answer of the prepaid host proves that it never received a top-up.
 */
import { createIakAdapter } from '../../adapters/iak/index.js';
import { md5 } from '../unit/adapters/helpers.js';
import {
  notApplicable,
  type CallbackCase,
  type ContractHarness,
  type Operation,
  type PayTarget,
  type Product,
} from './harness.js';
import { createHttpUpstream, useNockUpstream } from './http-upstream.js';
import { describeAdapterContract } from './suite.js';

const BASE = 'http://iak.test';
const PREPAID = 'http://prepaid.iak.test';
const USERNAME = '081234567890';
const API_KEY = 'iak-API-KEY-5c4b3a';
const TR_ID = '29120';

const TARGETS: Readonly<Record<Product, PayTarget>> = {
  // pay-pasca is keyed by the inquiry's tr_id, which the pipeline passes back as upstreamHandle.
  postpaid: {
    refId: 'C0001',
    sku: 'PLNPOSTPAID',
    customerNo: '530000000999',
    amount: 310_000n,
    upstreamHandle: TR_ID,
  },
  token: {
    refId: 'C0003',
    sku: 'hpln100000',
    customerNo: '12345678901',
    denomination: 100_000n,
    amount: 102_500n,
  },
};
const TOKEN_SERIAL = '1234 5678 9012 3456 7890/TOKO MAKMUR/R1M/900/70.5';

const PATHS: Readonly<Record<Product, Record<Operation, string>>> = {
  postpaid: { inquiry: '/api/v1/bill/check', pay: '/api/v1/bill/check', status: '/api/v1/bill/check' },
  token: { inquiry: '/api/inquiry-pln', pay: '/api/top-up', status: '/api/check-status' },
};

/**
 * What IAK says about a transaction. pay-pasca answers a response_code alone (the status digit is not
 * sent); checkstatus adds its status digit; the prepaid top-up and check-status answer `rc` with theirs.
 */
function transaction(op: 'pay' | 'status', product: Product, status: number, rc: string, message: string) {
  const { refId, customerNo, sku } = TARGETS[product];
  if (product === 'token') {
    const sn = rc === '00' ? TOKEN_SERIAL : '';
    const prices = { price: 102_500, selling_price: 102_000 };
    return { ref_id: refId, status, code: sku, customer_id: customerNo, ...prices, message, sn, rc };
  }
  const prices = { price: 310_000, selling_price: '309000' };
  const answer = { ref_id: refId, tr_id: TR_ID, response_code: rc, message, ...prices };
  const noref = rc === '00' ? { noref: '0BNS25G1234567890' } : {};
  if (op === 'status') return { ...answer, ...noref, status };
  return { ...answer, ...noref, datetime: '20261128101503', balance: 5_000_000 };
}
const says =
  (op: 'pay' | 'status', status: number, rc: string, message: string) =>
  (product: Product): object =>
    transaction(op, product, status, rc, message);

/** inq-pasca (tr_id is the handle to pay with) or inquiry-pln with the product's price (ext). */
function quote(product: Product): object {
  const { refId, customerNo } = TARGETS[product];
  if (product === 'token') {
    const meter = { customer_id: customerNo, meter_no: customerNo, subscriber_id: '523011111111' };
    const prices = { admin: 2500, price: '102500', selling_price: 102_000 };
    return { ...meter, name: 'TOKO MAKMUR', segment_power: 'R1M /000000900', rc: '00', ...prices };
  }
  const detail = [
    { period: '202610', nominal: '150000', admin: 2500, denda: '3000' },
    { period: 202611, nominal: 152_000, admin: '2500', denda: 0 },
  ];
  return {
    tr_id: Number(TR_ID),
    code: 'PLNPOSTPAID',
    hp: customerNo,
    tr_name: 'BUDI SANTOSO',
    period: '202610,202611',
    nominal: 302_000,
    admin: '5000',
    ref_id: refId,
    response_code: '00',
    message: 'INQUIRY SUCCESS',
    price: 310_000,
    selling_price: '309000',
    desc: { tarif: 'R1', daya: 1300, lembar_tagihan: '2', bill: { detail } },
  };
}

function wrongNumber(product: Product): object {
  const { refId, customerNo } = TARGETS[product];
  const message = 'INCORRECT DESTINATION NUMBER';
  if (product === 'token') return { customer_id: customerNo, status: 2, rc: '14', message };
  return { ref_id: refId, hp: customerNo, response_code: '14', message };
}

const upstream = createHttpUpstream({
  adapter: ({ baseUrl, timeoutMs } = {}) =>
    createIakAdapter({
      baseUrl: baseUrl ?? BASE,
      prepaidBaseUrl: baseUrl ?? PREPAID,
      username: USERNAME,
      apiKey: API_KEY,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    }),
  route: (op, product) => ({ origin: product === 'token' ? PREPAID : BASE, path: PATHS[product][op] }),
  target: (product) => TARGETS[product],
  paid: (op, product) => (op === 'inquiry' ? quote(product) : transaction(op, product, 1, '00', 'SUCCESS')),
  refused: (op, product) =>
    op === 'inquiry' ? wrongNumber(product) : transaction(op, product, 2, '37', 'PAYMENT FAILED'),
});

/** A callback as IAK sends it: the sign md5(username + apiKey + ref_id) is in the body, over the ref only. */
function callback(sign: string | undefined): CallbackCase {
  const { refId, customerNo, sku } = TARGETS.token;
  const data = { ref_id: refId, status: '1', code: sku, hp: customerNo, price: 102_500, message: 'SUCCESS' };
  const rest = { sn: TOKEN_SERIAL, balance: 4_000_000, tr_id: 5512, rc: '00', ...(sign ? { sign } : {}) };
  const rawBody = Buffer.from(JSON.stringify({ data: { ...data, ...rest } }));
  const headers = { 'content-type': 'application/json' };
  return { adapter: upstream.adapter(), input: { headers, rawBody }, refId };
}

const iak: ContractHarness = {
  inquiry: {
    quotesBill: upstream.answers('inquiry', quote),
    customerNumberWrong: upstream.answers('inquiry', wrongNumber),
    timesOut: upstream.timesOut('inquiry'),
  },
  pay: {
    paid: upstream.answers('pay', says('pay', 1, '00', 'SUCCESS')),
    refusedDefinitively: upstream.answers('pay', says('pay', 2, '37', 'PAYMENT FAILED')),
    refusedBeforeCreating: upstream.answers('pay', says('pay', 2, '17', 'BALANCE NOT ENOUGH')),
    pending: upstream.answers('pay', says('pay', 0, '39', 'PENDING')),
    connectionRefused: upstream.refused,
    timesOut: upstream.timesOut('pay'),
    connectionReset: upstream.reset('pay'),
    undocumentedCode: upstream.answers('pay', says('pay', 2, '87', 'NEW CODE')),
  },
  status: {
    paid: upstream.answers('status', says('status', 1, '00', 'SUCCESS')),
    neverReceived: upstream.answersWhere('status', (product) =>
      product === 'token'
        ? notApplicable('NO_PREPAID_PROOF', 'prepaid check-status has no "not received" status (0 = process)')
        : says('status', 0, '42', "PAYMENT REQUEST HAVEN'T BEEN RECEIVED")(product),
    ),
    // IAK answers a bad sign (or username, or payload) with HTTP 400 and no code (api.iak.id response-code).
    requestRejected: (product) => () =>
      upstream.answer('status', product, { message: 'WRONG SIGNATURE' }, 400),
    // Postpaid checkstatus says "in process" with 3, the prepaid host with 0.
    pending: upstream.answers('status', (product) =>
      transaction('status', product, product === 'token' ? 0 : 3, '39', 'PENDING'),
    ),
    refundedAfterSuccess: upstream.answers('status', says('status', 2, '74', 'REFUNDED')),
    failedDefinitively: upstream.answers('status', says('status', 2, '37', 'PAYMENT FAILED')),
    noTransactionCode: upstream.answers('status', says('status', 2, '17', 'BALANCE NOT ENOUGH')),
    timesOut: upstream.timesOut('status'),
    connectionRefused: upstream.refused,
    undocumentedCode: upstream.answers('status', says('status', 2, '87', 'NEW CODE')),
  },
  wire: upstream.wire,
  callbacks: {
    genuineSuccess: async () => callback(md5(USERNAME + API_KEY + TARGETS.token.refId)),
    forgedSignature: async () => callback(md5(`${USERNAME}not-the-key${TARGETS.token.refId}`)),
    missingSignature: async () => callback(undefined),
  },
};

useNockUpstream();
describeAdapterContract('iak', iak);
