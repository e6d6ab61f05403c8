/**
 * Concurrency faults beyond the ones the pipeline tests already race (100 duplicates of one
 * Idempotency-Key, payments draining one balance, a treasurer resolving while a callback arrives):
 * reconciliation running while payments flow through the same accounts, and a duplicate storm
 * across many keys at once.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAdapter, createFakeAdapter } from '../../adapters/fake/index.js';
import type { Clock } from '../../src/clock.js';
import { SETTLEMENT_HEADER } from '../../src/recon/ingest.js';
import {
  ADMIN,
  type GivenKoperasi,
  type TestApp,
  balanceOf,
  givenApp,
  givenKoperasi,
  givenMember,
  inquire,
  ledgerBreaches,
  pay,
  quoteAndPay,
  waitForPayment,
} from '../helpers/app.js';

const LOAD_SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? 6);
let now = new Date('2026-11-28T10:00:00+07:00');
const clock: Clock = { now: () => now };
let t: TestApp;
let fake: FakeAdapter;
let kop: GivenKoperasi;
const WATER = { product: 'PDAM_TIRTA_BENTENG', customerNo: '12340000' };

beforeAll(async () => {
  fake = createFakeAdapter({ name: 'digiflazz' });
  t = await givenApp({
    adapters: [fake],
    clock,
    workers: true,
    env: { POLL_INITIAL_MS: '200', RECON_GRACE_HOURS: '1' },
  });
  kop = await givenKoperasi(t);
});

afterAll(async () => {
  await t?.close();
});

describe('concurrency', () => {
  it(
    'reconciles yesterday while today’s payments flow through the same koperasi accounts',
    async () => {
      const member = await givenMember(t, kop, { balance: 500_000_000n });
      // Yesterday: a mix of settled and suspect payments.
      fake.onStatus('*', { kind: 'suspect', rc: '03', message: 'Pending' });
      const yesterday: { id: string; refId: string }[] = [];
      for (let i = 0; i < 30; i++) {
        fake.onPay(
          '*',
          i % 3 === 0
            ? { kind: 'suspect', rc: 'TIMEOUT', message: 'timed out' }
            : { kind: 'success', upstreamRef: `SN${i}`, rc: '00', message: 'Sukses', price: 102_000n },
        );
        const paid = await quoteAndPay(t, member, WATER);
        await waitForPayment(t, member.token, paid.id, ['success', 'suspect']);
        yesterday.push({ id: paid.id, refId: paid.id.replaceAll('-', '') });
      }
      const refs = await t.deps.db.execute<{ payment_id: string; ref_id: string }>(
        sql`SELECT payment_id, ref_id FROM payment_attempts`,
      );
      const refOf = new Map(refs.rows.map((r) => [r.payment_id, r.ref_id]));
      const rows = yesterday.map(({ id }, i) => {
        const at = `2026-11-28T10:${String(i).padStart(2, '0')}:00+07:00`;
        return [
          at,
          at,
          refOf.get(id)!,
          `DF${i}`,
          'pdamtgr',
          '12340000',
          'X',
          '202611',
          '',
          '100000',
          '0',
          '2500',
          '102500',
          '102000',
          '500',
          'SUCCESS',
          '00',
          `SN${i}`,
          '',
        ].join(',');
      });
      const file = `${SETTLEMENT_HEADER}\n${rows.join('\n')}\nTOTAL,${rows.length},${102_500 * rows.length},${102_000 * rows.length}\n`;

      // Today: payments keep coming while the upload reconciles yesterday.
      now = new Date('2026-11-29T09:00:00+07:00');
      fake.onPay('*', { kind: 'success', upstreamRef: 'SN-T', rc: '00', message: 'Sukses', price: 102_000n });
      const stopAt = Date.now() + LOAD_SECONDS * 1000;
      const today: string[] = [];
      // Six payers of their own, each with savings no soak can drain, beside yesterday's member.
      const payers = await Promise.all(
        Array.from({ length: 6 }, () => givenMember(t, kop, { balance: 900_000_000n })),
      );
      const flow = Promise.all(
        payers.map(async (payer) => {
          while (Date.now() < stopAt) today.push((await quoteAndPay(t, payer, WATER)).id);
        }),
      );
      const recon = await t.app.inject({
        method: 'POST',
        url: '/v1/reconciliations/digiflazz/2026-11-28',
        headers: { ...ADMIN(t), 'content-type': 'text/csv' },
        payload: file,
      });
      await flow;
      expect(recon.statusCode).toBe(200);
      expect(recon.json().recon.actions.auto_success).toBe(10);
      for (const id of today) await waitForPayment(t, kop.treasurerToken, id);
      for (const { id } of yesterday)
        expect((await waitForPayment(t, member.token, id)).status).toBe('success');
      for (const [who, savings] of [
        [member, 500_000_000],
        ...payers.map((p) => [p, 900_000_000] as const),
      ] as const) {
        const successes = await t.deps.db.execute<{ s: string }>(
          sql`SELECT coalesce(sum(total), 0)::text AS s FROM payments WHERE member_id = ${who.id} AND status = 'success'`,
        );
        expect((await balanceOf(t, who)).balance).toBe(savings - Number(successes.rows[0]!.s));
      }
      expect(await ledgerBreaches(t)).toEqual([]);
    },
    LOAD_SECONDS * 1000 + 114_000,
  );

  it('keeps one payment per key through a storm of 50 keys × 10 duplicates each', async () => {
    const member = await givenMember(t, kop, { balance: 100_000_000n });
    fake.onPay('*', { kind: 'success', upstreamRef: 'SN-S', rc: '00', message: 'Sukses', price: 102_000n });
    const quotes = await Promise.all(Array.from({ length: 50 }, () => inquire(t, member, WATER)));
    const keys = quotes.map(() => randomUUID());
    const responses = await Promise.all(
      quotes.flatMap((q, i) =>
        Array.from({ length: 10 }, () => pay(t, member, q.json().id, { key: keys[i] })),
      ),
    );
    expect(responses.every((r) => r.statusCode === 202 || r.statusCode === 200)).toBe(true);
    const byKey = new Map<string, Set<string>>();
    responses.forEach((r, i) => {
      const key = keys[Math.floor(i / 10)]!;
      byKey.set(key, (byKey.get(key) ?? new Set()).add(r.json().id));
    });
    expect([...byKey.values()].every((ids) => ids.size === 1)).toBe(true);
    const count = await t.deps.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM payments WHERE member_id = ${member.id}`,
    );
    expect(count.rows[0]!.n).toBe(50);
    for (const ids of byKey.values()) await waitForPayment(t, member.token, [...ids][0]!);
    expect(await ledgerBreaches(t)).toEqual([]);
  }, 120_000);
});
