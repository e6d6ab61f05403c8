import { createHmac } from 'node:crypto';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createDigiflazzAdapter,
  digiflazzOptionsSchema,
  type DigiflazzOptions,
} from '../../../adapters/digiflazz/index.js';
import type { BillTarget, CallbackRequest } from '../../../src/billers/port.js';
import { capturedLogger, closedPort, each, expectOutcome, md5, readAll, type Expected } from './helpers.js';

const BASE = 'http://dgf.test';
const USERNAME = 'koperasi-maju';
const API_KEY = 'dev-API-KEY-9f8e7d';
const SECRET = 'webhook-secret-42';

const postpaid: BillTarget = { refId: 'P0001', sku: 'pln', customerNo: '530000000002' };
const bpjs: BillTarget = { refId: 'P0002', sku: 'bpjs', customerNo: '8888801234560000', months: 3 };
const token: BillTarget = {
  refId: 'P0003',
  sku: 'pln100',
  customerNo: '12345670000',
  denomination: 100_000n,
};
const payOf = (target: BillTarget) => ({ ...target, amount: 154_500n });

function adapter(options: Partial<DigiflazzOptions> = {}) {
  return createDigiflazzAdapter({
    baseUrl: BASE,
    username: USERNAME,
    apiKey: API_KEY,
    webhookSecret: SECRET,
    ...options,
  });
}

/** One upstream answer; `sent()` returns the JSON body the adapter posted. */
function upstream(reply: unknown, status = 200) {
  let sent: Record<string, unknown> | undefined;
  nock(BASE)
    .post('/v1/transaction', (body: Record<string, unknown>) => {
      sent = body;
      return true;
    })
    .reply(status, typeof reply === 'string' ? reply : JSON.stringify(reply));
  return { sent: () => sent };
}

const answer = (data: Record<string, unknown>) => ({ data });
const cols = (pay: Expected, status: Expected = pay) => ({ pay, status });
const txStatus = (rc: string) => (rc === '00' ? 'Sukses' : rc === '03' ? 'Pending' : 'Gagal');

beforeAll(() => {
  nock.disableNetConnect();
  // Only loopback may be reached for real: the "connection refused" tests dial a closed local port.
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => {
  nock.abortPendingRequests();
  nock.cleanAll();
});
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('digiflazz options', () => {
  it('fills the documented defaults', () => {
    const options = digiflazzOptionsSchema.parse({ baseUrl: BASE, username: USERNAME, apiKey: API_KEY });
    expect(options).toMatchObject({ timeoutMs: 30_000, name: 'digiflazz' });
    expect(options.webhookSecret).toBeUndefined();
    expect(adapter().name).toBe('digiflazz');
  });

  it('refuses invalid options when loaded without echoing the api key', () => {
    expect(() =>
      createDigiflazzAdapter({ baseUrl: 'not a url', username: USERNAME, apiKey: API_KEY }),
    ).toThrow(/invalid digiflazz adapter options/);
    expect(() => createDigiflazzAdapter({ baseUrl: BASE, username: '', apiKey: API_KEY })).toThrow(
      /username/,
    );
    const load = () =>
      createDigiflazzAdapter({ baseUrl: 'ftp://x', username: USERNAME, apiKey: API_KEY, timeoutMs: -1 });
    expect(load).toThrow(/baseUrl[\s\S]*timeoutMs/);
    expect(load).not.toThrow(API_KEY);
  });
});

describe('digiflazz inquiry', () => {
  it('sends inq-pasca signed with md5(username+apiKey+ref_id) and parses every period of the bill', async () => {
    const call = upstream(
      answer({
        ref_id: 'P0001',
        customer_no: '530000000002',
        customer_name: 'BUDI SANTOSO',
        buyer_sku_code: 'pln',
        admin: 5000,
        message: 'Transaksi Sukses',
        status: 'Sukses',
        rc: '00',
        sn: '',
        buyer_last_saldo: 'weird but unread',
        price: '307000',
        selling_price: 308000,
        desc: {
          tarif: 'R1',
          daya: 1300,
          lembar_tagihan: '2',
          detail: [
            {
              periode: '202610',
              nilai_tagihan: '150000',
              admin: '2500',
              denda: 0,
              meter_awal: '00080000',
              meter_akhir: '00085000',
            },
            {
              periode: 202611,
              nilai_tagihan: 152000,
              admin: 2500,
              denda: '3000',
              meter_awal: '00085000',
              meter_akhir: '00090000',
            },
          ],
        },
      }),
    );

    const outcome = await adapter().inquiry(postpaid);

    expect(call.sent()).toEqual({
      commands: 'inq-pasca',
      username: USERNAME,
      buyer_sku_code: 'pln',
      customer_no: '530000000002',
      ref_id: 'P0001',
      sign: md5(USERNAME + API_KEY + 'P0001'),
    });
    expect(outcome).toEqual({
      kind: 'bill',
      bill: {
        customerName: 'BUDI SANTOSO',
        periods: [
          { period: '202610', amount: 150_000n, penalty: 0n, admin: 2_500n },
          { period: '202611', amount: 152_000n, penalty: 3_000n, admin: 2_500n },
        ],
        billAmount: 302_000n,
        penalty: 3_000n,
        adminFee: 5_000n,
        price: 307_000n,
        details: { tarif: 'R1', daya: '1300', lembar_tagihan: '2', meter: '00080000-00090000' },
      },
    });
  });

  it('sends the BPJS number of months as month and reads the branch details as strings', async () => {
    const call = upstream(
      answer({
        ref_id: 'P0002',
        customer_name: 'SITI',
        status: 'Sukses',
        rc: '00',
        price: 512000,
        desc: {
          jumlah_peserta: 2,
          kode_cabang: '0901',
          nama_cabang: 'JAKARTA PUSAT',
          detail: [{ periode: '202611', nilai_tagihan: 510000, admin: 2500 }],
        },
      }),
    );

    const outcome = await adapter().inquiry(bpjs);

    expect(call.sent()).toMatchObject({ commands: 'inq-pasca', buyer_sku_code: 'bpjs', month: 3 });
    expect(outcome.kind).toBe('bill');
    if (outcome.kind !== 'bill') return;
    expect(outcome.bill.details).toEqual({
      jumlah_peserta: '2',
      kode_cabang: '0901',
      nama_cabang: 'JAKARTA PUSAT',
    });
    expect(outcome.bill.penalty).toBe(0n);
  });

  it('does not send month for products without months', async () => {
    const call = upstream(
      answer({ ref_id: 'P0001', rc: '60', status: 'Gagal', message: 'Tagihan belum tersedia' }),
    );
    await adapter().inquiry(postpaid);
    expect(call.sent()).not.toHaveProperty('month');
  });

  it('checks a PLN meter with pln-subscribe for a token and quotes the denomination', async () => {
    const call = upstream(
      answer({
        customer_no: '12345670000',
        meter_no: '12345670000',
        subscriber_id: '523011111111',
        name: 'TOKO MAKMUR',
        segment_power: 'R1 /000001300',
        message: 'Transaksi Sukses',
        rc: '00',
        status: 'Sukses',
        admin: '2500',
        price: 102000,
        selling_price: 102500,
      }),
    );

    const outcome = await adapter().inquiry(token);

    expect(call.sent()).toEqual({
      commands: 'pln-subscribe',
      username: USERNAME,
      buyer_sku_code: 'pln100',
      customer_no: '12345670000',
      sign: md5(USERNAME + API_KEY + '12345670000'),
    });
    expect(outcome).toEqual({
      kind: 'bill',
      bill: {
        customerName: 'TOKO MAKMUR',
        periods: [],
        billAmount: 100_000n,
        penalty: 0n,
        adminFee: 2_500n,
        price: 102_000n,
        details: {
          meter_no: '12345670000',
          subscriber_id: '523011111111',
          segment_power: 'R1 /000001300',
          tarif: 'R1',
          daya: '1300',
        },
      },
    });
  });

  const inquiryTable: Array<[string, string]> = [
    ...each('03 40 41 42 44 45 47 61 49 01 02 50 74 99 1105', 'unavailable'),
    ...each('43 53 55 62 63 64 65 67 68 73 80 81 82 83 84 85 86', 'rejected:PRODUCT_UNAVAILABLE'),
    ...each('51 52 54 57 59', 'rejected:CUSTOMER_NOT_FOUND'),
    ...each('58 66', 'rejected:PRODUCT_CUT_OFF'),
    ...each('60', 'rejected:BILL_NOT_AVAILABLE'),
  ];
  it.each(inquiryTable)('maps inquiry rc %s to %s', async (rc, expected) => {
    upstream(answer({ ref_id: 'P0001', rc, status: txStatus(rc), message: `rc ${rc}` }));
    const outcome = await adapter().inquiry(postpaid);
    const [kind, reason] = expected.split(':');
    expect(outcome.kind).toBe(kind);
    expect(outcome).toMatchObject({ rc, message: `rc ${rc}` });
    if (reason) expect(outcome).toHaveProperty('reason', reason);
  });

  it('treats a Pending status on rc 00 as no answer', async () => {
    upstream(answer({ ref_id: 'P0001', rc: '00', status: 'Pending', price: 1, desc: { detail: [] } }));
    expect((await adapter().inquiry(postpaid)).kind).toBe('unavailable');
  });

  it('treats an rc 00 bill without periods as unavailable rather than quoting it', async () => {
    upstream(answer({ ref_id: 'P0001', rc: '00', status: 'Sukses', price: 1000, desc: { tarif: 'R1' } }));
    expect(await adapter().inquiry(postpaid)).toMatchObject({ kind: 'unavailable', rc: 'MALFORMED' });
  });

  it.each([500, 502, 504])('is unavailable on HTTP %i', async (status) => {
    upstream('<html>bad gateway</html>', status);
    expect(await adapter().inquiry(postpaid)).toMatchObject({ kind: 'unavailable', rc: `HTTP_${status}` });
  });

  it('is unavailable when the upstream does not answer in time', async () => {
    nock(BASE).post('/v1/transaction').delay(500).reply(200, '{}');
    expect(await adapter({ timeoutMs: 100 }).inquiry(postpaid)).toMatchObject({
      kind: 'unavailable',
      rc: 'TIMEOUT',
    });
  });

  it('is unavailable when the connection is refused', async () => {
    const port = await closedPort();
    const outcome = await adapter({ baseUrl: `http://127.0.0.1:${port}` }).inquiry(postpaid);
    expect(outcome).toMatchObject({ kind: 'unavailable', rc: 'ECONNREFUSED' });
  });

  it.each([
    ['garbage', 'Service Unavailable'],
    ['truncated JSON', '{"data":{"rc":"00","status":"Suk'],
    [
      'an amount that is not an integer',
      JSON.stringify(answer({ rc: '00', status: 'Sukses', price: '1.5' })),
    ],
    ['no data envelope', JSON.stringify({ rc: '00' })],
  ])('is unavailable on %s', async (_what, body) => {
    upstream(body);
    expect(await adapter().inquiry(postpaid)).toMatchObject({ kind: 'unavailable', rc: 'MALFORMED' });
  });
});

describe('digiflazz pay and status', () => {
  it('pays a postpaid bill with pay-pasca under the inquiry ref_id and reports the serial and price', async () => {
    const call = upstream(
      answer({
        ref_id: 'P0001',
        rc: '00',
        status: 'Sukses',
        message: 'Transaksi Sukses',
        sn: 'SN-778899',
        price: '154000',
      }),
    );

    const outcome = await adapter().pay(payOf(postpaid));

    expect(call.sent()).toEqual({
      commands: 'pay-pasca',
      username: USERNAME,
      buyer_sku_code: 'pln',
      customer_no: '530000000002',
      ref_id: 'P0001',
      sign: md5(USERNAME + API_KEY + 'P0001'),
    });
    expect(outcome).toEqual({
      kind: 'success',
      upstreamRef: 'SN-778899',
      price: 154_000n,
      rc: '00',
      message: 'Transaksi Sukses',
    });
  });

  it('asks a postpaid status with status-pasca', async () => {
    const call = upstream(
      answer({ ref_id: 'P0001', rc: '03', status: 'Pending', message: 'Transaksi Pending' }),
    );
    const outcome = await adapter().status(postpaid);
    expect(call.sent()).toMatchObject({
      commands: 'status-pasca',
      ref_id: 'P0001',
      sign: md5(USERNAME + API_KEY + 'P0001'),
    });
    expectOutcome(outcome, 'suspect');
  });

  it('buys a PLN token with a top-up without commands and formats the token from the serial', async () => {
    const call = upstream(
      answer({
        ref_id: 'P0003',
        rc: '00',
        status: 'Sukses',
        message: 'Transaksi Sukses',
        sn: '05123456789012345678/TOKO MAKMUR/R1/1300/71.2',
        price: 101500,
      }),
    );

    const outcome = await adapter().pay(payOf(token));

    expect(call.sent()).toEqual({
      username: USERNAME,
      buyer_sku_code: 'pln100',
      customer_no: '12345670000',
      ref_id: 'P0003',
      sign: md5(USERNAME + API_KEY + 'P0003'),
    });
    expect(outcome).toMatchObject({
      kind: 'success',
      token: '0512-3456-7890-1234-5678',
      upstreamRef: '05123456789012345678/TOKO MAKMUR/R1/1300/71.2',
      price: 101_500n,
    });
  });

  it('caps what a top-up may cost with max_price (the quoted price), on the pay and on its status re-send', async () => {
    const paid = upstream(answer({ ref_id: 'P0003', rc: '03', status: 'Pending' }));
    await adapter().pay({ ...payOf(token), maxPrice: 101_500n });
    expect(paid.sent()).toMatchObject({ ref_id: 'P0003', max_price: 101_500 });
    const checked = upstream(answer({ ref_id: 'P0003', rc: '03', status: 'Pending' }));
    await adapter().status({ ...token, maxPrice: 101_500n });
    expect(checked.sent()).toEqual(paid.sent());
  });

  it('sends no max_price on a postpaid pay (the price was fixed by the inquiry)', async () => {
    const call = upstream(answer({ ref_id: 'P0001', rc: '03', status: 'Pending' }));
    await adapter().pay({ ...payOf(postpaid), maxPrice: 101_500n });
    expect(call.sent()).not.toHaveProperty('max_price');
  });

  it('checks a token status by re-sending the identical top-up body', async () => {
    const paid = upstream(answer({ ref_id: 'P0003', rc: '03', status: 'Pending' }));
    await adapter().pay(payOf(token));
    const checked = upstream(
      answer({ ref_id: 'P0003', rc: '00', status: 'Sukses', sn: '0512-3456-7890-1234-5678/X/R1/1300/7' }),
    );

    const outcome = await adapter().status(token);

    expect(checked.sent()).toEqual(paid.sent());
    expect(outcome).toMatchObject({ kind: 'success', token: '0512-3456-7890-1234-5678' });
  });

  const table: Array<[string, { pay: Expected; status: Expected }]> = [
    ...each('00', cols('success')),
    ...each('03', cols('suspect')),
    // "No transaction created" codes reject the status request itself (for a top-up, the re-sent top-up):
    // they prove nothing about the payment on status.
    ...each('40 41 42 43 44 45 47 61', cols('failed:not-created', 'suspect')),
    ...each('49', cols('suspect')),
    ...each('01 02', cols('failed:created')),
    ...each('50', cols('failed:created', 'not_found')),
    ...each('51 52 54 57 59', cols('failed:created')),
    ...each('53 55 62 63 64 65 67 68', cols('failed:created')),
    ...each('58 66 60', cols('failed:created')),
    ...each('73 80 81 82 83 84 85 86', cols('failed:created')),
    ...each('74', cols('refunded')),
    ...each('99 1105 XX', cols('suspect')),
  ];
  it.each(table)('maps rc %s on pay and status to %o', async (rc, expected) => {
    const data = { ref_id: 'P0001', rc, status: txStatus(rc), message: `rc ${rc}`, sn: 'SN1' };
    upstream(answer(data));
    const paid = await adapter().pay(payOf(postpaid));
    upstream(answer(data));
    const checked = await adapter().status(postpaid);

    expectOutcome(paid, expected.pay);
    expectOutcome(checked, expected.status);
    expect(paid).toMatchObject({ rc, message: `rc ${rc}` });
  });

  it.each([
    ['Pending with rc 00', '00', 'Pending'],
    ['Pending with a failure rc', '02', 'Pending'],
    ['Pending with a no-transaction rc', '44', 'Pending'],
    ['Sukses with a failure rc', '02', 'Sukses'],
    ['Gagal with rc 00', '00', 'Gagal'],
    ['rc 00 without a status', '00', undefined],
  ])('treats %s as suspect', async (_what, rc, status) => {
    upstream(answer({ ref_id: 'P0001', rc, status }));
    expectOutcome(await adapter().pay(payOf(postpaid)), 'suspect');
  });

  it('reads an rc sent as a JSON number', async () => {
    upstream(answer({ ref_id: 'P0001', rc: 2, status: 'Gagal' }));
    expect(await adapter().pay(payOf(postpaid))).toMatchObject({
      kind: 'failed',
      rc: '02',
      transactionCreated: true,
    });
  });

  it.each([500, 502, 504])('is suspect on HTTP %i, for pay and status', async (status) => {
    upstream('{"data":{"rc":"02","status":"Gagal"}}', status);
    expect(await adapter().pay(payOf(postpaid))).toMatchObject({ kind: 'suspect', rc: `HTTP_${status}` });
    upstream('', status);
    expectOutcome(await adapter().status(postpaid), 'suspect');
  });

  it('reads the rc of an HTTP 4xx answer (Digiflazz puts its rc there)', async () => {
    upstream(answer({ ref_id: 'P0001', rc: '41', status: 'Gagal', message: 'Signature tidak valid' }), 400);
    expectOutcome(await adapter().pay(payOf(postpaid)), 'failed:not-created');
  });

  it('is suspect when an HTTP 4xx answer carries no readable rc', async () => {
    upstream('Bad Request', 400);
    expect(await adapter().pay(payOf(postpaid))).toMatchObject({ kind: 'suspect', rc: 'MALFORMED' });
  });

  it('is suspect when the upstream does not answer in time', async () => {
    nock(BASE)
      .post('/v1/transaction')
      .delay(500)
      .reply(200, JSON.stringify(answer({ rc: '00', status: 'Sukses' })));
    const outcome = await adapter({ timeoutMs: 100 }).pay(payOf(postpaid));
    expect(outcome).toMatchObject({ kind: 'suspect', rc: 'TIMEOUT' });
  });

  it('is suspect when the socket hangs up after the request was sent', async () => {
    nock(BASE)
      .post('/v1/transaction')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    expect(await adapter().pay(payOf(postpaid))).toMatchObject({ kind: 'suspect', rc: 'ECONNRESET' });
  });

  it('fails a payment without a transaction when the connection is refused, but a status stays suspect', async () => {
    const port = await closedPort();
    const refused = adapter({ baseUrl: `http://127.0.0.1:${port}` });
    const paid = await refused.pay(payOf(postpaid));
    expect(paid).toMatchObject({ rc: 'ECONNREFUSED' });
    expectOutcome(paid, 'failed:not-created');
    expectOutcome(await refused.status(postpaid), 'suspect');
  });

  it.each([
    ['garbage', 'upstream error'],
    ['truncated JSON', '{"data":{"ref_id":"P0001","rc":"00","status":"Sukses","sn":"12'],
    ['an empty body', ''],
    [
      'a price that is not a number',
      JSON.stringify(answer({ ref_id: 'P0001', rc: '00', status: 'Sukses', price: 'gratis' })),
    ],
    ['a missing rc', JSON.stringify(answer({ ref_id: 'P0001', status: 'Sukses' }))],
  ])('is suspect on %s', async (_what, body) => {
    upstream(body);
    expect(await adapter().pay(payOf(postpaid))).toMatchObject({ kind: 'suspect', rc: 'MALFORMED' });
  });

  it('is suspect when the answer is for another ref_id', async () => {
    upstream(answer({ ref_id: 'OTHER', rc: '02', status: 'Gagal' }));
    expectOutcome(await adapter().pay(payOf(postpaid)), 'suspect');
  });
});

describe('digiflazz webhook', () => {
  const body = Buffer.from(
    JSON.stringify(
      answer({
        trx_id: 'DF123',
        ref_id: 'P0003',
        customer_no: '12345670000',
        rc: '00',
        status: 'Sukses',
        message: 'Transaksi Sukses',
        sn: '0512-3456-7890-1234-5678/TOKO/R1/1300/71.2',
        price: 101500,
      }),
    ),
  );
  const signature = (raw: Buffer, secret = SECRET) =>
    `sha1=${createHmac('sha1', secret).update(raw).digest('hex')}`;
  const request = (raw: Buffer, headers: Record<string, string | undefined> = {}): CallbackRequest => ({
    rawBody: raw,
    headers: {
      'x-digiflazz-event': 'update',
      'x-digiflazz-delivery': 'a3c9e1f0-0000-4000-8000-000000000001',
      'x-hub-signature': signature(raw),
      'user-agent': 'DigiFlazz-Hookshot/1.0',
      ...headers,
    },
  });

  it('accepts a body signed with the HMAC secret as an authenticated event', () => {
    expect(adapter().parseCallback(request(body))).toEqual({
      kind: 'event',
      refId: 'P0003',
      deliveryId: 'a3c9e1f0-0000-4000-8000-000000000001',
      outcome: {
        kind: 'success',
        upstreamRef: '0512-3456-7890-1234-5678/TOKO/R1/1300/71.2',
        token: '0512-3456-7890-1234-5678',
        price: 101_500n,
        rc: '00',
        message: 'Transaksi Sukses',
      },
      trust: 'authenticated',
    });
  });

  it.each([
    ['no User-Agent', { 'user-agent': undefined }],
    ['a postpaid User-Agent', { 'user-agent': 'DigiFlazz-Pasca-Hookshot/1.0' }],
    ['a proxy that rewrote it', { 'user-agent': 'nginx-forwarder' }],
  ])('reads the token from a signed serial whatever the (unsigned) User-Agent says: %s', (_what, headers) => {
    expect(adapter().parseCallback(request(body, headers))).toMatchObject({
      kind: 'event',
      outcome: { kind: 'success', token: '0512-3456-7890-1234-5678' },
    });
  });

  it('reads header names case-insensitively and maps a late refund', () => {
    const raw = Buffer.from(
      JSON.stringify(answer({ ref_id: 'P0009', rc: '74', status: 'Gagal', message: 'Transaksi Refund' })),
    );
    const result = adapter().parseCallback({ rawBody: raw, headers: { 'X-Hub-Signature': signature(raw) } });
    expect(result).toMatchObject({ kind: 'event', refId: 'P0009', outcome: { kind: 'refunded', rc: '74' } });
  });

  it.each([
    ['a wrong signature', { 'x-hub-signature': signature(body, 'not-the-secret') }],
    ['a missing signature', { 'x-hub-signature': undefined }],
    ['a signature without the sha1= prefix', { 'x-hub-signature': signature(body).slice(5) }],
  ])('rejects %s', (_what, headers) => {
    expect(adapter().parseCallback(request(body, headers))).toEqual({
      kind: 'rejected',
      reason: 'bad_signature',
    });
  });

  it('rejects a body altered by one byte after signing', () => {
    const altered = Buffer.from(body);
    altered[altered.indexOf('Sukses')] = 'T'.charCodeAt(0);
    const tampered = { ...request(body), rawBody: altered };
    expect(adapter().parseCallback(tampered)).toEqual({ kind: 'rejected', reason: 'bad_signature' });
  });

  it('rejects every callback when no webhook secret is configured', () => {
    expect(adapter({ webhookSecret: undefined }).parseCallback(request(body))).toEqual({
      kind: 'rejected',
      reason: 'bad_signature',
    });
  });

  it('rejects correctly signed malformed JSON as malformed', () => {
    const raw = Buffer.from('{"data":{"ref_id":"P0003",');
    expect(adapter().parseCallback(request(raw))).toEqual({ kind: 'rejected', reason: 'malformed' });
  });

  it('rejects a signed body that fails the schema as malformed', () => {
    const raw = Buffer.from(
      JSON.stringify(answer({ ref_id: 'P0003', rc: '00', status: 'Sukses', price: -5 })),
    );
    expect(adapter().parseCallback(request(raw))).toEqual({ kind: 'rejected', reason: 'malformed' });
  });

  it('does not treat a ping as a payment event', () => {
    const raw = Buffer.from('{"zen":"ok"}');
    expect(adapter().parseCallback(request(raw, { 'x-digiflazz-event': 'ping' }))).toEqual({
      kind: 'rejected',
      reason: 'unsupported',
    });
  });
});

describe('digiflazz settlement', () => {
  const csv =
    'trx_time,final_time,ref_id\n2026-11-28T10:15:02+07:00,2026-11-28T10:15:03+07:00,P0001\nTOTAL,1,154500,154000\n';

  it('streams the settlement file of a WIB date, signed for that date', async () => {
    nock(BASE)
      .get('/v1/settlement/20261128')
      .query({ username: USERNAME, sign: md5(`${USERNAME}${API_KEY}settlement20261128`) })
      .reply(200, csv, { 'Content-Type': 'text/csv' });

    const stream = await adapter().fetchSettlement('2026-11-28');

    expect(await readAll(stream)).toBe(csv);
  });

  it('throws a clear error without secrets when the file is not available', async () => {
    nock(BASE).get('/v1/settlement/20261129').query(true).reply(404, 'not yet');
    const failure = adapter().fetchSettlement('2026-11-29');
    await expect(failure).rejects.toThrow(
      'digiflazz settlement for 2026-11-29 is not available: upstream answered HTTP 404',
    );
    await failure.catch((error: Error) => {
      expect(error.message).not.toContain(API_KEY);
      expect(error.message).not.toContain(md5(`${USERNAME}${API_KEY}settlement20261129`));
    });
  });

  it('refuses a date that is not YYYY-MM-DD', async () => {
    await expect(adapter().fetchSettlement('2026-02-30')).rejects.toThrow(/YYYY-MM-DD/);
  });
});

describe('digiflazz logging', () => {
  it('logs every answer without the full customer number, the api key, the sign or the webhook secret', async () => {
    const { logger, lines } = capturedLogger();
    const logged = adapter({ logger, timeoutMs: 100 });
    upstream(answer({ ref_id: 'P0001', rc: '54', status: 'Gagal', message: 'Nomor 530000000002 salah' }));
    await logged.inquiry(postpaid);
    upstream(answer({ ref_id: 'P0001', rc: '00', status: 'Sukses', sn: 'SN1' }));
    await logged.pay(payOf(postpaid));
    nock(BASE).post('/v1/transaction').delay(400).reply(200, '{}');
    await logged.status(postpaid);
    logged.parseCallback({ rawBody: Buffer.from('{}'), headers: { 'x-hub-signature': 'sha1=00' } });

    const output = lines.join('\n');
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toContainEqual(
      expect.objectContaining({
        adapter: 'digiflazz',
        refId: 'P0001',
        rc: '00',
        outcome: 'success',
        msg: 'upstream answered',
      }),
    );
    expect(entries).toContainEqual(expect.objectContaining({ rc: 'TIMEOUT', outcome: 'suspect' }));
    expect(output).toContain('********0002');
    expect(output).not.toContain('530000000002');
    expect(output).not.toContain(API_KEY);
    expect(output).not.toContain(md5(USERNAME + API_KEY + 'P0001'));
    expect(output).not.toContain(SECRET);
  });
});
