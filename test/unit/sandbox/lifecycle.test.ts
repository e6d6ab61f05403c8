import { afterEach, describe, expect, it } from 'vitest';
import { MORNING, eventually, givenSandbox, type Running } from './helpers.js';

let s: Running | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const at = (iso: string) => new Date(iso);
const NEXT_DAY = at('2026-11-29T08:00:00+07:00');

describe('same-day rule', () => {
  it('fails a digiflazz pay on another WIB day with rc 02, recorded without a debit', async () => {
    s = await givenSandbox();
    await s.dgf.inquiry('pln', '530000000000', 'DAY1');
    s.sandbox.setClock(NEXT_DAY);
    const pay = await s.dgf.pay('pln', '530000000000', 'DAY1');
    expect(pay.data).toMatchObject({ rc: '02', status: 'Gagal' });
    expect(s.sandbox.stats().digiflazz.refs?.DAY1).toMatchObject({ debits: 0, state: 'failed' });
  });

  it('refuses an iak pay on another WIB day with response_code 04 and keeps nothing', async () => {
    s = await givenSandbox();
    const inquiry = await s.iak.inquiry('PLNPOSTPAID', '530000000000', 'DAY2');
    s.sandbox.setClock(NEXT_DAY);
    expect((await s.iak.pay(String(inquiry.data.tr_id))).data.response_code).toBe('04');
    expect((await s.iak.status('DAY2')).data).toMatchObject({ status: 0 });
  });

  it('lets a pay through at 23:59 WIB for an inquiry at 00:31 WIB of the same day', async () => {
    s = await givenSandbox({}, at('2026-11-28T00:31:00+07:00'));
    await s.dgf.inquiry('bpjs', '8888801234560000', 'DAY3');
    s.sandbox.setClock(at('2026-11-28T23:59:00+07:00'));
    expect((await s.dgf.pay('bpjs', '8888801234560000', 'DAY3')).data.rc).toBe('00');
  });
});

describe('PLN cut-off window (23:00–00:30 WIB by default)', () => {
  it.each([
    ['23:00', true],
    ['23:59', true],
    ['00:29', true],
    ['00:30', false],
    ['22:59', false],
  ])('at %s WIB a PLN inquiry is cut off: %s', async (time, cut) => {
    const day = time < '12:00' ? '2026-11-29' : '2026-11-28';
    s = await givenSandbox({}, at(`${day}T${time}:00+07:00`));
    expect((await s.dgf.inquiry('pln', '530000000000', 'CUT1')).data.rc).toBe(cut ? '58' : '00');
    expect((await s.iak.inquiry('PLNPOSTPAID', '530000000000', 'CUT1')).data.response_code).toBe(
      cut ? '33' : '00',
    );
  });

  it('cuts off PLN tokens and PLN pays but not BPJS or PDAM', async () => {
    s = await givenSandbox({}, at('2026-11-28T22:50:00+07:00'));
    await s.dgf.inquiry('pln', '530000000000', 'CUT2');
    const iakInquiry = await s.iak.inquiry('PLNPOSTPAID', '530000000000', 'CUT2');
    s.sandbox.setClock(at('2026-11-28T23:10:00+07:00'));
    expect((await s.dgf.pay('pln', '530000000000', 'CUT2')).data.rc).toBe('58');
    expect((await s.iak.pay(String(iakInquiry.data.tr_id))).data.response_code).toBe('33');
    expect((await s.dgf.topUp('pln20', '12345670000', 'CUT3')).data.rc).toBe('58');
    expect((await s.iak.topUp('hpln20000', '12345670000', 'CUT3')).data).toMatchObject({
      rc: '33',
      status: 2,
    });
    expect((await s.dgf.meter('12345670000')).data.rc).toBe('58');
    expect((await s.dgf.inquiry('bpjs', '8888801234560000', 'CUT4')).data.rc).toBe('00');
    expect((await s.iak.inquiry('PDAMKOTA.TANGERANG', '10200000', 'CUT4')).data.response_code).toBe('00');
    const stats = s.sandbox.stats();
    expect(stats.digiflazz.debits + stats.iak.debits).toBe(0);
  });

  it('follows a cut-off window changed at run time', async () => {
    s = await givenSandbox({}, MORNING);
    s.sandbox.configure({ cutOff: { start: '09:00', end: '11:00' } });
    expect((await s.dgf.inquiry('pln', '530000000000', 'CUT5')).data.rc).toBe('58');
  });
});

describe('deposit', () => {
  it('refuses a pay the deposit cannot cover with rc 44 / 17, creates nothing, and re-credits failures', async () => {
    s = await givenSandbox({ initialDeposit: 60_000 });
    // pln50: price 52.000 → balance 8.000
    expect((await s.dgf.topUp('pln50', '12345670000', 'DEP1')).data).toMatchObject({
      rc: '00',
      buyer_last_saldo: 8_000,
    });
    const short = await s.dgf.topUp('pln20', '12345670000', 'DEP2');
    expect(short.data).toMatchObject({ rc: '44', buyer_last_saldo: 8_000 });
    expect(s.sandbox.stats().digiflazz.refs?.DEP2).toMatchObject({ debits: 0, state: 'none' });
    expect((await s.iak.topUp('hpln50000', '12345670000', 'DEP3')).data).toMatchObject({
      rc: '00',
      balance: 8_000,
    });
    expect((await s.iak.topUp('hpln20000', '12345670000', 'DEP4')).data).toMatchObject({
      rc: '17',
      status: 2,
    });
  });

  it('gives the price of a definitive failure back at once', async () => {
    s = await givenSandbox({ initialDeposit: 60_000 });
    expect((await s.iak.topUp('hpln20000', '12345671037', 'DEP5')).data).toMatchObject({
      rc: '37',
      balance: 60_000,
    });
    expect(s.sandbox.stats().iak.refs?.DEP5).toMatchObject({ debits: 1, credits: 1, state: 'failed' });
  });

  it('gives a refunded price back so the deposit covers the next pay', async () => {
    s = await givenSandbox({ initialDeposit: 25_000 });
    const first = await s.dgf.topUp('pln20', '12345671074', 'DEP6');
    expect(first.data.buyer_last_saldo).toBe(3_000);
    expect((await s.dgf.topUp('pln20', '12345670000', 'DEP7')).data.rc).toBe('44');
    await eventually(() => s!.sandbox.stats().digiflazz.balance === 25_000);
    expect((await s.dgf.topUp('pln20', '12345670000', 'DEP8')).data.rc).toBe('00');
  });

  it('re-credits a pending payment that ends failed', async () => {
    s = await givenSandbox({ initialDeposit: 100_000 });
    const pay = await s.dgf.topUp('pln20', '12345671040', 'DEP9');
    expect(pay.data).toMatchObject({ rc: '03', buyer_last_saldo: 78_000 });
    await eventually(() => s!.sandbox.stats().digiflazz.balance === 100_000);
    expect(s.sandbox.stats().digiflazz.refs?.DEP9).toMatchObject({ debits: 1, credits: 1, state: 'failed' });
  });
});

describe('close', () => {
  it('stops pending transitions and answers a hanging inquiry at once', async () => {
    s = await givenSandbox({ pendingMs: 60_000, hangMs: 60_000 });
    await s.dgf.topUp('pln20', '12345671039', 'CLOSE1');
    const hanging = s.dgf.inquiry('pln', '530000000103', 'CLOSE2').catch(() => undefined);
    const started = Date.now();
    await s.sandbox.close();
    await hanging;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(s.sandbox.stats().digiflazz.byState.pending).toBe(1);
    s = undefined;
  });
});
