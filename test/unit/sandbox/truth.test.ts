/**
 * The sandbox's ground-truth handles for simulations: `GET /_sandbox/truth`, the settlement control route that
 * ignores the 04:00 D+1 rule, Digiflazz `max_price` on top-ups, and the per-ref callback log.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxTruth } from '../../../adapters/sandbox/index.js';
import { givenCallbackReceiver, givenSandbox, MORNING, sign, USERNAME, type Running } from './helpers.js';

const running: Running[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.close();
  for (const close of closers.splice(0)) await close();
});

async function sandbox(options: Parameters<typeof givenSandbox>[0] = {}) {
  const s = await givenSandbox(options);
  running.push(s);
  return s;
}

const topUpWithMax = (s: Running, refId: string, maxPrice: number | string) =>
  s.dgf.raw({
    username: USERNAME,
    buyer_sku_code: 'pln20',
    customer_no: '12345670000',
    ref_id: refId,
    sign: sign(refId),
    max_price: maxPrice,
  });

describe('sandbox truth', () => {
  it('lists every transaction with its state, debit, price and counters, and the deposit', async () => {
    const s = await sandbox();
    await s.dgf.inquiry('pln', '530000000000', 'T1');
    await s.dgf.pay('pln', '530000000000', 'T1');
    await s.dgf.inquiry('pln', '530000001037', 'T2');
    await s.dgf.pay('pln', '530000001037', 'T2');
    await s.dgf.inquiry('pln', '530000000001', 'T3'); // already paid: no transaction

    const truth = (await (await fetch(`${s.base}/_sandbox/truth`)).json()) as SandboxTruth;
    const byRef = Object.fromEntries(truth.digiflazz.transactions.map((t) => [t.refId, t]));
    expect(byRef.T1).toMatchObject({
      state: 'success',
      debited: true,
      debits: 1,
      credits: 0,
      payRequests: 1,
      scenario: '0000',
    });
    expect(byRef.T1!.finals).toEqual([{ status: 'SUCCESS', at: MORNING.toISOString(), date: '2026-11-28' }]);
    expect(byRef.T1!.price).toBe(byRef.T1!.total - 500);
    expect(byRef.T2).toMatchObject({ state: 'failed', debited: false, debits: 1, credits: 1 });
    expect(byRef.T3).toBeUndefined();
    expect(truth.digiflazz.balance).toBe(1_000_000_000 - byRef.T1!.price);
    expect(truth.iak.transactions).toEqual([]);
    expect(truth.doubleDebits).toEqual([]);
  });

  it('names pay requests for refs that never became a transaction (1042: nothing recorded)', async () => {
    const s = await sandbox();
    const answer = await s.iak.topUp('hpln20000', '12345671042', 'LOST1');
    expect(answer.status).toBe(504);
    const truth = s.sandbox.truth();
    expect(truth.iak.transactions).toEqual([]);
    expect(truth.iak.untracked).toEqual([{ refId: 'LOST1', payRequests: 1, debits: 0, credits: 0 }]);
  });

  it('records what became of each callback the upstream meant to send', async () => {
    const receiver = await givenCallbackReceiver();
    closers.push(receiver.close);
    const s = await sandbox();
    s.sandbox.setCallbackUrl('digiflazz', receiver.url);
    s.sandbox.setCallbackUrl('iak', receiver.url);
    await s.dgf.topUp('pln20', '12345670000', 'CB1');
    s.sandbox.configure({ dropRate: 1 });
    await s.iak.topUp('hpln20000', '12345670000', 'CB2');
    await expect.poll(() => receiver.received.length).toBe(1);
    const truth = s.sandbox.truth();
    expect(truth.digiflazz.transactions[0]!.callbacks).toEqual([
      { event: 'create', state: 'success', fate: 'delivered', tries: 1 },
    ]);
    expect(truth.iak.transactions[0]!.callbacks).toEqual([
      { event: 'create', state: 'success', fate: 'dropped', tries: 0 },
    ]);
  });
});

describe('settlement control route', () => {
  it('renders a day at once, where the dialect route still answers 404 before 04:00 on D+1', async () => {
    const s = await sandbox();
    await s.dgf.inquiry('pln', '530000000000', 'S1');
    await s.dgf.pay('pln', '530000000000', 'S1');
    const control = await fetch(`${s.base}/_sandbox/settlement/digiflazz/2026-11-28`);
    expect(control.status).toBe(200);
    expect(control.headers.get('content-type')).toContain('text/csv');
    const lines = (await control.text()).trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(',S1,');
    expect(lines[2]).toMatch(/^TOTAL,1,\d+,\d+$/);
    expect((await s.get('/digiflazz/v1/settlement/20261128?username=x&sign=y')).status).toBe(401);
  });

  it('refuses a bad dialect or date', async () => {
    const s = await sandbox();
    expect((await fetch(`${s.base}/_sandbox/settlement/xendit/2026-11-28`)).status).toBe(404);
    expect((await fetch(`${s.base}/_sandbox/settlement/iak/2026-02-30`)).status).toBe(400);
    expect((await fetch(`${s.base}/_sandbox/settlement/iak/20261128`)).status).toBe(400);
  });
});

describe('digiflazz max_price on top-ups', () => {
  it('fails a top-up priced above max_price with rc 02, recorded, the deposit untouched', async () => {
    const s = await sandbox();
    const meter = await s.dgf.meter('12345670000', 'pln20');
    const price = Number(meter.data.price);
    s.sandbox.configure({ adminPerPeriod: 3_000 }); // the price drifts up after the meter check
    const answer = await topUpWithMax(s, 'MAX1', price);
    expect(answer.data).toMatchObject({ rc: '02', status: 'Gagal', message: 'Harga melebihi max_price' });
    const truth = s.sandbox.truth();
    expect(truth.digiflazz.transactions[0]).toMatchObject({
      refId: 'MAX1',
      state: 'failed',
      debited: false,
      debits: 0,
    });
    expect(truth.digiflazz.balance).toBe(1_000_000_000);
    // Re-sending the ref is the status check: still the same failed transaction, never a second try.
    expect((await topUpWithMax(s, 'MAX1', price + 10_000)).data.rc).toBe('02');
  });

  it('pays a top-up at or below max_price (numeric strings too)', async () => {
    const s = await sandbox();
    const price = Number((await s.dgf.meter('12345670000', 'pln20')).data.price);
    expect((await topUpWithMax(s, 'MAX2', price)).data).toMatchObject({ rc: '00', status: 'Sukses' });
    expect((await topUpWithMax(s, 'MAX3', String(price + 1))).data.rc).toBe('00');
    expect((await topUpWithMax(s, 'MAX4', 'abc')).data.rc).toBe('40');
  });
});
