/**
 * The sandbox is only right if the real adapters read its answers as the port's outcomes the scenario table
 * promises (docs/upstream-wire.md). These run adapters/digiflazz and adapters/iak against it over HTTP.
 */
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDigiflazzAdapter } from '../../../adapters/digiflazz/index.js';
import { createIakAdapter } from '../../../adapters/iak/index.js';
import type { BillerAdapter, BillTarget } from '../../../src/billers/port.js';
import {
  API_KEY,
  USERNAME,
  WEBHOOK_SECRET,
  eventually,
  givenCallbackReceiver,
  givenSandbox,
  type Running,
} from './helpers.js';

let s: Running;
let receiver: Awaited<ReturnType<typeof givenCallbackReceiver>>;
let adapters: Record<'digiflazz' | 'iak', BillerAdapter>;
beforeAll(async () => {
  s = await givenSandbox({ resetRate: 0.5 });
  receiver = await givenCallbackReceiver();
  s.sandbox.setCallbackUrl('digiflazz', receiver.url);
  s.sandbox.setCallbackUrl('iak', receiver.url);
  adapters = {
    digiflazz: createDigiflazzAdapter({
      baseUrl: `${s.base}/digiflazz`,
      username: USERNAME,
      apiKey: API_KEY,
      webhookSecret: WEBHOOK_SECRET,
      timeoutMs: 2_000,
    }),
    iak: createIakAdapter({
      baseUrl: `${s.base}/iak`,
      username: USERNAME,
      apiKey: API_KEY,
      timeoutMs: 2_000,
    }),
  };
});
afterAll(async () => {
  await s.close();
  await receiver.close();
});

const SKU = { digiflazz: { pln: 'pln', token: 'pln20' }, iak: { pln: 'PLNPOSTPAID', token: 'hpln20000' } };
let seq = 0;
const ref = () => `ADP${++seq}`;

describe.each(['digiflazz', 'iak'] as const)('the %s adapter against the sandbox', (dialect) => {
  const plnTarget = (suffix: string): BillTarget => ({
    refId: ref(),
    sku: SKU[dialect].pln,
    customerNo: `53000000${suffix}`,
  });

  it.each([
    ['0001', dialect === 'digiflazz' ? 'BILL_NOT_AVAILABLE' : 'BILL_ALREADY_PAID'],
    ['0014', 'CUSTOMER_NOT_FOUND'],
    ['0060', 'BILL_NOT_AVAILABLE'],
  ])('rejects the %s inquiry as %s', async (suffix, reason) => {
    expect(await adapters[dialect].inquiry(plnTarget(suffix))).toMatchObject({ kind: 'rejected', reason });
  });

  it('finds the 0103 inquiry unavailable and 0999 a four-period bill', async () => {
    expect((await adapters[dialect].inquiry(plnTarget('0103'))).kind).toBe('unavailable');
    const bill = await adapters[dialect].inquiry(plnTarget('0999'));
    if (bill.kind !== 'bill') throw new Error(`expected a bill, got ${bill.kind}`);
    expect(bill.bill.periods).toHaveLength(4);
    expect(bill.bill.price).toBe(bill.bill.billAmount + bill.bill.penalty + bill.bill.adminFee - 2_000n);
  });

  const payAndWatch = async (suffix: string) => {
    const target = plnTarget(suffix);
    const inquiry = await adapters[dialect].inquiry(target);
    if (inquiry.kind !== 'bill') throw new Error(`expected a bill, got ${inquiry.kind}`);
    const paying = {
      ...target,
      amount: inquiry.bill.price,
      ...(inquiry.bill.upstreamHandle ? { upstreamHandle: inquiry.bill.upstreamHandle } : {}),
    };
    const pay = await adapters[dialect].pay(paying);
    const status = () => adapters[dialect].status(paying);
    return { pay, status };
  };

  it.each([
    ['0000', 'success', 'success'],
    ['1037', 'failed', 'failed'],
    ['1039', 'suspect', 'success'],
    ['1040', 'suspect', 'failed'],
    ['1099', 'suspect', 'success'],
    ['1042', 'suspect', 'not_found'],
    ['1105', 'suspect', 'success'],
    ['1074', 'success', 'refunded'],
  ])('pays %s as %s and status ends %s', async (suffix, payKind, finalKind) => {
    const { pay, status } = await payAndWatch(suffix);
    expect(pay.kind).toBe(payKind);
    if (pay.kind === 'failed') expect(pay.transactionCreated).toBe(true);
    await eventually(async () => (await status()).kind === finalKind);
  });

  it('buys a token whose pay outcome carries the token', async () => {
    const target: BillTarget = {
      refId: ref(),
      sku: SKU[dialect].token,
      customerNo: '12345670000',
      denomination: 20_000n,
    };
    const quote = await adapters[dialect].inquiry(target);
    expect(quote).toMatchObject({
      kind: 'bill',
      bill: { billAmount: 20_000n, adminFee: 2_500n, price: 22_000n },
    });
    const pay = await adapters[dialect].pay({ ...target, amount: 22_500n });
    expect(pay).toMatchObject({ kind: 'success', token: expect.stringMatching(/^\d{4}(-\d{4}){4}$/) });
  });

  it('accepts the sandbox callbacks', async () => {
    const { pay } = await payAndWatch('0000');
    expect(pay.kind).toBe('success');
    await eventually(() => receiver.received.some((c) => c.body.data.ref_id === `ADP${seq}`));
    const callback = receiver.received.find((c) => c.body.data.ref_id === `ADP${seq}`)!;
    const parsed = adapters[dialect].parseCallback({ headers: callback.headers, rawBody: callback.raw });
    expect(parsed).toMatchObject({ kind: 'event', refId: `ADP${seq}`, outcome: { kind: 'success' } });
  });

  it('fetches a settlement file once it is available', async () => {
    s.sandbox.setClock(new Date('2026-11-29T04:00:00+07:00'));
    try {
      const csv = await text(await adapters[dialect].fetchSettlement('2026-11-28'));
      expect(csv.startsWith('trx_time,final_time,ref_id')).toBe(true);
      expect(csv).toMatch(/\nTOTAL,\d+,\d+,\d+\n$/);
      await expect(adapters[dialect].fetchSettlement('2026-11-29')).rejects.toThrow(/404/);
    } finally {
      s.sandbox.setClock(new Date('2026-11-28T10:00:00+07:00'));
    }
  });
});
