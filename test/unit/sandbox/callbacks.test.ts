import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  WEBHOOK_SECRET,
  eventually,
  givenCallbackReceiver,
  givenSandbox,
  md5,
  sleep,
  type Running,
} from './helpers.js';

let s: Running | undefined;
let receiver: Awaited<ReturnType<typeof givenCallbackReceiver>> | undefined;
afterEach(async () => {
  await s?.close();
  await receiver?.close();
  s = undefined;
  receiver = undefined;
});

async function given(options: Parameters<typeof givenSandbox>[0] = {}, answer?: (count: number) => number) {
  receiver = await givenCallbackReceiver(answer);
  s = await givenSandbox(options);
  s.sandbox.setCallbackUrl('digiflazz', receiver.url);
  s.sandbox.setCallbackUrl('iak', receiver.url);
  return { s, receiver };
}

const hmac = (raw: Buffer) => `sha1=${createHmac('sha1', WEBHOOK_SECRET).update(raw).digest('hex')}`;

describe('digiflazz webhooks', () => {
  it('posts `create` when a pay is answered, signed with HMAC-SHA1 over the raw body', async () => {
    const { s, receiver } = await given();
    await s.dgf.inquiry('pln', '530000000000', 'CB1');
    const pay = await s.dgf.pay('pln', '530000000000', 'CB1');
    await eventually(() => receiver.received.length === 1);
    const [callback] = receiver.received;
    expect(callback!.headers['x-hub-signature']).toBe(hmac(callback!.raw));
    expect(callback!.headers['x-digiflazz-event']).toBe('create');
    expect(callback!.headers['x-digiflazz-delivery']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(callback!.headers['user-agent']).toBe('DigiFlazz-Pasca-Hookshot/1.0');
    expect(callback!.body.data).toMatchObject({ ref_id: 'CB1', rc: '00', status: 'Sukses', sn: pay.data.sn });
    expect(callback!.body.data.trx_id).toMatch(/^DF\d+$/);
  });

  it('posts `update` when a pending payment resolves, after its `create`', async () => {
    const { s, receiver } = await given();
    await s.dgf.topUp('pln20', '12345671039', 'CB2');
    await eventually(() => receiver.received.length === 2);
    const [create, update] = receiver.received;
    expect(create!.headers['user-agent']).toBe('DigiFlazz-Hookshot/1.0');
    expect(create!.body.data).toMatchObject({ rc: '03', status: 'Pending' });
    expect(update!.headers['x-digiflazz-event']).toBe('update');
    expect(update!.body.data).toMatchObject({ rc: '00', status: 'Sukses' });
    expect(update!.headers['x-hub-signature']).toBe(hmac(update!.raw));
  });

  it('posts an `update` with rc 74 when a success is refunded', async () => {
    const { s, receiver } = await given();
    await s.dgf.topUp('pln20', '12345671074', 'CB3');
    await eventually(() => receiver.received.length === 2);
    expect(receiver.received[1]!.body.data).toMatchObject({ rc: '74', status: 'Gagal' });
  });

  it('also posts the 1105 success whose pay answer was lost', async () => {
    const { s, receiver } = await given({ resetRate: 0 });
    await s.dgf.inquiry('pln', '530000001105', 'CB4');
    expect((await s.dgf.pay('pln', '530000001105', 'CB4')).status).toBe(500);
    await eventually(() => receiver.received.length === 1);
    expect(receiver.received[0]!.body.data.rc).toBe('00');
  });
});

describe('iak callbacks', () => {
  it('posts the prepaid callback body with sign = md5(username + apiKey + ref_id)', async () => {
    const { s, receiver } = await given();
    await s.iak.topUp('hpln20000', '12345671040', 'CB5');
    await eventually(() => receiver.received.length === 2);
    const [first, second] = receiver.received.map((c) => c.body.data);
    expect(first).toMatchObject({
      ref_id: 'CB5',
      status: 0,
      rc: '39',
      sign: md5('pintu-sandboxsandbox-dev-keyCB5'),
    });
    expect(second).toMatchObject({ ref_id: 'CB5', status: 2, rc: '37', hp: '12345671040' });
  });
});

describe('callback knobs', () => {
  it('delivers a delivery twice with the same delivery id when dupRate is 1', async () => {
    const { s, receiver } = await given({ dupRate: 1 });
    await s.dgf.topUp('pln20', '12345670000', 'CB6');
    await eventually(() => receiver.received.length === 2);
    const [a, b] = receiver.received;
    expect(a!.headers['x-digiflazz-delivery']).toBe(b!.headers['x-digiflazz-delivery']);
    expect(a!.raw.equals(b!.raw)).toBe(true);
    expect(s.sandbox.stats().digiflazz.callbacks.duplicated).toBe(1);
  });

  it('delivers `update` before `create` when outOfOrderRate is 1', async () => {
    const { s, receiver } = await given({ outOfOrderRate: 1, pendingMs: 300 });
    await s.dgf.topUp('pln20', '12345671039', 'CB7');
    await sleep(50);
    expect(receiver.received).toHaveLength(0);
    await eventually(() => receiver.received.length === 2);
    expect(receiver.received.map((c) => c.headers['x-digiflazz-event'])).toEqual(['update', 'create']);
    expect(receiver.received[1]!.body.data.rc).toBe('03');
  });

  it('never delivers when dropRate is 1, and the payment is unaffected', async () => {
    const { s, receiver } = await given({ dropRate: 1 });
    expect((await s.dgf.topUp('pln20', '12345671039', 'CB8')).data.rc).toBe('03');
    await sleep(150);
    expect(receiver.received).toHaveLength(0);
    expect(s.sandbox.stats().digiflazz.callbacks.dropped).toBe(2);
  });

  it('retries a non-2xx answer on the callbackRetryMs schedule until it is accepted', async () => {
    const { s, receiver } = await given({ callbackRetryMs: [20, 20, 20, 20] }, (count) =>
      count < 3 ? 500 : 200,
    );
    await s.dgf.topUp('pln20', '12345670000', 'CB9');
    await eventually(() => s.sandbox.stats().digiflazz.callbacks.delivered === 1);
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((c) => c.headers['x-digiflazz-delivery'])).size).toBe(1);
  });

  it('gives up after 5 tries', async () => {
    const { s, receiver } = await given({ callbackRetryMs: [10, 10, 10, 10] }, () => 503);
    await s.dgf.topUp('pln20', '12345670000', 'CB10');
    await eventually(() => s.sandbox.stats().digiflazz.callbacks.abandoned === 1);
    await sleep(50);
    expect(receiver.received).toHaveLength(5);
  });

  it('keeps answering when the callback URL refuses connections', async () => {
    s = await givenSandbox({ callbackRetryMs: [10] });
    s.sandbox.setCallbackUrl('digiflazz', 'http://127.0.0.1:1/nobody-listens');
    expect((await s.dgf.topUp('pln20', '12345670000', 'CB11')).data.rc).toBe('00');
    await eventually(() => s!.sandbox.stats().digiflazz.callbacks.abandoned === 1);
    expect((await s.dgf.topUp('pln20', '12345670000', 'CB12')).data.rc).toBe('00');
  });

  it('sends nothing once the callback URL is unset, set through the control route', async () => {
    const { s, receiver } = await given();
    await s.post('/_sandbox/callbacks/digiflazz', { url: null });
    await s.dgf.topUp('pln20', '12345670000', 'CB13');
    await s.post('/_sandbox/callbacks/digiflazz', { url: receiver.url });
    await s.dgf.topUp('pln20', '12345670000', 'CB14');
    await eventually(() => receiver.received.length === 1);
    expect(receiver.received[0]!.body.data.ref_id).toBe('CB14');
  });
});
