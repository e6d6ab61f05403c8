import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIakAdapter, iakOptionsSchema, type IakOptions } from '../../../adapters/iak/index.js';
import type { BillTarget, CallbackRequest } from '../../../src/billers/port.js';
import { capturedLogger, closedPort, each, expectOutcome, md5, readAll, type Expected } from './helpers.js';

const BASE = 'http://iak.test';
const PREPAID = 'http://prepaid.iak.test';
const USERNAME = '081234567890';
const API_KEY = 'iak-API-KEY-5c4b3a';

const postpaid: BillTarget = { refId: 'Q0001', sku: 'PLNPOSTPAID', customerNo: '530000000999' };
const pdam: BillTarget = { refId: 'Q0004', sku: 'PDAMKOTA.SURABAYA', customerNo: '10200000' };
const bpjs: BillTarget = { refId: 'Q0002', sku: 'BPJS', customerNo: '8801234560000', months: 2 };
const token: BillTarget = {
  refId: 'Q0003',
  sku: 'hpln100000',
  customerNo: '12345678901',
  denomination: 100_000n,
};
const payOf = (target: BillTarget, upstreamHandle?: string) => ({
  ...target,
  amount: 154_500n,
  ...(upstreamHandle ? { upstreamHandle } : {}),
});

function adapter(options: Partial<IakOptions> = {}) {
  return createIakAdapter({
    baseUrl: BASE,
    prepaidBaseUrl: PREPAID,
    username: USERNAME,
    apiKey: API_KEY,
    ...options,
  });
}

/** One upstream answer on `host + path`; `sent()` returns the JSON body the adapter posted. */
function upstream(path: string, reply: unknown, status = 200, host = BASE) {
  let sent: Record<string, unknown> | undefined;
  nock(host)
    .post(path, (body: Record<string, unknown>) => {
      sent = body;
      return true;
    })
    .reply(status, typeof reply === 'string' ? reply : JSON.stringify(reply));
  return { sent: () => sent };
}
const bill = (reply: unknown, status = 200) => upstream('/api/v1/bill/check', reply, status);
const answer = (data: Record<string, unknown>) => ({ data });

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

describe('iak options', () => {
  it('fills the documented defaults, the prepaid host defaulting to the postpaid one', async () => {
    const options = iakOptionsSchema.parse({ baseUrl: BASE, username: USERNAME, apiKey: API_KEY });
    expect(options).toMatchObject({ timeoutMs: 30_000, name: 'iak' });
    const single = createIakAdapter({ baseUrl: BASE, username: USERNAME, apiKey: API_KEY });
    expect(single.name).toBe('iak');
    const call = upstream('/api/check-status', answer({ ref_id: 'Q0003', status: 0, rc: '39' }), 200, BASE);
    await single.status(token);
    expect(call.sent()).toBeDefined();
  });

  it('refuses invalid options when loaded', () => {
    expect(() => createIakAdapter({ baseUrl: BASE, username: USERNAME, apiKey: '' })).toThrow(/apiKey/);
    expect(() =>
      createIakAdapter({ baseUrl: BASE, prepaidBaseUrl: 'nope', username: USERNAME, apiKey: API_KEY }),
    ).toThrow(/prepaidBaseUrl/);
  });
});

describe('iak postpaid inquiry', () => {
  it('sends inq-pasca signed with md5(username+apiKey+ref_id) and keeps tr_id as the handle', async () => {
    const call = bill(
      answer({
        tr_id: 29120,
        code: 'PLNPOSTPAID',
        hp: '530000000999',
        tr_name: 'BUDI SANTOSO',
        period: '202610,202611',
        nominal: 305000,
        admin: '5000',
        ref_id: 'Q0001',
        response_code: '00',
        message: 'INQUIRY SUCCESS',
        price: 310000,
        selling_price: '309000',
        desc: {
          tarif: 'R1',
          daya: 1300,
          lembar_tagihan: '2',
          bill: {
            detail: [
              {
                period: '202610',
                nominal: '150000',
                admin: 2500,
                denda: '3000',
                meter_awal: '00080000',
                meter_akhir: '00085000',
              },
              {
                period: 202611,
                nominal: 152000,
                admin: '2500',
                denda: 0,
                meter_awal: '00085000',
                meter_akhir: '00090000',
              },
            ],
          },
        },
      }),
    );

    const outcome = await adapter().inquiry(postpaid);

    expect(call.sent()).toEqual({
      commands: 'inq-pasca',
      username: USERNAME,
      code: 'PLNPOSTPAID',
      hp: '530000000999',
      ref_id: 'Q0001',
      sign: md5(USERNAME + API_KEY + 'Q0001'),
    });
    expect(outcome).toEqual({
      kind: 'bill',
      bill: {
        customerName: 'BUDI SANTOSO',
        periods: [
          { period: '202610', amount: 150_000n, penalty: 3_000n, admin: 2_500n },
          { period: '202611', amount: 152_000n, penalty: 0n, admin: 2_500n },
        ],
        billAmount: 302_000n,
        penalty: 3_000n,
        adminFee: 5_000n,
        // IAK's selling_price is what our deposit pays.
        price: 309_000n,
        upstreamHandle: '29120',
        details: { tarif: 'R1', daya: '1300', lembar_tagihan: '2', meter: '00080000-00090000' },
      },
    });
  });

  it('sends the BPJS months and reads a bill without detail from its top-level period', async () => {
    const call = bill(
      answer({
        tr_id: '777',
        tr_name: 'SITI',
        period: '202611',
        nominal: 100000,
        admin: 2500,
        ref_id: 'Q0002',
        response_code: '00',
        selling_price: 102000,
        desc: { kode_cabang: '0901', nama_cabang: 'JAKARTA PUSAT', jumlah_peserta: '2', sisa_pembayaran: 0 },
      }),
    );

    const outcome = await adapter().inquiry(bpjs);

    expect(call.sent()).toMatchObject({ commands: 'inq-pasca', code: 'BPJS', month: 2 });
    expect(outcome).toMatchObject({
      kind: 'bill',
      bill: {
        periods: [{ period: '202611', amount: 100_000n, penalty: 0n, admin: 2_500n }],
        billAmount: 100_000n,
        adminFee: 2_500n,
        price: 102_000n,
        upstreamHandle: '777',
        details: {
          kode_cabang: '0901',
          nama_cabang: 'JAKARTA PUSAT',
          jumlah_peserta: '2',
          sisa_pembayaran: '0',
        },
      },
    });
  });

  it('does not quote a bill that has no tr_id to pay it with', async () => {
    bill(answer({ ref_id: 'Q0001', response_code: '00', period: '202611', nominal: 1, selling_price: 1 }));
    expect(await adapter().inquiry(postpaid)).toMatchObject({ kind: 'unavailable', rc: 'MALFORMED' });
  });

  const inquiryTable: Array<[string, string]> = [
    ...each('05 39 03 04 06 17 42 11 02 07 09 37 38 74 99 1105', 'unavailable'),
    ...each('01 34 40', 'rejected:BILL_ALREADY_PAID'),
    ...each('14 16 08 13', 'rejected:CUSTOMER_NOT_FOUND'),
    ...each('10', 'rejected:BILL_NOT_AVAILABLE'),
    ...each('20 30 31 32 35 36 41', 'rejected:PRODUCT_UNAVAILABLE'),
  ];
  it.each(inquiryTable)('maps inquiry response_code %s to %s', async (rc, expected) => {
    bill(answer({ ref_id: 'Q0004', response_code: rc, message: `rc ${rc}` }));
    const outcome = await adapter().inquiry(pdam);
    const [kind, reason] = expected.split(':');
    expect(outcome.kind).toBe(kind);
    expect(outcome).toMatchObject({ rc, message: `rc ${rc}` });
    if (reason) expect(outcome).toHaveProperty('reason', reason);
  });

  it('reads rc 33 "try later" as a cut-off for PLN and as unavailable product otherwise', async () => {
    bill(answer({ ref_id: 'Q0001', response_code: '33' }));
    expect(await adapter().inquiry(postpaid)).toMatchObject({ kind: 'rejected', reason: 'PRODUCT_CUT_OFF' });
    bill(answer({ ref_id: 'Q0004', response_code: '33' }));
    expect(await adapter().inquiry(pdam)).toMatchObject({ kind: 'rejected', reason: 'PRODUCT_UNAVAILABLE' });
  });

  it.each([400, 500, 502, 504])('is unavailable on HTTP %i', async (status) => {
    bill('{"error_details":"x"}', status);
    expect(await adapter().inquiry(postpaid)).toMatchObject({ kind: 'unavailable', rc: `HTTP_${status}` });
  });

  it('is unavailable on a timeout, a refused connection or a malformed body', async () => {
    nock(BASE).post('/api/v1/bill/check').delay(500).reply(200, '{}');
    expect(await adapter({ timeoutMs: 100 }).inquiry(postpaid)).toMatchObject({
      kind: 'unavailable',
      rc: 'TIMEOUT',
    });
    const port = await closedPort();
    const refused = adapter({ baseUrl: `http://127.0.0.1:${port}` });
    expect(await refused.inquiry(postpaid)).toMatchObject({ kind: 'unavailable', rc: 'ECONNREFUSED' });
    bill('{"data":{"response_code":"0');
    expect(await adapter().inquiry(postpaid)).toMatchObject({ kind: 'unavailable', rc: 'MALFORMED' });
  });
});

describe('iak prepaid (PLN token)', () => {
  it('checks the meter with inquiry-pln on the prepaid host and quotes the denomination', async () => {
    const call = upstream(
      '/api/inquiry-pln',
      answer({
        customer_id: '12345678901',
        meter_no: '12345678901',
        subscriber_id: '523011111111',
        name: 'TOKO MAKMUR',
        segment_power: 'R1M /000000900',
        rc: '00',
        status: '1',
        admin: 2500,
        price: '102500',
        selling_price: 102000,
      }),
      200,
      PREPAID,
    );

    const outcome = await adapter().inquiry(token);

    expect(call.sent()).toEqual({
      username: USERNAME,
      customer_id: '12345678901',
      product_code: 'hpln100000',
      sign: md5(USERNAME + API_KEY + '12345678901'),
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
          meter_no: '12345678901',
          subscriber_id: '523011111111',
          segment_power: 'R1M /000000900',
          tarif: 'R1M',
          daya: '900',
        },
      },
    });
  });

  it('maps a wrong meter number to CUSTOMER_NOT_FOUND and rc 33 to a PLN cut-off', async () => {
    upstream('/api/inquiry-pln', answer({ rc: '14', message: 'INCORRECT DESTINATION NUMBER' }), 200, PREPAID);
    expect(await adapter().inquiry(token)).toMatchObject({
      kind: 'rejected',
      reason: 'CUSTOMER_NOT_FOUND',
      rc: '14',
    });
    upstream('/api/inquiry-pln', answer({ rc: '33' }), 200, PREPAID);
    expect(await adapter().inquiry(token)).toMatchObject({ kind: 'rejected', reason: 'PRODUCT_CUT_OFF' });
  });

  it('tops up with the ref_id sign and reads PROCESSING (status 0) as suspect', async () => {
    const call = upstream(
      '/api/top-up',
      answer({
        ref_id: 'Q0003',
        status: 0,
        code: 'hpln100000',
        customer_id: '12345678901',
        price: 102500,
        message: 'PROCESS',
        sn: '',
        rc: '39',
      }),
      200,
      PREPAID,
    );

    const outcome = await adapter().pay(payOf(token));

    expect(call.sent()).toEqual({
      username: USERNAME,
      ref_id: 'Q0003',
      customer_id: '12345678901',
      product_code: 'hpln100000',
      sign: md5(USERNAME + API_KEY + 'Q0003'),
    });
    expectOutcome(outcome, 'suspect');
  });

  it('checks a token status with check-status and formats the token from the serial', async () => {
    const call = upstream(
      '/api/check-status',
      answer({
        ref_id: 'Q0003',
        status: '1',
        rc: '00',
        message: 'SUCCESS',
        sn: '1234 5678 9012 3456 7890/TOKO MAKMUR/R1M/900/70.5',
        tr_id: 5512,
        price: 102500,
        selling_price: 102000,
      }),
      200,
      PREPAID,
    );

    const outcome = await adapter().status(token);

    expect(call.sent()).toEqual({
      username: USERNAME,
      ref_id: 'Q0003',
      sign: md5(USERNAME + API_KEY + 'Q0003'),
    });
    expect(outcome).toEqual({
      kind: 'success',
      upstreamRef: '1234 5678 9012 3456 7890/TOKO MAKMUR/R1M/900/70.5',
      token: '1234-5678-9012-3456-7890',
      price: 102_000n,
      rc: '00',
      message: 'SUCCESS',
    });
  });

  it.each<[string, number | undefined, string, Expected, Expected]>([
    ['process', 0, '39', 'suspect', 'suspect'],
    ['success', 1, '00', 'success', 'success'],
    ['success with a failure rc', 1, '37', 'suspect', 'suspect'],
    ['failed', 2, '37', 'failed:created', 'failed:created'],
    // A status answer never proves "no transaction": status 2 means IAK holds a failed one.
    ['failed on balance', 2, '17', 'failed:not-created', 'failed:created'],
    ['failed with an unknown rc', 2, '1105', 'suspect', 'suspect'],
    ['refunded', 2, '74', 'refunded', 'refunded'],
    ['without a status', undefined, '37', 'failed:created', 'suspect'],
  ])('reads a prepaid answer that says %s (status %s, rc %s)', async (_what, status, rc, onPay, onStatus) => {
    const data = { ref_id: 'Q0003', status, rc, message: 'x' };
    upstream('/api/top-up', answer(data), 200, PREPAID);
    expectOutcome(await adapter().pay(payOf(token)), onPay);
    upstream('/api/check-status', answer(data), 200, PREPAID);
    expectOutcome(await adapter().status(token), onStatus);
  });
});

describe('iak postpaid pay and checkstatus', () => {
  it('pays by tr_id signed with md5(username+apiKey+tr_id) and reports noref and selling_price', async () => {
    const call = bill(
      answer({
        tr_id: 29120,
        ref_id: 'Q0001',
        response_code: '00',
        message: 'PAYMENT SUCCESS',
        datetime: '20261128101503',
        balance: 5000000,
        noref: '0BNS25G1234567890',
        price: 310000,
        selling_price: 309000,
      }),
    );

    const outcome = await adapter().pay(payOf(postpaid, '29120'));

    expect(call.sent()).toEqual({
      commands: 'pay-pasca',
      username: USERNAME,
      tr_id: '29120',
      sign: md5(USERNAME + API_KEY + '29120'),
    });
    expect(outcome).toEqual({
      kind: 'success',
      upstreamRef: '0BNS25G1234567890',
      price: 309_000n,
      rc: '00',
      message: 'PAYMENT SUCCESS',
    });
  });

  it('fails a postpaid payment without a tr_id before sending anything', async () => {
    const outcome = await adapter().pay(payOf(postpaid));
    expect(outcome).toMatchObject({ rc: 'NO_TR_ID' });
    expectOutcome(outcome, 'failed:not-created');
  });

  const payTable: Array<[string, Expected]> = [
    ...each<Expected>('00', 'success'),
    ...each<Expected>('05 39', 'suspect'),
    ...each<Expected>('01 34 40 14 16 08 13 10 20 30 31 32 35 36 41 33 03 04 06 17 42', 'failed:not-created'),
    ...each<Expected>('11', 'suspect'),
    ...each<Expected>('02 07 09 37 38', 'failed:created'),
    ...each<Expected>('74', 'refunded'),
    ...each<Expected>('99 1105', 'suspect'),
  ];
  it.each(payTable)('maps pay response_code %s to %s', async (rc, expected) => {
    bill(answer({ tr_id: '29120', ref_id: 'Q0001', response_code: rc, message: `rc ${rc}`, noref: 'N1' }));
    const outcome = await adapter().pay(payOf(postpaid, '29120'));
    expectOutcome(outcome, expected);
    expect(outcome).toMatchObject({ rc, message: `rc ${rc}` });
  });

  it('asks checkstatus signed with md5(username+apiKey+"cs")', async () => {
    const call = bill(
      answer({ ref_id: 'Q0001', status: 1, response_code: '00', noref: 'NR1', message: 'SUCCESS' }),
    );
    const outcome = await adapter().status({ ...postpaid, upstreamHandle: '29120' });
    expect(call.sent()).toEqual({
      commands: 'checkstatus',
      username: USERNAME,
      ref_id: 'Q0001',
      sign: md5(`${USERNAME}${API_KEY}cs`),
    });
    expect(outcome).toMatchObject({ kind: 'success', upstreamRef: 'NR1' });
  });

  it.each<[string, number | string | undefined, string, Expected]>([
    ['not received', 0, '42', 'not_found'],
    ['not received, as a string', '0', '06', 'not_found'],
    ['not received with an unmapped rc', 0, '1105', 'not_found'],
    ['not received but the rc says pending', 0, '39', 'suspect'],
    ['not received but the rc says success', 0, '00', 'suspect'],
    ['success', 1, '00', 'success'],
    ['success with a failure rc', 1, '37', 'suspect'],
    ['failed', 2, '37', 'failed:created'],
    [
      'failed, already paid (a failed transaction exists: never "not created" from a status)',
      2,
      '34',
      'failed:created',
    ],
    ['failed with pending rc', 2, '39', 'suspect'],
    ['refunded', 2, '74', 'refunded'],
    ['in process', 3, '39', 'suspect'],
    ['an unknown status', 7, '00', 'suspect'],
    ['no status at all', undefined, '37', 'suspect'],
  ])('reads checkstatus %s (status %s, rc %s)', async (_what, status, rc, expected) => {
    bill(answer({ ref_id: 'Q0001', status, response_code: rc, message: 'x' }));
    expectOutcome(await adapter().status(postpaid), expected);
  });

  it('fails a payment rejected with HTTP 400 without a transaction, but a status stays suspect', async () => {
    bill('{"data":{"error_details":"bad request"}}', 400);
    const paid = await adapter().pay(payOf(postpaid, '29120'));
    expect(paid).toMatchObject({ rc: 'HTTP_400' });
    expectOutcome(paid, 'failed:not-created');
    bill('{"data":{"error_details":"bad request"}}', 400);
    expectOutcome(await adapter().status(postpaid), 'suspect');
  });

  it.each([500, 502, 504, 302, 201])('is suspect on HTTP %i, for pay and status', async (status) => {
    bill(JSON.stringify(answer({ response_code: '37' })), status);
    expect(await adapter().pay(payOf(postpaid, '29120'))).toMatchObject({
      kind: 'suspect',
      rc: `HTTP_${status}`,
    });
    bill('', status);
    expectOutcome(await adapter().status(postpaid), 'suspect');
  });

  it('is suspect when the upstream does not answer in time', async () => {
    nock(BASE)
      .post('/api/v1/bill/check')
      .delay(500)
      .reply(200, JSON.stringify(answer({ response_code: '00' })));
    expect(await adapter({ timeoutMs: 100 }).pay(payOf(postpaid, '29120'))).toMatchObject({
      kind: 'suspect',
      rc: 'TIMEOUT',
    });
  });

  it('is suspect when the socket hangs up after the request was sent', async () => {
    nock(BASE)
      .post('/api/v1/bill/check')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    expect(await adapter().pay(payOf(postpaid, '29120'))).toMatchObject({
      kind: 'suspect',
      rc: 'ECONNRESET',
    });
  });

  it('fails a payment without a transaction when the connection is refused, but a status stays suspect', async () => {
    const port = await closedPort();
    const refused = adapter({
      baseUrl: `http://127.0.0.1:${port}`,
      prepaidBaseUrl: `http://127.0.0.1:${port}`,
    });
    expectOutcome(await refused.pay(payOf(postpaid, '29120')), 'failed:not-created');
    expectOutcome(await refused.pay(payOf(token)), 'failed:not-created');
    expectOutcome(await refused.status(postpaid), 'suspect');
  });

  it.each([
    ['garbage', '<html>oops</html>'],
    ['truncated JSON', '{"data":{"ref_id":"Q0001","response_code":"00","noref":"12'],
    ['a body without any response code', JSON.stringify(answer({ ref_id: 'Q0001', message: 'ok' }))],
    [
      'a selling_price with decimals',
      JSON.stringify(answer({ ref_id: 'Q0001', response_code: '00', selling_price: 1.5 })),
    ],
  ])('is suspect on %s', async (_what, body) => {
    bill(body);
    expect(await adapter().pay(payOf(postpaid, '29120'))).toMatchObject({ kind: 'suspect', rc: 'MALFORMED' });
  });

  it('is suspect when the answer is for another ref_id or tr_id', async () => {
    bill(answer({ tr_id: '1', ref_id: 'Q0001', response_code: '37' }));
    expectOutcome(await adapter().pay(payOf(postpaid, '29120')), 'suspect');
    bill(answer({ ref_id: 'OTHER', status: 0, response_code: '42' }));
    expectOutcome(await adapter().status(postpaid), 'suspect');
  });
});

describe('iak callback', () => {
  const callback = (data: Record<string, unknown>): CallbackRequest => ({
    headers: { 'content-type': 'application/json' },
    rawBody: Buffer.from(JSON.stringify({ data })),
  });
  const signed = {
    ref_id: 'Q0003',
    status: '1',
    code: 'hpln100000',
    hp: '12345678901',
    price: 102500,
    message: 'SUCCESS',
    sn: '12345678901234567890/TOKO/R1M/900/70.5',
    balance: 4000000,
    tr_id: 5512,
    rc: '00',
    sign: md5(USERNAME + API_KEY + 'Q0003'),
  };

  it('accepts a correctly signed callback as notify-only, since the sign does not cover the status', () => {
    expect(adapter().parseCallback(callback(signed))).toEqual({
      kind: 'event',
      refId: 'Q0003',
      outcome: {
        kind: 'success',
        upstreamRef: '12345678901234567890/TOKO/R1M/900/70.5',
        token: '1234-5678-9012-3456-7890',
        rc: '00',
        message: 'SUCCESS',
      },
      trust: 'notify-only',
    });
  });

  it('maps a failed callback and accepts an upper-case sign', () => {
    const result = adapter().parseCallback(
      callback({ ...signed, status: 2, rc: '37', sign: signed.sign.toUpperCase() }),
    );
    expect(result).toMatchObject({
      kind: 'event',
      trust: 'notify-only',
      outcome: { kind: 'failed', transactionCreated: true },
    });
  });

  it.each([
    ['a wrong sign', { ...signed, sign: md5(`${USERNAME}wrong-keyQ0003`) }],
    ['a missing sign', { ...signed, sign: undefined }],
    ['a sign made for another ref_id', { ...signed, ref_id: 'Q0004' }],
    ['a sign that is not hex', { ...signed, sign: 'z'.repeat(32) }],
  ])('rejects %s', (_what, data) => {
    expect(adapter().parseCallback(callback(data))).toEqual({ kind: 'rejected', reason: 'bad_signature' });
  });

  it('rejects malformed JSON and a body without data', () => {
    expect(adapter().parseCallback({ headers: {}, rawBody: Buffer.from('{"data":') })).toEqual({
      kind: 'rejected',
      reason: 'malformed',
    });
    expect(adapter().parseCallback({ headers: {}, rawBody: Buffer.from('[]') })).toEqual({
      kind: 'rejected',
      reason: 'malformed',
    });
  });

  it('rejects a signed callback whose fields fail the schema as malformed', () => {
    expect(adapter().parseCallback(callback({ ...signed, price: 'mahal' }))).toEqual({
      kind: 'rejected',
      reason: 'malformed',
    });
  });
});

describe('iak settlement', () => {
  it('streams the settlement file of a WIB date from the postpaid host', async () => {
    const csv = 'trx_time,final_time,ref_id\nTOTAL,0,0,0\n';
    nock(BASE)
      .get('/api/v1/settlement/20261128')
      .query({ username: USERNAME, sign: md5(`${USERNAME}${API_KEY}settlement20261128`) })
      .reply(200, csv);
    expect(await readAll(await adapter().fetchSettlement('2026-11-28'))).toBe(csv);
  });

  it('throws a clear error when the upstream does not serve the file', async () => {
    nock(BASE).get('/api/v1/settlement/20261128').query(true).reply(500, 'oops');
    await expect(adapter().fetchSettlement('2026-11-28')).rejects.toThrow(
      'iak settlement for 2026-11-28 is not available: upstream answered HTTP 500',
    );
  });
});

describe('iak logging', () => {
  it('logs every answer without the full customer number, the api key or the sign', async () => {
    const { logger, lines } = capturedLogger();
    const logged = adapter({ logger });
    bill(answer({ ref_id: 'Q0001', response_code: '14', message: 'WRONG NUMBER 530000000999' }));
    await logged.inquiry(postpaid);
    bill(answer({ tr_id: '29120', ref_id: 'Q0001', response_code: '00', noref: 'N1' }));
    await logged.pay(payOf(postpaid, '29120'));
    bill('', 502);
    await logged.status(postpaid);
    logged.parseCallback({
      headers: {},
      rawBody: Buffer.from(JSON.stringify({ data: { ref_id: 'Q0001', sign: 'x' } })),
    });

    const output = lines.join('\n');
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toContainEqual(
      expect.objectContaining({
        adapter: 'iak',
        refId: 'Q0001',
        rc: '00',
        outcome: 'success',
        msg: 'upstream answered',
      }),
    );
    expect(entries).toContainEqual(expect.objectContaining({ rc: 'HTTP_502', outcome: 'suspect' }));
    expect(output).toContain('********0999');
    expect(output).not.toContain('530000000999');
    expect(output).not.toContain(API_KEY);
    expect(output).not.toContain(md5(USERNAME + API_KEY + 'Q0001'));
    expect(output).not.toContain(md5(USERNAME + API_KEY + '29120'));
  });
});
