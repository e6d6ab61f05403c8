/**
 * Reconciliation never refunds what the upstream may have kept: a SUCCESS at another amount goes to a
 * person, a failed-over attempt is judged by its own state, an empty or wrong file refunds nothing by
 * itself, and items waiting for the grace window are revisited by the next morning's run.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAdapter, createFakeAdapter } from '../../adapters/fake/index.js';
import type { Clock } from '../../src/clock.js';
import { SETTLEMENT_HEADER } from '../../src/recon/ingest.js';
import { reconcileYesterday } from '../../src/recon/service.js';
import {
  ADMIN,
  type GivenKoperasi,
  type GivenMember,
  type TestApp,
  balanceOf,
  givenApp,
  givenKoperasi,
  givenMember,
  ledgerBreaches,
  quoteAndPay,
  waitForPayment,
} from '../helpers/app.js';

const DAY = '2026-11-20';
let now = new Date(`${DAY}T10:00:00+07:00`);
const clock: Clock = { now: () => now };
let t: TestApp;
let digiflazz: FakeAdapter;
let iak: FakeAdapter;
let kop: GivenKoperasi;
let member: GivenMember;
const WATER = { product: 'PDAM_TIRTA_BENTENG', customerNo: '12340000' };
const TOTAL = 103_500;
const timeout = { kind: 'suspect', rc: 'TIMEOUT', message: 'timed out' } as const;

function row(refId: string, status: string, total = 102_500, price = total - 500): string {
  const at = `${DAY}T10:00:01+07:00`;
  return [
    at,
    at,
    refId,
    `X-${refId.slice(0, 6)}`,
    'pdamtgr',
    '12340000',
    'BUDI',
    '202611',
    '',
    String(total - 2_500),
    '0',
    '2500',
    String(total),
    String(price),
    String(total - price),
    status,
    status === 'SUCCESS' ? '00' : '02',
    status === 'FAILED' ? '' : 'SN1',
    '',
  ].join(',');
}

function file(rows: string[]): string {
  const total = rows.reduce((s, r) => s + Number(r.split(',')[12]), 0);
  const price = rows.reduce((s, r) => s + Number(r.split(',')[13]), 0);
  return `${SETTLEMENT_HEADER}\n${rows.map((r) => `${r}\n`).join('')}TOTAL,${rows.length},${total},${price}\n`;
}

const upload = (adapter: string, body: string) =>
  t.app.inject({
    method: 'POST',
    url: `/v1/reconciliations/${adapter}/${DAY}`,
    headers: { ...ADMIN(t), 'content-type': 'text/csv' },
    payload: body,
  });

const paymentOf = async (id: string) =>
  (
    await t.deps.db.execute<{ status: string; review_reason: string | null; outbox: boolean }>(
      sql`SELECT status, review_reason, EXISTS (SELECT 1 FROM outbox o WHERE o.payment_id = p.id) AS outbox FROM payments p WHERE id = ${id}`,
    )
  ).rows[0]!;

const attemptRefs = async (id: string) =>
  (
    await t.deps.db.execute<{ ref_id: string }>(
      sql`SELECT ref_id FROM payment_attempts WHERE payment_id = ${id} ORDER BY attempt_no`,
    )
  ).rows.map((r) => r.ref_id);

async function suspectAt(first: 'digiflazz' | 'iak' = 'digiflazz'): Promise<{ id: string; refs: string[] }> {
  if (first === 'iak') {
    digiflazz.onPay('*', {
      kind: 'failed',
      rc: 'ECONNREFUSED',
      message: 'refused',
      transactionCreated: false,
    });
    iak.onPay('*', timeout);
  } else {
    digiflazz.onPay('*', timeout);
  }
  const paid = await quoteAndPay(t, member, WATER);
  await waitForPayment(t, member.token, paid.id, ['suspect']);
  return { id: paid.id, refs: await attemptRefs(paid.id) };
}

beforeAll(async () => {
  digiflazz = createFakeAdapter({ name: 'digiflazz' });
  iak = createFakeAdapter({ name: 'iak' });
  digiflazz.onStatus('*', timeout);
  iak.onStatus('*', timeout);
  t = await givenApp({
    adapters: [digiflazz, iak],
    clock,
    workers: true,
    env: { RECON_GRACE_HOURS: '12', POLL_INITIAL_MS: '600000' },
  });
  kop = await givenKoperasi(t);
  member = await givenMember(t, kop, { balance: 5_000_000n });
});

afterAll(async () => {
  await t?.close();
});

describe('reconciliation judged against the upstream truth', () => {
  let drifted: { id: string; refs: string[] };
  let failedOver: { id: string; refs: string[] };
  let omitted: { id: string; refs: string[] };
  let waiting: { id: string; refs: string[] };

  beforeAll(async () => {
    now = new Date(`${DAY}T08:00:00+07:00`);
    drifted = await suspectAt();
    failedOver = await suspectAt('iak');
    omitted = await suspectAt();
    now = new Date(`${DAY}T23:00:00+07:00`);
    waiting = await suspectAt();
    now = new Date('2026-11-21T06:30:00+07:00');
  });

  it('never refunds a suspect the upstream settled as SUCCESS at another amount: a person decides', async () => {
    const before = await balanceOf(t, member);
    const response = await upload('digiflazz', file([row(drifted.refs[0]!, 'SUCCESS', 105_000)]));
    expect(response.statusCode).toBe(200);
    const item = await t.deps.db.execute<{ class: string; action: string }>(
      sql`SELECT class, action FROM recon_items WHERE ref_id = ${drifted.refs[0]!} ORDER BY run_id DESC LIMIT 1`,
    );
    expect(item.rows[0]).toEqual({ class: 'amount_mismatch', action: 'needs_review' });
    const payment = await paymentOf(drifted.id);
    expect(payment.status).toBe('suspect');
    expect(payment.review_reason).toMatch(/SUCCESS at total 105000/);
    expect((await balanceOf(t, member)).available).toBe(before.available);
    const audit = await t.deps.db.execute(sql`SELECT 1 FROM audit_log WHERE subject_id = ${drifted.id}`);
    expect(audit.rows).toHaveLength(0);
  });

  it('judges a failed-over attempt by its own state: upstream A not listing it refunds nothing', async () => {
    expect(failedOver.refs).toHaveLength(2);
    const before = await balanceOf(t, member);
    await upload('digiflazz', file([row(drifted.refs[0]!, 'SUCCESS', 105_000)]));
    const item = await t.deps.db.execute<{ class: string; action: string; our_status: string }>(
      sql`SELECT class, action, our_status FROM recon_items WHERE ref_id = ${failedOver.refs[0]!} ORDER BY run_id DESC LIMIT 1`,
    );
    expect(item.rows[0]).toEqual({ class: 'matched', action: 'none', our_status: 'not_created' });
    expect(await paymentOf(failedOver.id)).toMatchObject({ status: 'suspect', outbox: true });
    expect((await balanceOf(t, member)).available).toBe(before.available);
  });

  it('settles a failed-over attempt from the file of the upstream that took it', async () => {
    const response = await upload('iak', file([row(failedOver.refs[1]!, 'SUCCESS')]));
    expect(response.json().recon.actions).toMatchObject({ auto_success: 1 });
    expect((await paymentOf(failedOver.id)).status).toBe('success');
  });

  it('does not trust an empty file (or one uploaded for the wrong upstream): the status call decides', async () => {
    const before = await balanceOf(t, member);
    // The operator uploads iak's file for digiflazz by mistake: none of digiflazz's refs are in it.
    const wrong = await upload('digiflazz', file([row(failedOver.refs[1]!, 'SUCCESS')]));
    expect(wrong.statusCode).toBe(200);
    expect(await paymentOf(omitted.id)).toMatchObject({ status: 'suspect' });
    expect((await paymentOf(omitted.id)).review_reason).toMatch(/upstream status: TIMEOUT/);
    const empty = await upload('digiflazz', file([]));
    expect(empty.statusCode).toBe(200);
    expect((await balanceOf(t, member)).available).toBe(before.available);
    expect((await paymentOf(omitted.id)).status).toBe('suspect');
    // The next morning's run asks again; now the upstream proves it never received the payment.
    digiflazz.onStatus(omitted.refs[0]!, {
      kind: 'not_found',
      rc: '50',
      message: 'Transaksi tidak ditemukan',
    });
    digiflazz.setSettlement(DAY, file([]));
    await reconcileYesterday(t.deps);
    expect((await paymentOf(omitted.id)).status).toBe('failed');
    expect((await balanceOf(t, member)).available).toBe(before.available + TOTAL);
  });

  it('revisits an item that was waiting for its grace window at the next morning run', async () => {
    const first = await t.deps.db.execute<{ action: string }>(
      sql`SELECT action FROM recon_items WHERE ref_id = ${waiting.refs[0]!} ORDER BY run_id DESC LIMIT 1`,
    );
    expect(first.rows[0]!.action).toBe('waiting_grace');
    digiflazz.onStatus(waiting.refs[0]!, {
      kind: 'success',
      upstreamRef: 'SN-LATE',
      rc: '00',
      message: 'Sukses',
    });
    now = new Date('2026-11-22T06:30:00+07:00');
    digiflazz.setSettlement('2026-11-21', file([]));
    await reconcileYesterday(t.deps);
    expect((await paymentOf(waiting.id)).status).toBe('success');
    expect(await ledgerBreaches(t)).toEqual([]);
  });
});
