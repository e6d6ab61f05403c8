/**
 * Every sandbox scenario through the real adapters over HTTP, in both dialects: the payment ends in
 * the right state with the right postings, signed callbacks arrive, the member's balance is deposits
 * minus successes, and the ledger verifies afterwards.
 */
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, createSandbox } from '../../adapters/sandbox/index.js';
import {
  type GivenKoperasi,
  type GivenMember,
  type TestApp,
  balanceOf,
  bearer,
  givenApp,
  givenKoperasi,
  givenMember,
  inquire,
  ledgerBreaches,
  quoteAndPay,
  waitForPayment,
} from '../helpers/app.js';
import { cutOffFarFromNow } from '../helpers/cut-off.js';

let t: TestApp;
let sandbox: Sandbox;
let kop: GivenKoperasi;

beforeAll(async () => {
  sandbox = createSandbox({
    cutOff: cutOffFarFromNow(),
    seed: 42,
    pendingMs: 600,
    refundMs: 1_500,
    hangMs: 3_000,
    callbackRetryMs: [200, 500],
  });
  const upstream = await sandbox.listen(0);
  t = await givenApp({
    upstreamUrls: { digiflazz: `${upstream}/digiflazz`, iak: `${upstream}/iak` },
    workers: true,
    env: { UPSTREAM_TIMEOUT_MS: '1500', POLL_INITIAL_MS: '300' },
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const api = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  sandbox.setCallbackUrl('digiflazz', `${api}/v1/callbacks/digiflazz`);
  sandbox.setCallbackUrl('iak', `${api}/v1/callbacks/iak`);
  kop = await givenKoperasi(t);
}, 60_000);

afterAll(async () => {
  expect(await ledgerBreaches(t)).toEqual([]);
  await sandbox?.close();
  await t?.close();
});

const pln = (suffix: string) => ({ product: 'PLN_POSTPAID', customerNo: `53000001${suffix}` });

/** Route a product to one adapter first: the catalog lists digiflazz first, so iak is reached by opening digiflazz's circuit. */
async function onlyAdapter(name: 'digiflazz' | 'iak'): Promise<void> {
  const other = t.deps.billers.get(name === 'iak' ? 'digiflazz' : 'iak')!;
  const own = t.deps.billers.get(name)!;
  own.breaker.success();
  if (name === 'iak') for (let i = 0; i < 5; i++) other.breaker.failure();
  else other.breaker.success();
}

describe.each(['digiflazz', 'iak'] as const)('the %s dialect', (dialect) => {
  let member: GivenMember;
  beforeAll(async () => {
    member = await givenMember(t, kop, { balance: 20_000_000n });
  });

  async function run(suffix: string, until: string[] = ['success', 'failed', 'refunded']) {
    await onlyAdapter(dialect);
    const paid = await quoteAndPay(t, member, pln(suffix));
    const done = await waitForPayment(t, member.token, paid.id, until, 30_000);
    const attempts = await t.deps.db.execute<{ adapter: string; state: string }>(
      sql`SELECT adapter, state FROM payment_attempts WHERE payment_id = ${paid.id} ORDER BY attempt_no`,
    );
    expect(attempts.rows.map((a) => a.adapter)).toEqual([dialect]);
    return { ...done, total: paid.total };
  }

  it('pays 0000 at once and 0002 over two periods', async () => {
    expect((await run('0000')).status).toBe('success');
    const quote = await inquire(t, member, pln('0002'));
    expect(quote.json().periods).toHaveLength(2);
    expect((await run('0002')).status).toBe('success');
  });

  it('refuses 0001, 0014 and 0060 at inquiry with their own codes', async () => {
    await onlyAdapter(dialect);
    expect((await inquire(t, member, pln('0001'))).json().code).toBe(
      dialect === 'iak' ? 'BILL_ALREADY_PAID' : 'BILL_NOT_AVAILABLE',
    );
    expect((await inquire(t, member, pln('0014'))).json().code).toBe('CUSTOMER_NOT_FOUND');
    expect((await inquire(t, member, pln('0060'))).json().code).toBe('BILL_NOT_AVAILABLE');
  });

  it('fails 1037 definitively and refunds the member at once', async () => {
    const before = await balanceOf(t, member);
    const done = await run('1037');
    expect(done.status).toBe('failed');
    expect((await balanceOf(t, member)).balance).toBe(before.balance);
  });

  it('settles 1039 pending→success and 1040 pending→failed, by callback or by polling', async () => {
    expect((await run('1039')).status).toBe('success');
    expect((await run('1040')).status).toBe('failed');
  });

  it('finds 1105 (answer lost, payment made) paid, and 1099 (unmapped code) paid after all', async () => {
    expect((await run('1105')).status).toBe('success');
    expect((await run('1099')).status).toBe('success');
  });

  it('refunds 1042 (never received) only after the status check says so', async () => {
    const before = await balanceOf(t, member);
    const done = await run('1042');
    expect(done).toMatchObject({ status: 'failed', failureCode: 'UPSTREAM_NOT_RECEIVED' });
    expect((await balanceOf(t, member)).balance).toBe(before.balance);
  }, 40_000);

  it('reverses 1074 when the upstream refunds it after success', async () => {
    const before = await balanceOf(t, member);
    const done = await run('1074', ['refunded']);
    expect(done.status).toBe('refunded');
    expect((await balanceOf(t, member)).balance).toBe(before.balance);
  });

  it('sells a PLN token and shows it', async () => {
    await onlyAdapter(dialect);
    const paid = await quoteAndPay(
      t,
      member,
      { product: 'PLN_PREPAID', customerNo: '14234560000', amount: 50_000 },
      { wait: 10 },
    );
    const done = await waitForPayment(t, member.token, paid.id);
    expect(done.status).toBe('success');
    expect(done.token).toMatch(/^\d{4}-\d{4}-\d{4}-\d{4}-\d{4}$/);
  });

  it('pays BPJS Kesehatan for several months and a PDAM bill', async () => {
    await onlyAdapter(dialect);
    const bpjs = await inquire(t, member, {
      product: 'BPJS_KESEHATAN',
      customerNo: '8888801234560000',
      months: 3,
    });
    expect(bpjs.statusCode).toBe(201);
    expect(bpjs.json().months).toBe(3);
    expect((await run('0000')).status).toBe('success');
    const pdam = await quoteAndPay(
      t,
      member,
      { product: 'PDAM_TIRTA_BENTENG', customerNo: '12340000' },
      { wait: 10 },
    );
    expect((await waitForPayment(t, member.token, pdam.id)).status).toBe('success');
  });

  it('leaves the member with deposits minus successful totals, and the upstream charged each paid ref once', async () => {
    const rows = await t.deps.db.execute<{
      status: string;
      total: string;
      adapter: string;
      ref_id: string;
    }>(sql`
      SELECT status, total::text, adapter, ref_id FROM payments WHERE member_id = ${member.id}`);
    const paid = rows.rows.filter((r) => r.status === 'success').reduce((s, r) => s + Number(r.total), 0);
    expect((await balanceOf(t, member)).balance).toBe(20_000_000 - paid);
    const stats = sandbox.stats();
    expect(stats.doubleDebits).toEqual([]);
    for (const r of rows.rows) {
      const ref = stats[r.adapter as 'digiflazz' | 'iak'].refs?.[r.ref_id];
      expect((ref?.debits ?? 0) - (ref?.credits ?? 0), `${r.ref_id} ${r.status}`).toBe(
        r.status === 'success' ? 1 : 0,
      );
    }
  });
});

describe('timeouts and failover', () => {
  it('answers 503 with Retry-After when every upstream times out on inquiry (0103), and changes nothing', async () => {
    const member = await givenMember(t, kop, { balance: 1_000_000n });
    await onlyAdapter('digiflazz');
    const response = await inquire(t, member, pln('0103'));
    expect(response.statusCode).toBe(503);
    expect(response.json().code).toBe('UPSTREAM_UNAVAILABLE');
    expect(response.headers['retry-after']).toBeDefined();
  }, 20_000);
});

describe('callbacks over HTTP', () => {
  it('rejects a digiflazz callback whose signature does not match the body', async () => {
    const body = JSON.stringify({ data: { ref_id: 'x', status: 'Sukses', rc: '00', sn: 'S' } });
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/callbacks/digiflazz',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature': 'sha1=0000000000000000000000000000000000000000',
        'x-digiflazz-event': 'update',
      },
      payload: body,
    });
    expect(response.statusCode).toBe(401);
    const iak = await t.app.inject({
      method: 'POST',
      url: '/v1/callbacks/iak',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ data: { ref_id: 'x', status: '1', rc: '00', sign: 'nope' } }),
    });
    expect(iak.statusCode).toBe(401);
    expect(
      (await t.app.inject({ url: '/v1/payments', headers: bearer(kop.treasurerToken) })).statusCode,
    ).toBe(200);
  });
});
