import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, givenSandbox, type Answer, type Running } from './helpers.js';

let s: Running;
beforeAll(async () => {
  s = await givenSandbox({ resetRate: 0 });
});
afterAll(async () => s.close());

const idpel = (suffix: string) => `53000000${suffix}`;
const meter = (suffix: string) => `1234567${suffix}`;
let seq = 0;
const ref = (tag: string) => `DGF${tag}${++seq}`;

const statusOf = async (customerNo: string, refId: string): Promise<Answer> =>
  s.dgf.status('pln', customerNo, refId);

describe('digiflazz postpaid inquiry, by the customer number suffix', () => {
  it.each([
    ['0000', '00', 'Sukses', 1],
    ['0002', '00', 'Sukses', 2],
    ['0999', '00', 'Sukses', 4],
    ['4321', '00', 'Sukses', 1],
    ['0001', '60', 'Gagal', 0],
    ['0014', '54', 'Gagal', 0],
    ['0060', '60', 'Gagal', 0],
    ['0103', '01', 'Gagal', 0],
  ])('suffix %s answers rc %s (%s) with %i periods', async (suffix, rc, status, periods) => {
    const answer = await s.dgf.inquiry('pln', idpel(suffix), ref('I'));
    expect(answer.status).toBe(200);
    expect(answer.data).toMatchObject({ rc, status });
    expect(answer.data.desc?.detail?.length ?? 0).toBe(periods);
  });

  it('answers a bill whose selling_price is bill + denda + admin and whose price takes the commission off', async () => {
    const answer = await s.dgf.inquiry('pln', idpel('0999'), ref('I'));
    const detail: Array<{ nilai_tagihan: string; admin: string; denda: string }> = answer.data.desc.detail;
    const total = detail.reduce(
      (sum, d) => sum + Number(d.nilai_tagihan) + Number(d.admin) + Number(d.denda),
      0,
    );
    expect(answer.data.selling_price).toBe(total);
    expect(answer.data.price).toBe(total - 4 * 500);
    expect(answer.data.admin).toBe(4 * 2_500);
    expect(detail.map((d) => d.admin)).toEqual(['2500', '2500', '2500', '2500']);
  });

  it('holds the 0103 inquiry for hangMs before answering the timeout', async () => {
    const started = Date.now();
    await s.dgf.inquiry('pln', idpel('0103'), ref('I'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});

describe('digiflazz postpaid pay and status, by the customer number suffix', () => {
  const inquireAndPay = async (suffix: string) => {
    const refId = ref('P');
    const customerNo = idpel(suffix);
    const inquiry = await s.dgf.inquiry('pln', customerNo, refId);
    expect(inquiry.data.rc).toBe('00');
    return { refId, customerNo, pay: await s.dgf.pay('pln', customerNo, refId) };
  };

  it('pays 0000 with rc 00, an sn and the new deposit balance, and status agrees', async () => {
    const before = s.sandbox.stats().digiflazz.balance;
    const { refId, customerNo, pay } = await inquireAndPay('0000');
    expect(pay.data).toMatchObject({ rc: '00', status: 'Sukses', ref_id: refId });
    expect(pay.data.sn).toMatch(/^\d{16}$/);
    expect(pay.data.buyer_last_saldo).toBe(before - pay.data.price);
    expect((await statusOf(customerNo, refId)).data).toMatchObject({
      rc: '00',
      status: 'Sukses',
      sn: pay.data.sn,
    });
  });

  it('fails 1037 definitively with rc 02 and gives the deposit back', async () => {
    const before = s.sandbox.stats().digiflazz.balance;
    const { refId, customerNo, pay } = await inquireAndPay('1037');
    expect(pay.data).toMatchObject({ rc: '02', status: 'Gagal', sn: '' });
    expect(s.sandbox.stats().digiflazz.balance).toBe(before);
    expect((await statusOf(customerNo, refId)).data).toMatchObject({ rc: '02', status: 'Gagal' });
  });

  it.each([
    ['1039', '03', '00', 'Sukses'],
    ['1040', '03', '02', 'Gagal'],
    ['1099', '99', '00', 'Sukses'],
  ])(
    'leaves %s Pending with rc %s, then status shows rc %s (%s) after pendingMs',
    async (suffix, pendingRc, finalRc, final) => {
      const { refId, customerNo, pay } = await inquireAndPay(suffix);
      expect(pay.data).toMatchObject({ rc: pendingRc, status: 'Pending' });
      expect((await statusOf(customerNo, refId)).data).toMatchObject({ rc: pendingRc, status: 'Pending' });
      await eventually(async () => (await statusOf(customerNo, refId)).data.rc === finalRc);
      expect((await statusOf(customerNo, refId)).data.status).toBe(final);
    },
  );

  it('answers 1042 with HTTP 504, records nothing, and status says rc 50', async () => {
    const { refId, customerNo, pay } = await inquireAndPay('1042');
    expect(pay.status).toBe(504);
    expect((await statusOf(customerNo, refId)).data).toMatchObject({ rc: '50', status: 'Gagal' });
    expect(s.sandbox.stats().digiflazz.refs?.[refId]).toMatchObject({
      payRequests: 1,
      debits: 0,
      state: 'inquired',
    });
  });

  it('answers 1105 with HTTP 500 although it recorded and debited a success', async () => {
    const { refId, customerNo, pay } = await inquireAndPay('1105');
    expect(pay.status).toBe(500);
    expect((await statusOf(customerNo, refId)).data).toMatchObject({ rc: '00', status: 'Sukses' });
    expect(s.sandbox.stats().digiflazz.refs?.[refId]).toMatchObject({ debits: 1, state: 'success' });
  });

  it('resets the socket on 1105 when resetRate is 1', async () => {
    s.sandbox.configure({ resetRate: 1 });
    try {
      const refId = ref('P');
      await s.dgf.inquiry('pln', idpel('1105'), refId);
      await expect(s.dgf.pay('pln', idpel('1105'), refId)).rejects.toThrow();
      expect((await statusOf(idpel('1105'), refId)).data.rc).toBe('00');
    } finally {
      s.sandbox.configure({ resetRate: 0 });
    }
  });

  it('refunds 1074 after refundMs: status rc 74 and the price back on the deposit', async () => {
    const { refId, customerNo, pay } = await inquireAndPay('1074');
    expect(pay.data.rc).toBe('00');
    const afterPay = s.sandbox.stats().digiflazz.balance;
    await eventually(async () => (await statusOf(customerNo, refId)).data.rc === '74');
    expect((await statusOf(customerNo, refId)).data.status).toBe('Gagal');
    expect(s.sandbox.stats().digiflazz.balance).toBe(afterPay + pay.data.price);
  });

  it('answers rc 50 to a pay or status without an inquiry', async () => {
    const refId = ref('P');
    expect((await s.dgf.pay('pln', idpel('0000'), refId)).data.rc).toBe('50');
    expect((await statusOf(idpel('0000'), refId)).data.rc).toBe('50');
  });

  it('answers status rc 50 for an inquiry that was never paid', async () => {
    const refId = ref('P');
    await s.dgf.inquiry('pln', idpel('0000'), refId);
    expect((await statusOf(idpel('0000'), refId)).data.rc).toBe('50');
  });
});

describe('digiflazz PLN token (prepaid top-up)', () => {
  it('sells a token with sn TOKEN/NAME/TARIF/DAYA/KWH and a 20-digit token', async () => {
    const answer = await s.dgf.topUp('pln20', meter('0000'), ref('T'));
    expect(answer.data).toMatchObject({ rc: '00', status: 'Sukses', price: 22_000, selling_price: 22_500 });
    expect(answer.data.sn).toMatch(/^\d{4}-\d{4}-\d{4}-\d{4}-\d{4}\/[A-Z ]+\/R\w*\/\d+VA\/\d+\.\d$/);
  });

  it('treats a re-sent ref_id as a status check and never charges twice', async () => {
    const refId = ref('T');
    const first = await s.dgf.topUp('pln50', meter('0000'), refId);
    const again = await s.dgf.topUp('pln50', meter('0000'), refId);
    expect(again.data.sn).toBe(first.data.sn);
    expect(again.data.buyer_last_saldo).toBe(first.data.buyer_last_saldo);
    expect(s.sandbox.stats().digiflazz.refs?.[refId]).toMatchObject({ payRequests: 2, debits: 1 });
  });

  it.each([
    ['1037', '02', 'Gagal'],
    ['1039', '03', 'Pending'],
    ['1099', '99', 'Pending'],
    ['0014', '54', 'Gagal'],
    ['0103', '01', 'Gagal'],
  ])('answers a %s top-up with rc %s (%s)', async (suffix, rc, status) => {
    const answer = await s.dgf.topUp('pln100', meter(suffix), ref('T'));
    expect(answer.data).toMatchObject({ rc, status });
  });

  it('quotes a denomination on the meter check (pln-subscribe)', async () => {
    const answer = await s.dgf.meter(meter('0000'), 'pln100');
    expect(answer.data).toMatchObject({ rc: '00', meter_no: meter('0000'), admin: 2_500, price: 102_000 });
    expect(answer.data.segment_power).toMatch(/^R\w* \/\d{9}$/);
    expect((await s.dgf.meter(meter('0014'))).data.rc).toBe('54');
  });
});

describe('digiflazz BPJS and PDAM', () => {
  it('bills BPJS premium × jumlah_peserta × months', async () => {
    const answer = await s.dgf.inquiry('bpjs', '8888801234560000', ref('B'), { month: 3 });
    const desc = answer.data.desc;
    expect(desc.detail).toHaveLength(3);
    const premium = Number(desc.detail[0].nilai_tagihan) / desc.jumlah_peserta;
    expect([35_000, 100_000, 150_000]).toContain(premium);
    expect(desc.jumlah_peserta).toBeGreaterThanOrEqual(1);
    expect(desc.jumlah_peserta).toBeLessThanOrEqual(4);
  });

  it('pays PDAM Tirta Benteng and PDAM Surabaya bills', async () => {
    for (const sku of ['pdamtgr', 'pdamsby']) {
      const refId = ref('W');
      expect((await s.dgf.inquiry(sku, '10200002', refId)).data.desc.detail).toHaveLength(2);
      expect((await s.dgf.pay(sku, '10200002', refId)).data.rc).toBe('00');
    }
  });
});
