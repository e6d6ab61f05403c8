import { afterEach, describe, expect, it } from 'vitest';
import { quoteBill } from '../../../adapters/sandbox/index.js';
import { MORNING, givenSandbox, sign, type Running } from './helpers.js';

const opened: Running[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});
async function sandbox(...args: Parameters<typeof givenSandbox>) {
  const s = await givenSandbox(...args);
  opened.push(s);
  return s;
}

const fees = { adminPerPeriod: 2_500, commissionPerPeriod: 500 };

describe('seeded determinism', () => {
  it('sells the same token and serials for the same seed and ref_id, whatever came before', async () => {
    const a = await sandbox({ seed: 42 });
    const b = await sandbox({ seed: 42 });
    await b.dgf.topUp('pln20', '12345670000', 'OTHER');
    const first = await a.dgf.topUp('pln20', '12345670000', 'SEED1');
    const second = await b.dgf.topUp('pln20', '12345670000', 'SEED1');
    expect(second.data.sn).toBe(first.data.sn);
    const c = await sandbox({ seed: 43 });
    expect((await c.dgf.topUp('pln20', '12345670000', 'SEED1')).data.sn).not.toBe(first.data.sn);
  });

  it('draws the same faults in the same order for the same seed', async () => {
    const kinds = async (seed: number) => {
      const s = await sandbox({ seed, faultRate: 0.5 });
      const seen: string[] = [];
      for (let i = 0; i < 12; i++) {
        const answer = await s.dgf.topUp('pln20', '12345670000', `F${i}`);
        seen.push(answer.status === 500 ? '500' : answer.data === undefined ? 'mangled' : 'ok');
      }
      return seen;
    };
    const first = await kinds(5);
    expect(await kinds(5)).toEqual(first);
    expect(first).toContain('ok');
  });

  it('bills a customer the same in every run and under every seed', async () => {
    const a = await sandbox({ seed: 1 });
    const b = await sandbox({ seed: 2 });
    const one = await a.dgf.inquiry('pln', '530000000999', 'B1');
    const two = await b.dgf.inquiry('pln', '530000000999', 'B2');
    expect({ ...two.data, ref_id: 'B1' }).toEqual(one.data);
    expect(one.data.customer_name).toMatch(/^[A-Z]+( [A-Z]+)?$/);
  });
});

describe('pricing facts', () => {
  const quote = (customerNo: string, now = MORNING) =>
    quoteBill({ kind: 'pln-postpaid', pln: true, length: [12, 12] }, customerNo, { periods: 4, now, fees });

  it('bills PLN postpaid as kWh × tariff with the Permen ESDM 27/2017 late fee on older periods', () => {
    const bill = quote('530000000999');
    const tariff = bill.tariff!;
    for (const [index, period] of bill.periods.entries()) {
      const kwh = Number(period.meterEnd) - Number(period.meterStart);
      expect(Number(period.amount)).toBe(Math.round((kwh * tariff.centiPerKwh) / 100));
      const lateFee =
        tariff.daya <= 900 ? 3_000 : tariff.daya <= 1300 ? 5_000 : tariff.daya <= 2200 ? 10_000 : 50_000;
      expect(Number(period.penalty)).toBe(index < 3 ? lateFee : 0);
    }
    expect(bill.price).toBe(bill.total - 4n * 500n);
  });

  it('counts periods back from the current WIB month, across a year end', () => {
    expect(quote('530000000999').periods.map((p) => p.period)).toEqual([
      '202608',
      '202609',
      '202610',
      '202611',
    ]);
    // 2027-01-01 06:00 WIB is still 2026-12-31 in UTC.
    const newYear = quote('530000000999', new Date('2026-12-31T23:00:00Z'));
    expect(newYear.periods.map((p) => p.period)).toEqual(['202610', '202611', '202612', '202701']);
  });

  it('gives a token (denomination − 3 % PPJ) / tariff kWh, rounded to 0.1', async () => {
    const s = await sandbox();
    for (const [sku, denomination] of [
      ['pln20', 20_000],
      ['pln1000', 1_000_000],
    ] as const) {
      const answer = await s.dgf.topUp(sku, '12345670000', `K${sku}`);
      const [, , , daya, kwh] = String(answer.data.sn).split('/');
      const meter = quoteBill(
        { kind: 'pln-prepaid', pln: true, denomination: BigInt(denomination), length: [11, 11] },
        '12345670000',
        {
          periods: 1,
          now: MORNING,
          fees,
        },
      );
      expect(daya).toBe(`${meter.tariff!.daya}VA`);
      expect(Number(kwh)).toBeCloseTo(
        Math.round((denomination * 0.97 * 1000) / meter.tariff!.centiPerKwh) / 10,
        5,
      );
    }
  });
});

describe('faults and latency', () => {
  it('splits faultRate 1 between HTTP 500 (nothing recorded), garbage and truncated JSON (recorded)', async () => {
    const s = await sandbox({ faultRate: 1, seed: 11 });
    const outcomes = new Map<string, string[]>();
    for (let i = 0; i < 30; i++) {
      const refId = `FAULT${i}`;
      const answer = await s.dgf.topUp('pln20', '12345670000', refId);
      const kind =
        answer.status === 500 ? 'http500' : answer.text.startsWith('<html>') ? 'garbage' : 'truncated';
      if (kind === 'truncated') expect(() => JSON.parse(answer.text) as unknown).toThrow();
      outcomes.set(kind, [...(outcomes.get(kind) ?? []), refId]);
    }
    expect([...outcomes.keys()].sort()).toEqual(['garbage', 'http500', 'truncated']);
    const refs = s.sandbox.stats().digiflazz.refs!;
    for (const refId of outcomes.get('http500')!)
      expect(refs[refId]).toMatchObject({ debits: 0, state: 'none' });
    for (const refId of outcomes.get('garbage')!)
      expect(refs[refId]).toMatchObject({ debits: 1, state: 'success' });
    // A re-send is a status check: answered cleanly.
    const resent = await s.dgf.topUp('pln20', '12345670000', outcomes.get('truncated')![0]!);
    expect(resent.data.rc).toBe('00');
  });

  it('adds latencyMs to every dialect request', async () => {
    const s = await sandbox({ latencyMs: [60, 80] });
    const started = Date.now();
    await s.iak.inquiry('PLNPOSTPAID', '530000000000', 'LAT1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });
});

describe('control routes', () => {
  it('moves the clock, changes knobs and reports stats over HTTP', async () => {
    const s = await sandbox({}, null);
    const clock = await fetch(`${s.base}/_sandbox/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ now: '2026-11-28T23:30:00+07:00' }),
    });
    expect(((await clock.json()) as { now: string }).now).toBe('2026-11-28T16:30:00.000Z');
    expect((await s.dgf.inquiry('pln', '530000000000', 'CTL1')).data.rc).toBe('58');

    const config = await s.post('/_sandbox/config', {
      cutOff: { start: '00:00', end: '00:01' },
      pendingMs: 10,
    });
    expect(config.status).toBe(200);
    expect((await s.dgf.inquiry('pln', '530000000000', 'CTL2')).data.rc).toBe('00');
    expect((await s.post('/_sandbox/config', { faultRate: 2 })).status).toBe(400);
    expect((await s.post('/_sandbox/config', { noSuchKnob: 1 })).status).toBe(400);

    await s.dgf.pay('pln', '530000000000', 'CTL2');
    const stats = (await (await fetch(`${s.base}/_sandbox/stats`)).json()) as ReturnType<
      typeof s.sandbox.stats
    >;
    expect(stats.digiflazz.refs?.CTL2).toEqual({ payRequests: 1, debits: 1, credits: 0, state: 'success' });
    expect(stats.doubleDebits).toEqual([]);
    expect(stats).toEqual(s.sandbox.stats());
    const lean = (await (await fetch(`${s.base}/_sandbox/stats?refs=0`)).json()) as ReturnType<
      typeof s.sandbox.stats
    >;
    expect(lean.digiflazz.refs).toBeUndefined();

    await s.post('/_sandbox/clock', { now: null });
    expect((await s.post('/_sandbox/callbacks/nope', { url: null })).status).toBe(404);
  });

  it('answers through app.inject without listening', async () => {
    const { createSandbox } = await import('../../../adapters/sandbox/index.js');
    const sandbox = createSandbox();
    try {
      const response = await sandbox.app.inject({
        method: 'POST',
        url: '/iak/api/check-status',
        payload: { username: 'pintu-sandbox', ref_id: 'NONE', sign: sign('NONE') },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        data: { ref_id: 'NONE', rc: '06', message: 'TRANSACTION NOT FOUND' },
      });
    } finally {
      await sandbox.close();
    }
  });

  it('rejects invalid options when created', async () => {
    const { createSandbox } = await import('../../../adapters/sandbox/index.js');
    expect(() => createSandbox({ latencyMs: [10, 5] })).toThrow(/invalid sandbox options/);
    expect(() => createSandbox({ cutOff: { start: '25:00', end: '00:30' } })).toThrow();
  });
});
