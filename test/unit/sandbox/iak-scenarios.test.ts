import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, givenSandbox, type Running } from './helpers.js';

let s: Running;
beforeAll(async () => {
  s = await givenSandbox({ resetRate: 0 });
});
afterAll(async () => s.close());

const idpel = (suffix: string) => `53000000${suffix}`;
const meter = (suffix: string) => `1234567${suffix}`;
let seq = 0;
const ref = (tag: string) => `IAK${tag}${++seq}`;
const checkStatus = async (refId: string) => (await s.iak.status(refId)).data;

describe('iak postpaid inquiry, by the customer number suffix', () => {
  it.each([
    ['0000', '00', 1],
    ['0002', '00', 2],
    ['0999', '00', 4],
    ['0001', '01', 0],
    ['0014', '14', 0],
    ['0060', '10', 0],
    ['0103', '09', 0],
  ])('suffix %s answers response_code %s with %i periods', async (suffix, rc, periods) => {
    const answer = await s.iak.inquiry('PLNPOSTPAID', idpel(suffix), ref('I'));
    expect(answer.status).toBe(200);
    expect(answer.data.response_code).toBe(rc);
    expect(answer.data.desc?.bill?.detail?.length ?? 0).toBe(periods);
    if (rc === '00') expect(answer.data.tr_id).toMatch(/^\d+$/);
  });

  it('swaps the meaning of price and selling_price: price = nominal + admin, selling_price = price − commission', async () => {
    const answer = await s.iak.inquiry('PLNPOSTPAID', idpel('0002'), ref('I'));
    const { nominal, admin, price, selling_price: sellingPrice } = answer.data;
    expect(price).toBe(nominal + admin);
    expect(sellingPrice).toBe(price - 2 * 500);
  });
});

describe('iak postpaid pay (by tr_id) and checkstatus, by the customer number suffix', () => {
  it('pays 0000 with response_code 00, a noref and the balance; checkstatus says status 1', async () => {
    const refId = ref('P');
    const { pay } = await s.iak.inquireAndPay('PLNPOSTPAID', idpel('0000'), refId);
    expect(pay.data).toMatchObject({ response_code: '00', ref_id: refId });
    expect(pay.data.noref).toMatch(/^\d{16}$/);
    expect(pay.data.datetime).toMatch(/^\d{14}$/);
    expect(typeof pay.data.balance).toBe('number');
    expect(await checkStatus(refId)).toMatchObject({ status: 1, response_code: '00', noref: pay.data.noref });
  });

  it('fails 1037 with response_code 37 and checkstatus status 2', async () => {
    const refId = ref('P');
    const { pay } = await s.iak.inquireAndPay('PLNPOSTPAID', idpel('1037'), refId);
    expect(pay.data.response_code).toBe('37');
    expect(await checkStatus(refId)).toMatchObject({ status: 2, response_code: '37' });
  });

  it.each([
    ['1039', '39', 1, '00'],
    ['1040', '39', 2, '37'],
    ['1099', '99', 1, '00'],
  ])(
    'leaves %s pending (response_code %s, status 3), then checkstatus says status %i rc %s',
    async (suffix, pendingRc, final, finalRc) => {
      const refId = ref('P');
      const { pay } = await s.iak.inquireAndPay('PLNPOSTPAID', idpel(suffix), refId);
      expect(pay.data.response_code).toBe(pendingRc);
      expect(await checkStatus(refId)).toMatchObject({ status: 3, response_code: pendingRc });
      await eventually(async () => (await checkStatus(refId)).status === final);
      expect((await checkStatus(refId)).response_code).toBe(finalRc);
    },
  );

  it('answers 1042 with HTTP 504 and checkstatus status 0 (payment request not received)', async () => {
    const refId = ref('P');
    const { pay } = await s.iak.inquireAndPay('PLNPOSTPAID', idpel('1042'), refId);
    expect(pay.status).toBe(504);
    expect(await checkStatus(refId)).toMatchObject({ status: 0, response_code: '42' });
  });

  it('answers 1105 with HTTP 500 while checkstatus reveals the success', async () => {
    const refId = ref('P');
    const { pay } = await s.iak.inquireAndPay('PLNPOSTPAID', idpel('1105'), refId);
    expect(pay.status).toBe(500);
    expect(await checkStatus(refId)).toMatchObject({ status: 1, response_code: '00' });
  });

  it('refunds 1074 after refundMs: checkstatus status 2 with rc 74', async () => {
    const refId = ref('P');
    const { pay } = await s.iak.inquireAndPay('PLNPOSTPAID', idpel('1074'), refId);
    expect(pay.data.response_code).toBe('00');
    await eventually(async () => (await checkStatus(refId)).response_code === '74');
    expect((await checkStatus(refId)).status).toBe(2);
  });

  it('answers rc 06 to a pay with an unknown tr_id and status 0 for an unknown ref', async () => {
    expect((await s.iak.pay('999999999')).data.response_code).toBe('06');
    expect(await checkStatus(ref('P'))).toMatchObject({ status: 0 });
  });

  it('answers the stored transaction when the same tr_id is paid again, without a second debit', async () => {
    const refId = ref('P');
    const { trId, pay } = await s.iak.inquireAndPay('PLNPOSTPAID', idpel('0000'), refId);
    const again = await s.iak.pay(trId);
    expect(again.data).toMatchObject({
      response_code: '00',
      noref: pay.data.noref,
      balance: pay.data.balance,
    });
    expect(s.sandbox.stats().iak.refs?.[refId]).toMatchObject({ payRequests: 2, debits: 1 });
  });
});

describe('iak PLN token (prepaid)', () => {
  it('tops up with status 1, the token in sn, and selling_price as what the deposit pays', async () => {
    const answer = await s.iak.topUp('hpln20000', meter('0000'), ref('T'));
    expect(answer.data).toMatchObject({ status: 1, rc: '00', price: 22_500, selling_price: 22_000 });
    expect(answer.data.sn).toMatch(/^\d{4}(-\d{4}){4}\//);
  });

  it.each([
    ['1037', 2, '37'],
    ['1039', 0, '39'],
    ['1099', 0, '99'],
    ['0014', 2, '14'],
    ['0103', 2, '09'],
  ])('answers a %s top-up with status %i rc %s', async (suffix, status, rc) => {
    expect((await s.iak.topUp('hpln50000', meter(suffix), ref('T'))).data).toMatchObject({ status, rc });
  });

  it('resolves a pending top-up after pendingMs, seen by check-status', async () => {
    const refId = ref('T');
    await s.iak.topUp('hpln50000', meter('1039'), refId);
    await eventually(async () => (await s.iak.prepaidStatus(refId)).data.status === 1);
    expect((await s.iak.prepaidStatus(refId)).data.sn).toMatch(/^\d{4}-/);
  });

  it('answers check-status of an unknown ref with rc 06 and no status digit', async () => {
    const answer = await s.iak.prepaidStatus(ref('T'));
    expect(answer.data.rc).toBe('06');
    expect(answer.data.status).toBeUndefined();
  });

  it('quotes a product on inquiry-pln and rejects wrong numbers', async () => {
    const answer = await s.iak.meter(meter('0000'), 'hpln100000');
    expect(answer.data).toMatchObject({ rc: '00', admin: 2_500, price: 102_500, selling_price: 102_000 });
    expect((await s.iak.meter(meter('0014'))).data.rc).toBe('14');
    expect((await s.iak.meter('12345')).data.rc).toBe('14');
  });
});

describe('iak BPJS and PDAM', () => {
  it('bills BPJS for the months asked', async () => {
    const answer = await s.iak.inquiry('BPJS', '8988801234560000', ref('B'), { month: 2 });
    expect(answer.data.desc.bill.detail).toHaveLength(2);
    expect(answer.data.desc.jumlah_peserta).toBeGreaterThanOrEqual(1);
  });

  it('pays PDAMKOTA.TANGERANG and PDAMKOTA.SURABAYA', async () => {
    for (const code of ['PDAMKOTA.TANGERANG', 'PDAMKOTA.SURABAYA']) {
      const { pay } = await s.iak.inquireAndPay(code, '102000000', ref('W'));
      expect(pay.data.response_code).toBe('00');
    }
  });
});
