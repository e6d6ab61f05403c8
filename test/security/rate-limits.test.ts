/**
 * Limits keyed by who is asking: a password guesser that rotates addresses, a member who floods the
 * upstream with inquiries, clients behind a trusted load balancer; and stored idempotency answers that
 * expire without ever letting a payment through twice.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeAdapter } from '../../adapters/fake/index.js';
import { purgeIdempotencyKeys } from '../../src/idempotency/index.js';
import {
  type TestApp,
  bearer,
  givenApp,
  givenKoperasi,
  givenMember,
  inquire,
  pay,
  waitForPayment,
} from '../helpers/app.js';

const PLN = { product: 'PLN_POSTPAID', customerNo: '530000000000' };
let t: TestApp;

beforeAll(async () => {
  t = await givenApp({
    adapters: [createFakeAdapter({ name: 'digiflazz' })],
    workers: true,
    env: {
      AUTH_RATE_LIMIT_PER_MINUTE: '100',
      AUTH_ACCOUNT_RATE_LIMIT_PER_MINUTE: '4',
      INQUIRY_RATE_LIMIT_PER_MINUTE: '3',
      TRUST_PROXY: '1',
    },
  });
});

afterAll(async () => {
  await t?.close();
});

const login = (koperasi: string, username: string, password: string, from: string) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/auth/token',
    remoteAddress: from,
    payload: { koperasi, username, password },
  });

describe('login', () => {
  it('limits guesses at one account from any number of addresses, and only that account', async () => {
    const kop = await givenKoperasi(t); // one login spent
    const codes = [];
    for (let i = 0; i < 4; i++)
      codes.push((await login(kop.code, 'bendahara', `salah-${i}`, `198.51.100.${i + 1}`)).statusCode);
    expect(codes).toEqual([401, 401, 401, 429]);
    const right = await login(kop.code, 'bendahara', kop.treasurer.password, '198.51.100.99');
    expect(right.json()).toMatchObject({ code: 'RATE_LIMITED' });
    const member = await givenMember(t, kop);
    expect((await login(kop.code, member.memberNo, member.password, '198.51.100.1')).statusCode).toBe(200);
  });

  it('counts clients behind a trusted proxy by their own address (X-Forwarded-For), not the proxy’s', async () => {
    const limited = await givenApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: '1' } });
    try {
      const attempt = (client: string) =>
        limited.app.inject({
          method: 'POST',
          url: '/v1/auth/token',
          remoteAddress: '10.0.0.5',
          headers: { 'x-forwarded-for': client },
          payload: { koperasi: 'kop-nope', username: 'x', password: 'y' },
        });
      expect([
        (await attempt('203.0.113.1')).statusCode,
        (await attempt('203.0.113.1')).statusCode,
        (await attempt('203.0.113.1')).statusCode,
      ]).toEqual([401, 401, 429]);
      expect((await attempt('203.0.113.2')).statusCode).toBe(401);
    } finally {
      await limited.close();
    }
  });
});

describe('inquiries', () => {
  it('limits each member’s inquiries (each costs an upstream call) without touching other members', async () => {
    const kop = await givenKoperasi(t);
    const flooder = await givenMember(t, kop);
    const other = await givenMember(t, kop);
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await inquire(t, flooder, PLN)).statusCode);
    expect(codes).toEqual([201, 201, 201, 429]);
    expect((await inquire(t, other, PLN)).statusCode).toBe(201);
  });
});

describe('idempotency keys', () => {
  it('forgets stored answers after their time, and a late retry of a payment is refused, not paid again', async () => {
    const kop = await givenKoperasi(t);
    const member = await givenMember(t, kop, { balance: 500_000n });
    const quote = await inquire(t, member, PLN);
    const key = randomUUID();
    const first = await pay(t, member, quote.json().id, { key });
    expect(first.statusCode).toBe(202);
    await waitForPayment(t, member.token, first.json().id);
    expect(await purgeIdempotencyKeys(t.deps.db, new Date(Date.now() + 60_000))).toBeGreaterThan(0);
    const stored = await t.deps.db.execute(sql`SELECT 1 FROM idempotency_keys WHERE key = ${key}`);
    expect(stored.rows).toHaveLength(0);
    const late = await pay(t, member, quote.json().id, { key });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('QUOTE_ALREADY_USED');
    const payments = await t.deps.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM payments WHERE member_id = ${member.id}`,
    );
    expect(payments.rows[0]!.n).toBe(1);
    expect((await t.app.inject({ url: '/v1/me', headers: bearer(member.token) })).json().balance).toBe(
      500_000 - 103_500,
    );
  });
});
