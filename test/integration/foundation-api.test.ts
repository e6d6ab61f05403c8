import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  type GivenKoperasi,
  type TestApp,
  bearer,
  deposit,
  givenApp,
  givenKoperasi,
  givenMember,
  ledgerBreaches,
  login,
  snapshotCounts,
} from '../helpers/app.js';

let t: TestApp;
let kopA: GivenKoperasi;
let kopB: GivenKoperasi;

beforeAll(async () => {
  t = await givenApp();
  kopA = await givenKoperasi(t);
  kopB = await givenKoperasi(t);
});

afterAll(async () => {
  await t?.close();
});

const depositRequest = (kop: GivenKoperasi, memberNo: string, key: string | undefined, payload: unknown) =>
  t.app.inject({
    method: 'POST',
    url: `/v1/members/${memberNo}/deposits`,
    headers: { ...bearer(kop.treasurerToken), ...(key ? { 'idempotency-key': key } : {}) },
    payload: payload as Record<string, unknown>,
  });

describe('operations endpoints', () => {
  it('answers liveness, readiness with both dependencies, metrics and the OpenAPI document', async () => {
    expect((await t.app.inject({ url: '/health/live' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ checks: { postgres: 'ok', redis: 'ok' } });
    const metrics = await t.app.inject({ url: '/metrics', headers: ADMIN(t) });
    expect(metrics.body).toContain('pintu_http_request_duration_seconds');
    // Metrics name adapters, routes and volumes: not for anyone on the network.
    expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ url: '/metrics', headers: bearer('not-the-metrics-token') })).statusCode,
    ).toBe(403);
    const openapi = await t.app.inject({ url: '/docs/json' });
    const doc = openapi.json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/auth/token',
        '/v1/koperasi',
        '/v1/members',
        '/v1/members/{memberNo}/deposits',
        '/v1/me',
        '/v1/fees/{product}',
      ]),
    );
  });

  it('echoes a well-formed X-Request-Id and makes one up otherwise', async () => {
    const given = await t.app.inject({ url: '/health/live', headers: { 'x-request-id': 'req-12345678' } });
    expect(given.headers['x-request-id']).toBe('req-12345678');
    const made = await t.app.inject({
      url: '/health/live',
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers', async () => {
    const response = await t.app.inject({ url: '/health/live' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    // A LAN deployment over plain HTTP must still load its scripts.
    expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });
});

describe('koperasi onboarding', () => {
  it('is for the platform admin only', async () => {
    const payload = {
      code: 'kop-x',
      name: 'X',
      treasurer: { username: 'bendahara', password: 'rahasia-panjang' },
    };
    const none = await t.app.inject({ method: 'POST', url: '/v1/koperasi', payload });
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect(none.json()).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/v1/koperasi',
      payload,
      headers: bearer('not-the-admin-token'),
    });
    expect(wrong.json()).toMatchObject({ code: 'FORBIDDEN' });
    const treasurer = await t.app.inject({
      method: 'POST',
      url: '/v1/koperasi',
      payload,
      headers: bearer(kopA.treasurerToken),
    });
    expect(treasurer.json()).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses a taken code with 409 and creates nothing', async () => {
    const before = await snapshotCounts(t);
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/koperasi',
      headers: ADMIN(t),
      payload: {
        code: kopA.code,
        name: 'Lagi',
        treasurer: { username: 'lain', password: 'rahasia-panjang' },
      },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'KOPERASI_EXISTS' });
    expect(await snapshotCounts(t)).toEqual(before);
  });
});

describe('login', () => {
  it('issues a token for the right password and the same 401 for a wrong password or unknown user', async () => {
    const token = await login(t, kopA.code, kopA.treasurer.username, kopA.treasurer.password);
    expect(token.split('.')).toHaveLength(3);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      payload: { koperasi: kopA.code, username: kopA.treasurer.username, password: 'salah-sekali' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      payload: { koperasi: kopA.code, username: 'siapa', password: 'salah-sekali' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().code).toBe('INVALID_CREDENTIALS');
    expect(unknown.json().detail).toBe(wrong.json().detail);
  });

  it('rejects expired, tampered and unsigned tokens', async () => {
    const token = await login(t, kopA.code, kopA.treasurer.username, kopA.treasurer.password);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'treasurer', kop: kopB.id })).toString(
      'base64url',
    );
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    for (const bad of [
      `${header}.${forged}.${signature}`,
      `${none}.${payload}.`,
      `${header}.${payload}.${signature.startsWith('x') ? 'y' : 'x'}${signature.slice(1)}`,
    ]) {
      const response = await t.app.inject({ url: '/v1/me', headers: bearer(bad) });
      expect(response.statusCode).toBe(401);
    }
    const key = new TextEncoder().encode(t.config.JWT_SECRET);
    const signed = (exp: number, alg: 'HS256' | 'HS512' = 'HS256') =>
      new SignJWT({ kop: kopA.id, role: 'treasurer' })
        .setProtectedHeader({ alg })
        .setSubject(String(claims.sub))
        .setIssuer('pintu')
        .setAudience('pintu-api')
        .setExpirationTime(exp)
        .sign(key);
    const now = Math.floor(Date.now() / 1000);
    expect((await t.app.inject({ url: '/v1/me', headers: bearer(await signed(now + 60)) })).statusCode).toBe(
      200,
    );
    expect((await t.app.inject({ url: '/v1/me', headers: bearer(await signed(now - 10)) })).statusCode).toBe(
      401,
    );
    expect(
      (await t.app.inject({ url: '/v1/me', headers: bearer(await signed(now + 60, 'HS512')) })).statusCode,
    ).toBe(401);
  });
});

describe('members and deposits', () => {
  it('registers a member who logs in with the member number and sees balance and available', async () => {
    const member = await givenMember(t, kopA, { balance: 150_000n });
    const me = await t.app.inject({ url: '/v1/me', headers: bearer(member.token) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      role: 'member',
      memberNo: member.memberNo,
      balance: 150_000,
      available: 150_000,
      pinLocked: false,
    });
    const profile = await t.app.inject({ url: '/v1/me', headers: bearer(kopA.treasurerToken) });
    expect(profile.json()).toMatchObject({ role: 'treasurer', koperasi: { code: kopA.code } });
    expect(profile.json()).not.toHaveProperty('balance');
  });

  it('refuses a duplicate member number with 409', async () => {
    const member = await givenMember(t, kopA);
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/members',
      headers: bearer(kopA.treasurerToken),
      payload: { memberNo: member.memberNo, name: 'Kembar', password: 'sandi-anggota-2', pin: '654321' },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('MEMBER_EXISTS');
  });

  it('lets only treasurers register members and record deposits', async () => {
    const member = await givenMember(t, kopA);
    const asMember = await t.app.inject({
      method: 'POST',
      url: '/v1/members',
      headers: bearer(member.token),
      payload: { memberNo: 'X-1', name: 'X', password: 'sandi-anggota-2', pin: '654321' },
    });
    expect(asMember.statusCode).toBe(403);
    const depositAsMember = await t.app.inject({
      method: 'POST',
      url: `/v1/members/${member.memberNo}/deposits`,
      headers: { ...bearer(member.token), 'idempotency-key': randomUUID() },
      payload: { amount: 1000, reference: 'x' },
    });
    expect(depositAsMember.statusCode).toBe(403);
  });

  it('credits a deposit once for 20 concurrent requests with one Idempotency-Key', async () => {
    const member = await givenMember(t, kopA);
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        depositRequest(kopA, member.memberNo, key, { amount: 75_000, reference: 'setoran' }),
      ),
    );
    expect(responses.map((r) => r.statusCode).every((s) => s === 201)).toBe(true);
    const bodies = responses.map((r) => r.json());
    expect(new Set(bodies.map((b) => b.transactionId)).size).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    const me = await t.app.inject({ url: '/v1/me', headers: bearer(member.token) });
    expect(me.json().balance).toBe(75_000);
  });

  it('refuses the same key with another body with 409 and changes nothing', async () => {
    const member = await givenMember(t, kopA);
    const key = randomUUID();
    expect(
      (await depositRequest(kopA, member.memberNo, key, { amount: 10_000, reference: 'a' })).statusCode,
    ).toBe(201);
    const before = await snapshotCounts(t);
    const conflict = await depositRequest(kopA, member.memberNo, key, { amount: 20_000, reference: 'a' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await snapshotCounts(t)).toEqual(before);
  });

  it.each([
    ['no Idempotency-Key', undefined, { amount: 1000, reference: 'x' }, 400, 'IDEMPOTENCY_KEY_REQUIRED'],
    ['a malformed Idempotency-Key', 'bad key!', { amount: 1000, reference: 'x' }, 400, 'VALIDATION_FAILED'],
    ['a negative amount', 'key-negative-1', { amount: -5, reference: 'x' }, 400, 'VALIDATION_FAILED'],
    ['a zero amount', 'key-zero-00001', { amount: 0, reference: 'x' }, 400, 'VALIDATION_FAILED'],
    ['a fractional amount', 'key-fraction-1', { amount: 10.5, reference: 'x' }, 400, 'VALIDATION_FAILED'],
    ['an absurd amount', 'key-absurd-001', { amount: 1e20, reference: 'x' }, 400, 'VALIDATION_FAILED'],
    [
      'an amount above the deposit limit',
      'key-limit-0001',
      { amount: 5_000_000_000, reference: 'x' },
      400,
      'AMOUNT_TOO_LARGE',
    ],
    [
      'an amount as a float string',
      'key-string-001',
      { amount: '10.00', reference: 'x' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'an amount of the wrong type',
      'key-type-00001',
      { amount: true, reference: 'x' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'an unknown field',
      'key-unknown-01',
      { amount: 1000, reference: 'x', memberNo: 'A' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'an over-long reference',
      'key-long-00001',
      { amount: 1000, reference: 'x'.repeat(65) },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a control character',
      'key-control-01',
      { amount: 1000, reference: 'a\u0000b' },
      400,
      'VALIDATION_FAILED',
    ],
    ['a missing reference', 'key-missing-01', { amount: 1000 }, 400, 'VALIDATION_FAILED'],
  ])(
    'refuses %s with a clear problem and an untouched ledger',
    async (_label, key, payload, status, code) => {
      const member = await givenMember(t, kopA, { balance: 1_000n });
      const before = await snapshotCounts(t);
      const response = await depositRequest(kopA, member.memberNo, key, payload);
      expect(response.statusCode).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ code, status });
      expect(response.json().detail).toEqual(expect.any(String));
      expect(await snapshotCounts(t)).toEqual(before);
    },
  );

  it('refuses malformed JSON, a wrong content type and an oversized body without a 5xx', async () => {
    const member = await givenMember(t, kopA);
    const url = `/v1/members/${member.memberNo}/deposits`;
    const headers = { ...bearer(kopA.treasurerToken), 'idempotency-key': randomUUID() };
    const before = await snapshotCounts(t);
    const malformed = await t.app.inject({
      method: 'POST',
      url,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: '{"amount": 1000,',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('MALFORMED_JSON');
    const text = await t.app.inject({
      method: 'POST',
      url,
      headers: { ...headers, 'content-type': 'text/plain' },
      payload: 'amount=1000',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const huge = await t.app.inject({
      method: 'POST',
      url,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ reference: 'x'.repeat(200_000) }),
    });
    expect(huge.statusCode).toBe(413);
    const poisoned = await t.app.inject({
      method: 'POST',
      url,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: '{"amount":1,"reference":"x","__proto__":{"admin":true}}',
    });
    expect(poisoned.statusCode).toBe(400);
    expect(await snapshotCounts(t)).toEqual(before);
  });

  it('refuses invalid member numbers, PINs and names on registration', async () => {
    const before = await snapshotCounts(t);
    for (const payload of [
      { memberNo: 'has space', name: 'X', password: 'sandi-anggota-2', pin: '123456' },
      { memberNo: 'A-9', name: 'X', password: 'sandi-anggota-2', pin: '12345' },
      { memberNo: 'A-9', name: 'X', password: 'sandi-anggota-2', pin: '12345a' },
      { memberNo: 'A-9', name: '', password: 'sandi-anggota-2', pin: '123456' },
      { memberNo: 'A-9', name: 'X', password: 'short', pin: '123456' },
      { memberNo: 'A'.repeat(40), name: 'X', password: 'sandi-anggota-2', pin: '123456' },
    ]) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/v1/members',
        headers: bearer(kopA.treasurerToken),
        payload,
      });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().code).toBe('VALIDATION_FAILED');
    }
    expect(await snapshotCounts(t)).toEqual(before);
  });

  it('sets and lists the koperasi fee per product, and refuses unknown products and bad amounts', async () => {
    const set = await t.app.inject({
      method: 'PUT',
      url: '/v1/fees/PLN_POSTPAID',
      headers: bearer(kopA.treasurerToken),
      payload: { amount: 2_500 },
    });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ product: 'PLN_POSTPAID', amount: 2_500, isDefault: false });
    const list = await t.app.inject({ url: '/v1/fees', headers: bearer(kopA.treasurerToken) });
    expect(list.json().items).toContainEqual(
      expect.objectContaining({ product: 'BPJS_KESEHATAN', amount: 1_000, isDefault: true }),
    );
    const other = await t.app.inject({ url: '/v1/fees', headers: bearer(kopB.treasurerToken) });
    expect(other.json().items).toContainEqual(
      expect.objectContaining({ product: 'PLN_POSTPAID', amount: 1_000 }),
    );
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: '/v1/fees/PULSA_XL',
          headers: bearer(kopA.treasurerToken),
          payload: { amount: 1 },
        })
      ).json().code,
    ).toBe('PRODUCT_UNKNOWN');
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: '/v1/fees/PLN_POSTPAID',
          headers: bearer(kopA.treasurerToken),
          payload: { amount: -1 },
        })
      ).statusCode,
    ).toBe(400);
  });
});

describe('tenancy', () => {
  it('gives a treasurer of koperasi A 404 for any member of koperasi B, whatever is tried', async () => {
    const memberOfB = await givenMember(t, kopB, { balance: 10_000n });
    const before = await snapshotCounts(t);
    const asA = bearer(kopA.treasurerToken);
    const attempts = [
      t.app.inject({ url: `/v1/members/${memberOfB.memberNo}`, headers: asA }),
      depositRequest(kopA, memberOfB.memberNo, randomUUID(), { amount: 1_000, reference: 'x' }),
      t.app.inject({ method: 'POST', url: `/v1/members/${memberOfB.memberNo}/unlock-pin`, headers: asA }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('MEMBER_NOT_FOUND');
    }
    const listA = await t.app.inject({ url: '/v1/members?limit=100', headers: asA });
    expect(listA.json().items.map((m: { memberNo: string }) => m.memberNo)).not.toContain(memberOfB.memberNo);
    expect(await snapshotCounts(t)).toEqual(before);
  });

  it('does not let a member of A log in to koperasi B', async () => {
    const member = await givenMember(t, kopA);
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      payload: { koperasi: kopB.code, username: member.memberNo, password: member.password },
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('the ledger behind the API', () => {
  it('verifies after everything above', async () => {
    const member = await givenMember(t, kopB);
    await deposit(t, kopB, member.memberNo, 12_345n);
    expect(await ledgerBreaches(t)).toEqual([]);
  });
});

describe('rate limit', () => {
  it('answers 429 problem+json after too many logins from one address', async () => {
    const limited = await givenApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const attempt = () =>
        limited.app.inject({
          method: 'POST',
          url: '/v1/auth/token',
          payload: { koperasi: 'nope', username: 'nobody', password: 'x' },
        });
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await attempt()).statusCode);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const last = await attempt();
      expect(last.json()).toMatchObject({ code: 'RATE_LIMITED' });
      expect(last.headers['retry-after']).toBeDefined();
    } finally {
      await limited.close();
    }
  });
});
