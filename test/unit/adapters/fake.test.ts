import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFakeAdapter, FAKE_SIGNATURE_HEADER } from '../../../adapters/fake/index.js';
import type { BillTarget, PayOutcome } from '../../../src/billers/port.js';
import { readAll } from './helpers.js';

const target: BillTarget = { refId: 'R1', sku: 'pln', customerNo: '530000000000' };
const paying = (refId = 'R1', customerNo = '530000000000') => ({
  ...target,
  refId,
  customerNo,
  amount: 102_500n,
});
const failed: PayOutcome = { kind: 'failed', rc: '02', message: 'Gagal', transactionCreated: true };

describe('fake adapter', () => {
  it('quotes 100 000 + 2 500 admin at total − 500 and pays successfully by default', async () => {
    const fake = createFakeAdapter();
    const quote = await fake.inquiry(target);
    expect(quote).toMatchObject({
      kind: 'bill',
      bill: { billAmount: 100_000n, adminFee: 2_500n, penalty: 0n, price: 102_000n },
    });
    const paid = await fake.pay(paying());
    expect(paid).toMatchObject({ kind: 'success', rc: '00', price: 102_000n });
    expect(paid.kind === 'success' && paid.upstreamRef).toMatch(/^FAKE\d{8}$/);
    expect(await fake.status(target)).toEqual(paid);
    expect(await fake.status({ ...target, refId: 'NEVER' })).toMatchObject({ kind: 'not_found' });
    expect(fake.name).toBe('fake');
  });

  it('quotes a token denomination and returns a formatted token', async () => {
    const fake = createFakeAdapter({ name: 'fake-pln' });
    const token = { ...target, denomination: 50_000n };
    expect(await fake.inquiry(token)).toMatchObject({
      bill: { billAmount: 50_000n, price: 52_000n, periods: [] },
    });
    expect(await fake.pay({ ...token, amount: 52_500n })).toMatchObject({
      token: expect.stringMatching(/^\d{4}(-\d{4}){4}$/) as unknown,
    });
    expect(fake.name).toBe('fake-pln');
  });

  it('plays scripts by refId before customer number before the wildcard, including sequences and functions', async () => {
    const fake = createFakeAdapter()
      .onPay('*', failed)
      .onPay('530000001039', (t) => ({ kind: 'suspect', rc: '03', message: `pending ${t.refId}` }))
      .onPay('R9', { kind: 'refunded', rc: '74', message: 'Refund' })
      .onStatus('*', [
        { kind: 'suspect', rc: '03', message: 'Pending' },
        { kind: 'success', upstreamRef: 'SN', rc: '00', message: 'Sukses' },
      ])
      .onInquiry('530000000014', {
        kind: 'rejected',
        reason: 'CUSTOMER_NOT_FOUND',
        rc: '54',
        message: 'salah',
      });

    expect(await fake.pay(paying('R2'))).toEqual(failed);
    expect(await fake.pay(paying('R3', '530000001039'))).toMatchObject({
      kind: 'suspect',
      message: 'pending R3',
    });
    expect(await fake.pay(paying('R9', '530000001039'))).toMatchObject({ kind: 'refunded' });
    expect((await fake.status(target)).kind).toBe('suspect');
    expect((await fake.status(target)).kind).toBe('success');
    expect((await fake.status(target)).kind).toBe('success');
    expect(await fake.inquiry({ ...target, customerNo: '530000000014' })).toMatchObject({ kind: 'rejected' });
  });

  it('records calls and counts pays per refId', async () => {
    const fake = createFakeAdapter();
    await fake.inquiry(target);
    await fake.pay(paying());
    await fake.pay(paying());
    expect(fake.calls.map((call) => call.method)).toEqual(['inquiry', 'pay', 'pay']);
    expect(fake.calls[1]).toMatchObject({ method: 'pay', target: { refId: 'R1', amount: 102_500n } });
    expect(fake.payCount('R1')).toBe(2);
    expect(fake.payCount('R2')).toBe(0);
    fake.reset();
    expect(fake.calls).toHaveLength(0);
  });

  it('holds a call until its gate is released', async () => {
    const fake = createFakeAdapter();
    const gate = fake.hold('pay', 'R1');
    let settled = false;
    const pending = fake.pay(paying()).then((outcome) => {
      settled = true;
      return outcome;
    });
    await gate.entered();
    expect(gate.waiting).toBe(1);
    expect(settled).toBe(false);
    expect(await fake.pay(paying('R2'))).toMatchObject({ kind: 'success' });
    gate.release();
    expect(await pending).toMatchObject({ kind: 'success' });
  });

  it('accepts its own signed callbacks and rejects tampered or unsigned ones', () => {
    const fake = createFakeAdapter({ callbackSecret: 's3cret' });
    const request = fake.signedCallback({
      refId: 'R1',
      deliveryId: 'd-1',
      outcome: { kind: 'success', upstreamRef: 'SN', price: 102_000n, rc: '00', message: 'ok' },
    });
    expect(fake.parseCallback(request)).toEqual({
      kind: 'event',
      refId: 'R1',
      deliveryId: 'd-1',
      outcome: { kind: 'success', upstreamRef: 'SN', price: 102_000n, rc: '00', message: 'ok' },
      trust: 'authenticated',
    });
    const tampered = { ...request, rawBody: Buffer.from(request.rawBody.toString().replace('R1', 'R2')) };
    expect(fake.parseCallback(tampered)).toEqual({ kind: 'rejected', reason: 'bad_signature' });
    expect(fake.parseCallback({ headers: {}, rawBody: request.rawBody })).toEqual({
      kind: 'rejected',
      reason: 'bad_signature',
    });
    const garbage = Buffer.from('not json');
    const signature = createHmac('sha256', 's3cret').update(garbage).digest('hex');
    expect(fake.parseCallback({ headers: { [FAKE_SIGNATURE_HEADER]: signature }, rawBody: garbage })).toEqual(
      {
        kind: 'rejected',
        reason: 'malformed',
      },
    );
  });

  it('serves an in-memory settlement file and refuses a missing one', async () => {
    const fake = createFakeAdapter();
    fake.setSettlement('2026-11-28', 'header\nTOTAL,0,0,0\n');
    expect(await readAll(await fake.fetchSettlement('2026-11-28'))).toBe('header\nTOTAL,0,0,0\n');
    await expect(fake.fetchSettlement('2026-11-29')).rejects.toThrow(/not available/);
  });
});
