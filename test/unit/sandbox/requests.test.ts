import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USERNAME, givenSandbox, md5, sign, type Running } from './helpers.js';

let s: Running;
beforeAll(async () => {
  s = await givenSandbox();
});
afterAll(async () => s.close());

let seq = 0;
const ref = (tag: string) => `REQ${tag}${++seq}`;

describe('signatures and credentials', () => {
  it('refuses a digiflazz request with a wrong sign with rc 41 and creates nothing', async () => {
    const refId = ref('S');
    const answer = await s.dgf.raw({
      commands: 'inq-pasca',
      username: USERNAME,
      buyer_sku_code: 'pln',
      customer_no: '530000000000',
      ref_id: refId,
      sign: md5(`${USERNAME}wrong-key${refId}`),
    });
    expect(answer.data).toMatchObject({ rc: '41', status: 'Gagal' });
    expect(s.sandbox.stats().digiflazz.refs?.[refId]).toBeUndefined();
    expect((await s.dgf.status('pln', '530000000000', refId)).data.rc).toBe('50');
  });

  it('refuses a digiflazz top-up signed over another ref_id with rc 41 and no debit', async () => {
    const before = s.sandbox.stats().digiflazz.balance;
    const answer = await s.dgf.raw({
      username: USERNAME,
      buyer_sku_code: 'pln20',
      customer_no: '12345670000',
      ref_id: ref('S'),
      sign: sign('another-ref'),
    });
    expect(answer.data.rc).toBe('41');
    expect(s.sandbox.stats().digiflazz.balance).toBe(before);
  });

  it('refuses an unknown digiflazz username with rc 42', async () => {
    const refId = ref('S');
    const answer = await s.dgf.raw({
      username: 'someone',
      buyer_sku_code: 'pln20',
      customer_no: '12345670000',
      ref_id: refId,
      sign: sign(refId),
    });
    expect(answer.data.rc).toBe('42');
  });

  it('checks the meter-check sign over the customer number', async () => {
    const answer = await s.dgf.raw({
      commands: 'pln-subscribe',
      username: USERNAME,
      customer_no: '12345670000',
      sign: sign('x'),
    });
    expect(answer.data.rc).toBe('41');
  });

  it('answers a body that is not JSON with HTTP 400 and rc 40', async () => {
    const response = await fetch(`${s.base}/digiflazz/v1/transaction`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username":',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { data: { rc: string } }).data.rc).toBe('40');
  });

  it.each([
    [
      'inq-pasca with a wrong sign',
      () => s.iak.inquiry('PLNPOSTPAID', '530000000000', 'X1', { sign: 'f'.repeat(32) }),
    ],
    [
      'pay-pasca signed over the ref instead of the tr_id',
      () =>
        s.post('/iak/api/v1/bill/check', {
          commands: 'pay-pasca',
          username: USERNAME,
          tr_id: '700000001',
          sign: sign('X1'),
        }),
    ],
    [
      'checkstatus signed over the ref instead of "cs"',
      () =>
        s.post('/iak/api/v1/bill/check', {
          commands: 'checkstatus',
          username: USERNAME,
          ref_id: 'X1',
          sign: sign('X1'),
        }),
    ],
    [
      'a top-up with a wrong sign',
      () =>
        s.post('/iak/api/top-up', {
          username: USERNAME,
          ref_id: 'X2',
          customer_id: '12345670000',
          product_code: 'hpln20000',
          sign: sign('X3'),
        }),
    ],
    [
      'an unknown username',
      () =>
        s.post('/iak/api/check-status', {
          username: 'someone',
          ref_id: 'X2',
          sign: md5(`someonesandbox-dev-keyX2`),
        }),
    ],
    ['a body without its fields', () => s.post('/iak/api/top-up', { username: USERNAME })],
  ])('refuses iak %s with HTTP 400 and creates nothing', async (_what, call) => {
    const before = s.sandbox.stats().iak;
    const answer = await call();
    expect(answer.status).toBe(400);
    const after = s.sandbox.stats().iak;
    expect(after.transactions).toBe(before.transactions);
    expect(after.balance).toBe(before.balance);
  });
});

describe('products and customer numbers', () => {
  it.each([
    ['digiflazz', 'unknown SKU', () => s.dgf.inquiry('telkom', '530000000000', ref('K')), '43'],
    ['digiflazz', 'a token SKU on inq-pasca', () => s.dgf.inquiry('pln20', '12345670000', ref('K')), '43'],
    ['digiflazz', 'an 11-digit IDPEL', () => s.dgf.inquiry('pln', '53000000000', ref('K')), '57'],
    ['digiflazz', 'a 12-digit meter', () => s.dgf.topUp('pln20', '123456700000', ref('K')), '57'],
    ['digiflazz', 'a 7-digit PDAM number', () => s.dgf.inquiry('pdamtgr', '1020000', ref('K')), '57'],
    [
      'digiflazz',
      'a BPJS VA without 88888/89888',
      () => s.dgf.inquiry('bpjs', '1234501234560000', ref('K')),
      '52',
    ],
  ])('%s refuses %s with rc %s and records nothing', async (_dialect, _what, call, rc) => {
    const before = s.sandbox.stats().digiflazz.transactions;
    expect((await call()).data.rc).toBe(rc);
    expect(s.sandbox.stats().digiflazz.transactions).toBe(before);
  });

  it.each([
    ['unknown product code', () => s.iak.inquiry('TELKOMPSTN', '530000000000', ref('K')), '20'],
    ['an 11-digit IDPEL', () => s.iak.inquiry('PLNPOSTPAID', '53000000000', ref('K')), '14'],
    ['a BPJS VA of 15 digits', () => s.iak.inquiry('BPJS', '888880123456000', ref('K')), '14'],
  ])('iak refuses %s with response_code %s and records nothing', async (_what, call, rc) => {
    const before = s.sandbox.stats().iak.transactions;
    expect((await call()).data.response_code).toBe(rc);
    expect(s.sandbox.stats().iak.transactions).toBe(before);
  });

  it('iak refuses a top-up to a wrong-length meter with rc 14 and status 2', async () => {
    expect((await s.iak.topUp('hpln20000', '1234', ref('K'))).data).toMatchObject({ rc: '14', status: 2 });
    expect((await s.iak.topUp('hpln30000', '12345670000', ref('K'))).data).toMatchObject({
      rc: '20',
      status: 2,
    });
  });
});

describe('duplicate ref_ids', () => {
  it('returns the stored transaction for a re-sent digiflazz pay, never a second debit', async () => {
    const refId = ref('D');
    await s.dgf.inquiry('pln', '530000000000', refId);
    const first = await s.dgf.pay('pln', '530000000000', refId);
    const second = await s.dgf.pay('pln', '530000000000', refId);
    expect(second.data).toMatchObject({
      rc: '00',
      sn: first.data.sn,
      buyer_last_saldo: first.data.buyer_last_saldo,
    });
    expect(s.sandbox.stats().digiflazz.refs?.[refId]).toMatchObject({ payRequests: 2, debits: 1 });
  });

  it('answers digiflazz rc 49 when the ref_id comes back with another product or customer', async () => {
    const refId = ref('D');
    await s.dgf.inquiry('pln', '530000000000', refId);
    expect((await s.dgf.inquiry('bpjs', '8888801234560000', refId)).data.rc).toBe('49');
    expect((await s.dgf.pay('pln', '530000000002', refId)).data.rc).toBe('49');
    expect((await s.dgf.topUp('pln20', '12345670000', refId)).data.rc).toBe('49');
    expect(s.sandbox.stats().digiflazz.refs?.[refId]?.debits ?? 0).toBe(0);
  });

  it('answers digiflazz rc 49 when a BPJS ref_id comes back for another number of months', async () => {
    const refId = ref('D');
    await s.dgf.inquiry('bpjs', '8888801234560000', refId, { month: 2 });
    expect((await s.dgf.inquiry('bpjs', '8888801234560000', refId, { month: 3 })).data.rc).toBe('49');
  });

  it('answers iak response_code 11 when the ref_id comes back with another product or customer', async () => {
    const refId = ref('D');
    await s.iak.inquiry('PLNPOSTPAID', '530000000000', refId);
    expect((await s.iak.inquiry('PLNPOSTPAID', '530000000002', refId)).data.response_code).toBe('11');
    expect((await s.iak.topUp('hpln20000', '12345670000', refId)).data.rc).toBe('11');
  });

  it('debits exactly once when twenty pays of one ref_id arrive at the same time', async () => {
    s.sandbox.configure({ latencyMs: [0, 20] });
    try {
      const refId = ref('C');
      await s.dgf.inquiry('pln', '530000000000', refId);
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => s.dgf.pay('pln', '530000000000', refId)),
      );
      expect(answers.every((a) => a.data.rc === '00')).toBe(true);
      const topUpRef = ref('C');
      await Promise.all(Array.from({ length: 20 }, () => s.iak.topUp('hpln20000', '12345670000', topUpRef)));
      const stats = s.sandbox.stats();
      expect(stats.digiflazz.refs?.[refId]).toMatchObject({ payRequests: 20, debits: 1 });
      expect(stats.iak.refs?.[topUpRef]).toMatchObject({ payRequests: 20, debits: 1 });
      expect(stats.doubleDebits).toEqual([]);
    } finally {
      s.sandbox.configure({ latencyMs: [0, 0] });
    }
  });
});
