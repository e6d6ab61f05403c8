/**
 * Attacks on authentication and on the edges of the API: PIN and password brute force, forged and
 * confused JWTs, SQL injection through every free-form input, forged and replayed upstream callbacks,
 * and what every answer says about the server (security headers, no stack traces).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_SIGNATURE_HEADER, type FakeAdapter } from '../../adapters/fake/index.js';
import {
  ADMIN,
  type GivenKoperasi,
  type GivenMember,
  type TestApp,
  bearer,
  givenApp,
  givenKoperasi,
  givenMember,
  inquire,
  ledgerBreaches,
  login,
  pay,
  quoteAndPay,
  snapshotCounts,
  waitForPayment,
} from '../helpers/app.js';
import {
  type ForgedTokens,
  contractViolation,
  forgedTokens,
  instantFakes,
  middayClock,
  quiesce,
  stateDigest,
  tableNames,
} from './support.js';

const clock = middayClock();
const WATER = { product: 'PDAM_TIRTA_BENTENG', customerNo: '12340000' };
const SUSPECT = { product: 'PDAM_TIRTA_BENTENG', customerNo: '12349999' };

let t: TestApp;
let fake: FakeAdapter;
let kop: GivenKoperasi;
let other: GivenKoperasi;

beforeAll(async () => {
  const fakes = instantFakes();
  fake = fakes.digiflazz;
  for (const f of Object.values(fakes)) {
    f.onPay(SUSPECT.customerNo, { kind: 'suspect', rc: 'TIMEOUT', message: 'timed out' });
    f.onStatus(SUSPECT.customerNo, { kind: 'suspect', rc: '03', message: 'Pending' });
  }
  t = await givenApp({
    adapters: [fakes.digiflazz, fakes.iak],
    clock,
    workers: true,
    env: { POLL_INITIAL_MS: '600000' },
  });
  kop = await givenKoperasi(t);
  other = await givenKoperasi(t);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const quoteFor = async (member: GivenMember, body: Record<string, unknown> = WATER) => {
  const response = await inquire(t, member, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
};

const pinState = async (member: GivenMember) =>
  (
    await t.deps.db.execute<{ pin_failures: number; locked: boolean }>(
      sql`SELECT pin_failures, pin_locked_at IS NOT NULL AS locked FROM users WHERE id = ${member.id}`,
    )
  ).rows[0]!;

const paymentsOf = async (member: GivenMember) =>
  (
    await t.deps.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM payments WHERE member_id = ${member.id}`,
    )
  ).rows[0]!.n;

describe('PIN brute force', () => {
  let member: GivenMember;
  let quote: string;

  beforeAll(async () => {
    member = await givenMember(t, kop, { balance: 500_000n, pin: '246810' });
    quote = await quoteFor(member);
  });

  it('answers four wrong PINs with PIN_INVALID and the tries left, and locks on the fifth', async () => {
    const before = await snapshotCounts(t);
    const answers = [];
    for (const pin of ['000000', '111111', '222222', '333333', '444444'])
      answers.push(await pay(t, member, quote, { pin }));
    expect(answers.slice(0, 4).map((r) => [r.statusCode, r.json().code, r.json().remainingAttempts])).toEqual(
      [
        [403, 'PIN_INVALID', 4],
        [403, 'PIN_INVALID', 3],
        [403, 'PIN_INVALID', 2],
        [403, 'PIN_INVALID', 1],
      ],
    );
    expect(answers[4]!.statusCode).toBe(423);
    expect(answers[4]!.json()).toMatchObject({ code: 'PIN_LOCKED' });
    for (const answer of answers) expect(contractViolation(answer)).toBeUndefined();
    expect(await snapshotCounts(t)).toEqual(before);
    expect((await t.app.inject({ url: '/v1/me', headers: bearer(member.token) })).json().pinLocked).toBe(
      true,
    );
  });

  it('stays locked for the right PIN, and pays nothing', async () => {
    const before = await snapshotCounts(t);
    const right = await pay(t, member, quote, { pin: member.pin });
    expect(right.statusCode).toBe(423);
    expect(right.json().code).toBe('PIN_LOCKED');
    expect(await snapshotCounts(t)).toEqual(before);
    expect(await paymentsOf(member)).toBe(0);
  });

  it('is unlocked by a treasurer of the koperasi only, and the unlock is audited', async () => {
    const url = `/v1/members/${member.memberNo}/unlock-pin`;
    const before = await snapshotCounts(t);
    const refusals = [
      [await t.app.inject({ method: 'POST', url }), 401],
      [await t.app.inject({ method: 'POST', url, headers: bearer(member.token) }), 403],
      [await t.app.inject({ method: 'POST', url, headers: ADMIN(t) }), 403],
      [await t.app.inject({ method: 'POST', url, headers: bearer(other.treasurerToken) }), 404],
    ] as const;
    for (const [response, status] of refusals) {
      expect(response.statusCode, response.body).toBe(status);
      expect(contractViolation(response)).toBeUndefined();
    }
    expect(await snapshotCounts(t)).toEqual(before);
    expect(await pinState(member)).toMatchObject({ locked: true });

    const unlocked = await t.app.inject({ method: 'POST', url, headers: bearer(kop.treasurerToken) });
    expect(unlocked.statusCode).toBe(200);
    expect(unlocked.json()).toMatchObject({ memberNo: member.memberNo, pinLocked: false });
    const audit = await t.deps.db.execute<{
      actor_type: string;
      actor_id: string;
      before: { locked: boolean; pinFailures: number };
    }>(
      sql`SELECT actor_type, actor_id, before FROM audit_log WHERE action = 'member.pin_unlock' AND subject_id = ${member.id}`,
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({
      actor_type: 'treasurer',
      before: { locked: true, pinFailures: 5 },
    });
    const treasurerId = (await t.app.inject({ url: '/v1/me', headers: bearer(kop.treasurerToken) })).json()
      .id;
    expect(audit.rows[0]!.actor_id).toBe(treasurerId);

    const paid = await pay(t, member, quote, { pin: member.pin });
    expect(paid.statusCode).toBe(202);
    await waitForPayment(t, member.token, paid.json().id);
  });

  it('holds under 20 concurrent wrong PINs: nothing is paid, at most four tries are reported left, and the PIN locks', async () => {
    const victim = await givenMember(t, kop, { balance: 500_000n });
    const target = await quoteFor(victim);
    const before = await snapshotCounts(t);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => pay(t, victim, target, { pin: String(700_000 + i) })),
    );
    expect(answers.every((r) => r.statusCode === 403 || r.statusCode === 423)).toBe(true);
    expect(answers.filter((r) => r.json().code === 'PIN_INVALID').length).toBeLessThanOrEqual(4);
    expect(await pinState(victim)).toMatchObject({ locked: true });
    expect(await paymentsOf(victim)).toBe(0);
    expect(await snapshotCounts(t)).toEqual(before);
  });

  it('counts at most five guesses however many arrive at once (the failure counter never passes PIN_MAX_ATTEMPTS)', async () => {
    const victim = await givenMember(t, kop, { balance: 500_000n });
    const target = await quoteFor(victim);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => pay(t, victim, target, { pin: String(800_000 + i) })),
    );
    // Each counted failure is a guess that went through argon2: more than five means more than five guesses.
    expect((await pinState(victim)).pin_failures).toBeLessThanOrEqual(t.config.PIN_MAX_ATTEMPTS);
  });

  it('never pays for the right PIN sent at the end of a burst of wrong ones, once the wrong ones have locked it', async () => {
    const victim = await givenMember(t, kop, { balance: 500_000n, pin: '975310' });
    const target = await quoteFor(victim);
    const burst = Array.from({ length: 20 }, (_, i) => pay(t, victim, target, { pin: String(900_000 + i) }));
    burst.push(pay(t, victim, target, { pin: victim.pin }));
    const answers = await Promise.all(burst);
    const last = answers.at(-1)!;
    expect(await pinState(victim)).toMatchObject({ locked: true });
    // Twenty wrong guesses came first; the PIN locked after five of them. The right PIN must not slip through.
    expect(
      last.statusCode,
      `the right PIN after 20 wrong ones answered ${last.statusCode} ${last.body.slice(0, 120)}`,
    ).toBe(423);
    expect(await paymentsOf(victim)).toBe(0);
  });
});

describe('password brute force', () => {
  it('answers 429 problem+json with Retry-After after AUTH_RATE_LIMIT_PER_MINUTE attempts, whatever the password, username or X-Forwarded-For', async () => {
    const limited = await givenApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '5' } });
    try {
      const k = await givenKoperasi(limited); // one login already spent by the fixture
      const attempt = (
        password: string,
        headers: Record<string, string> = {},
        username = k.treasurer.username,
      ) =>
        limited.app.inject({
          method: 'POST',
          url: '/v1/auth/token',
          headers,
          payload: { koperasi: k.code, username, password },
        });
      const wrong = [];
      for (let i = 0; i < 4; i++) wrong.push((await attempt(`salah-${i}-sekali`)).statusCode);
      expect(wrong).toEqual([401, 401, 401, 401]);
      const refused = [
        await attempt(k.treasurer.password),
        await attempt(k.treasurer.password, { 'x-forwarded-for': '203.0.113.9' }),
        await attempt('salah-lagi', { 'x-real-ip': '198.51.100.7' }, 'lain'),
      ];
      for (const response of refused) {
        expect(response.statusCode).toBe(429);
        expect(response.headers['content-type']).toContain('application/problem+json');
        expect(response.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
        expect(response.json().accessToken).toBeUndefined();
      }
      // The limit guards logins, not the rest of the API.
      expect(
        (await limited.app.inject({ url: '/v1/me', headers: bearer(k.treasurerToken) })).statusCode,
      ).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('gives a wrong password and an unknown user the same answer', async () => {
    const member = await givenMember(t, kop);
    const answers = await Promise.all(
      [
        { koperasi: kop.code, username: member.memberNo, password: 'bukan-sandinya' },
        { koperasi: kop.code, username: 'tidak-ada', password: 'bukan-sandinya' },
        { koperasi: 'kop-tidak-ada', username: member.memberNo, password: member.password },
        { koperasi: other.code, username: member.memberNo, password: member.password },
      ].map((payload) => t.app.inject({ method: 'POST', url: '/v1/auth/token', payload })),
    );
    for (const answer of answers) {
      expect(answer.statusCode).toBe(401);
      expect(answer.json()).toMatchObject({ code: 'INVALID_CREDENTIALS', detail: answers[0]!.json().detail });
    }
  });
});

describe('forged and confused tokens', () => {
  let member: GivenMember;
  let forged: ForgedTokens;

  beforeAll(async () => {
    member = await givenMember(t, kop);
    forged = await forgedTokens(t, member.token, other.id);
  });

  it('accepts the genuine token (so the refusals below are about the forgery)', async () => {
    expect((await t.app.inject({ url: '/v1/me', headers: bearer(member.token) })).statusCode).toBe(200);
  });

  it.each([
    'expired',
    'notYetValid',
    'tamperedPayload',
    'tamperedSignature',
    'algNone',
    'hs512',
    'rs256',
    'wrongIssuer',
    'wrongAudience',
    'signedWithAdminToken',
    'missingKoperasi',
  ] as const)(
    'refuses a token that is %s with 401 on member and treasurer routes, and changes nothing',
    async (name) => {
      const before = await stateDigest(t);
      for (const request of [
        { method: 'GET' as const, url: '/v1/me' },
        { method: 'GET' as const, url: '/v1/payments' },
        { method: 'GET' as const, url: '/v1/members' },
        {
          method: 'POST' as const,
          url: '/v1/members',
          payload: {
            memberNo: `F-${randomUUID().slice(0, 6)}`,
            name: 'Palsu',
            password: 'sandi-palsu-1',
            pin: '123456',
          },
        },
        { method: 'POST' as const, url: '/v1/inquiries', payload: WATER },
      ]) {
        const response = await t.app.inject({ ...request, headers: bearer(forged[name]) });
        expect(response.statusCode, `${request.method} ${request.url}: ${response.body}`).toBe(401);
        expect(response.json().code).toBe('UNAUTHENTICATED');
        expect(contractViolation(response)).toBeUndefined();
      }
      expect(await stateDigest(t)).toEqual(before);
    },
  );

  it('refuses malformed Authorization headers with 401', async () => {
    for (const authorization of [
      'Bearer',
      'Bearer ',
      `bearer ${member.token}`,
      `Basic ${Buffer.from(`${member.memberNo}:${member.password}`).toString('base64')}`,
      `Bearer ${member.token} ${member.token}`,
      `Bearer ${'A'.repeat(5_000)}`,
      `Token ${member.token}`,
      `Bearer ${member.token.split('.').slice(0, 2).join('.')}`,
    ]) {
      const response = await t.app.inject({ url: '/v1/me', headers: { authorization } });
      expect(response.statusCode, authorization.slice(0, 40)).toBe(401);
    }
  });

  it('keeps the platform admin and koperasi users apart: the admin token is no user token, and no user token is the admin', async () => {
    const asAdmin = await t.app.inject({ url: '/v1/me', headers: ADMIN(t) });
    expect(asAdmin.statusCode).toBe(403);
    const onboard = {
      code: `kop-${randomUUID().slice(0, 6)}`,
      name: 'X',
      treasurer: { username: 'bendahara', password: 'rahasia-panjang' },
    };
    for (const token of [kop.treasurerToken, member.token, forged.signedWithAdminToken]) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/v1/koperasi',
        headers: bearer(token),
        payload: onboard,
      });
      expect(response.statusCode).toBe(403);
    }
  });
});

describe('SQL injection', () => {
  const INJECTIONS = [
    "' OR 1=1 --",
    "'; DROP TABLE payments; --",
    "x' UNION SELECT password_hash FROM users --",
    '1); DELETE FROM entries; --',
    "' || pg_sleep(5) || '",
    '"; TRUNCATE audit_log; --',
  ];
  let member: GivenMember;
  let tables: string[];

  beforeAll(async () => {
    member = await givenMember(t, kop, { balance: 300_000n });
    tables = await tableNames(t);
  });

  const intact = async () => {
    expect(await tableNames(t)).toEqual(tables);
    expect(await ledgerBreaches(t)).toEqual([]);
  };

  it('is inert in login fields: every attempt is a 400 or 401, no token is issued', async () => {
    const before = await snapshotCounts(t);
    for (const injection of INJECTIONS) {
      for (const payload of [
        { koperasi: injection, username: 'bendahara', password: 'x' },
        { koperasi: kop.code, username: injection, password: 'x' },
        { koperasi: kop.code, username: 'bendahara', password: injection },
        { koperasi: kop.code, username: member.memberNo, password: injection },
      ]) {
        const response = await t.app.inject({ method: 'POST', url: '/v1/auth/token', payload });
        expect([400, 401], `${JSON.stringify(payload)} → ${response.body}`).toContain(response.statusCode);
        expect(response.json().accessToken).toBeUndefined();
      }
    }
    expect(await snapshotCounts(t)).toEqual(before);
    await intact();
  });

  it('is inert in member numbers, customer numbers, query parameters and dates: refused with 400, nothing created', async () => {
    const before = await snapshotCounts(t);
    const asTreasurer = bearer(kop.treasurerToken);
    for (const injection of INJECTIONS) {
      const encoded = encodeURIComponent(injection);
      const answers = [
        await t.app.inject({ url: `/v1/members/${encoded}`, headers: asTreasurer }),
        await t.app.inject({
          method: 'POST',
          url: `/v1/members/${encoded}/deposits`,
          headers: { ...asTreasurer, 'idempotency-key': randomUUID() },
          payload: { amount: 1_000, reference: 'x' },
        }),
        await t.app.inject({
          method: 'POST',
          url: '/v1/members',
          headers: asTreasurer,
          payload: { memberNo: injection, name: 'X', password: 'sandi-anggota-1', pin: '123456' },
        }),
        await t.app.inject({
          method: 'POST',
          url: '/v1/inquiries',
          headers: bearer(member.token),
          payload: { product: 'PDAM_TIRTA_BENTENG', customerNo: injection },
        }),
        await t.app.inject({
          method: 'POST',
          url: '/v1/inquiries',
          headers: bearer(member.token),
          payload: { product: injection, customerNo: '12340000' },
        }),
        await t.app.inject({ url: `/v1/members?after=${encoded}`, headers: asTreasurer }),
        await t.app.inject({ url: `/v1/payments?status=${encoded}`, headers: asTreasurer }),
        await t.app.inject({ url: `/v1/reports/daily?date=2026-01-01${encoded}`, headers: asTreasurer }),
        await t.app.inject({ url: `/v1/reconciliations?date=${encoded}`, headers: asTreasurer }),
        await t.app.inject({
          method: 'PUT',
          url: `/v1/fees/${encoded}`,
          headers: asTreasurer,
          payload: { amount: 1 },
        }),
      ];
      for (const answer of answers) {
        expect([400, 404], `${injection}: ${answer.statusCode} ${answer.body.slice(0, 160)}`).toContain(
          answer.statusCode,
        );
        expect(contractViolation(answer)).toBeUndefined();
      }
    }
    expect(await snapshotCounts(t)).toEqual(before);
    await intact();
  });

  it('stores references, names and reasons that look like SQL verbatim, as data', async () => {
    const injection = "'; DROP TABLE payments; --";
    const deposit = await t.app.inject({
      method: 'POST',
      url: `/v1/members/${member.memberNo}/deposits`,
      headers: { ...bearer(kop.treasurerToken), 'idempotency-key': randomUUID() },
      payload: { amount: 1_000, reference: injection },
    });
    expect(deposit.statusCode).toBe(201);
    expect(deposit.json().reference).toBe(injection);
    const memo = await t.deps.db.execute<{ memo: string }>(
      sql`SELECT memo FROM journal_transactions WHERE id = ${deposit.json().transactionId}`,
    );
    expect(memo.rows[0]!.memo).toBe(injection);

    const named = await t.app.inject({
      method: 'POST',
      url: '/v1/members',
      headers: bearer(kop.treasurerToken),
      payload: {
        memberNo: `S-${randomUUID().slice(0, 6)}`,
        name: "Robert'); DROP TABLE users; --",
        password: 'sandi-anggota-1',
        pin: '123456',
      },
    });
    expect(named.statusCode).toBe(201);
    expect(named.json().name).toBe("Robert'); DROP TABLE users; --");

    const suspect = await quoteAndPay(t, member, SUSPECT);
    await waitForPayment(t, member.token, suspect.id, ['suspect']);
    const resolved = await t.app.inject({
      method: 'POST',
      url: `/v1/payments/${suspect.id}/resolve`,
      headers: bearer(kop.treasurerToken),
      payload: { outcome: 'failed', reason: "checked'); UPDATE payments SET status='success'; --" },
    });
    expect(resolved.statusCode).toBe(200);
    const audit = await t.deps.db.execute<{ reason: string }>(
      sql`SELECT reason FROM audit_log WHERE subject_id = ${suspect.id} AND action LIKE 'payment.resolve.%'`,
    );
    expect(audit.rows[0]!.reason).toBe("checked'); UPDATE payments SET status='success'; --");
    const statuses = await t.deps.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM payments WHERE status = 'success' AND member_id = ${member.id}`,
    );
    expect(statuses.rows[0]!.n).toBe(0);
    await intact();
  });
});

describe('upstream callbacks', () => {
  let member: GivenMember;
  let paymentId: string;
  let refId: string;
  const success = { kind: 'success', upstreamRef: 'SN-CB-1', rc: '00', message: 'Sukses' } as const;

  const deliver = (
    headers: Record<string, string | string[] | undefined>,
    body: Buffer | string,
    adapter = 'digiflazz',
  ) =>
    t.app.inject({
      method: 'POST',
      url: `/v1/callbacks/${adapter}`,
      headers: headers as Record<string, string>,
      payload: body,
    });

  const statusOf = async () =>
    (await t.app.inject({ url: `/v1/payments/${paymentId}`, headers: bearer(member.token) })).json().status;

  beforeAll(async () => {
    member = await givenMember(t, kop, { balance: 300_000n });
    const paid = await quoteAndPay(t, member, SUSPECT);
    await waitForPayment(t, member.token, paid.id, ['suspect']);
    await quiesce(t);
    paymentId = paid.id;
    refId = (
      await t.deps.db.execute<{ ref_id: string }>(
        sql`SELECT ref_id FROM payment_attempts WHERE payment_id = ${paid.id}`,
      )
    ).rows[0]!.ref_id;
  });

  it('refuses a forged, a missing or a borrowed signature with 401, and the payment stays suspect', async () => {
    const genuine = fake.signedCallback({ refId, outcome: success, deliveryId: 'forged-1' });
    const before = await stateDigest(t);
    const attempts: [string, LightMyRequestResponse][] = [
      [
        'a forged signature',
        await deliver({ ...genuine.headers, [FAKE_SIGNATURE_HEADER]: 'a'.repeat(64) }, genuine.rawBody),
      ],
      ['no signature', await deliver({ 'content-type': 'application/json' }, genuine.rawBody)],
      [
        'a signature of another body',
        await deliver(genuine.headers, Buffer.from(genuine.rawBody.toString().replace('SN-CB-1', 'SN-EVIL'))),
      ],
      [
        'a signature in upper case hex of another secret',
        await deliver({ ...genuine.headers, [FAKE_SIGNATURE_HEADER]: 'F'.repeat(64) }, genuine.rawBody),
      ],
      [
        'two signature headers',
        await deliver(
          {
            ...genuine.headers,
            [FAKE_SIGNATURE_HEADER]: [String(genuine.headers[FAKE_SIGNATURE_HEADER]), 'b'.repeat(64)],
          },
          genuine.rawBody,
        ),
      ],
    ];
    for (const [label, response] of attempts) {
      expect(response.statusCode, `${label}: ${response.body}`).toBe(401);
      expect(response.json().code, label).toBe('CALLBACK_SIGNATURE_INVALID');
    }
    expect(await stateDigest(t)).toEqual(before);
    expect(await statusOf()).toBe('suspect');
    const unknown = await deliver(genuine.headers, genuine.rawBody, 'xendit');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('ADAPTER_UNKNOWN');
  });

  it('applies a genuine callback once; a replay of its delivery id, even re-signed with another outcome, changes nothing', async () => {
    const first = fake.signedCallback({ refId, outcome: success, deliveryId: 'delivery-1' });
    const applied = await deliver(first.headers, first.rawBody);
    expect(applied.statusCode).toBe(200);
    expect(applied.json()).toEqual({ status: 'applied' });
    expect(await statusOf()).toBe('success');
    await quiesce(t);

    const before = await snapshotCounts(t);
    const digest = await stateDigest(t);
    const replay = await deliver(first.headers, first.rawBody);
    expect(replay.json()).toEqual({ status: 'duplicate' });
    const refund = fake.signedCallback({
      refId,
      outcome: { kind: 'refunded', rc: '07', message: 'Refund' },
      deliveryId: 'delivery-1',
    });
    const replayedRefund = await deliver(refund.headers, refund.rawBody);
    expect(replayedRefund.json()).toEqual({ status: 'duplicate' });
    expect(await snapshotCounts(t)).toEqual(before);
    expect(await stateDigest(t)).toEqual(digest);
    expect(await statusOf()).toBe('success');
    expect(await ledgerBreaches(t)).toEqual([]);
  });

  it('ignores a genuine callback for a reference nobody sent', async () => {
    const stray = fake.signedCallback({
      refId: 'NOBODY00000000000000000000000001',
      outcome: success,
      deliveryId: 'stray-1',
    });
    const before = await snapshotCounts(t);
    const response = await deliver(stray.headers, stray.rawBody);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ignored' });
    const after = await snapshotCounts(t);
    expect({ ...after, callback_deliveries: before.callback_deliveries }).toEqual(before);
  });
});

describe('what answers reveal', () => {
  let member: GivenMember;
  let paid: string;

  beforeAll(async () => {
    member = await givenMember(t, kop, { balance: 300_000n });
    paid = (await quoteAndPay(t, member, WATER)).id;
    await waitForPayment(t, member.token, paid);
  });

  it('sends nosniff, a CSP and HSTS and no X-Powered-By on JSON, problems, PDFs, CSV and HTML', async () => {
    const answers: [string, LightMyRequestResponse][] = [
      ['JSON', await t.app.inject({ url: '/v1/me', headers: bearer(member.token) })],
      ['a problem', await t.app.inject({ url: '/v1/me' })],
      ['a not-found problem', await t.app.inject({ url: '/v1/nothing-here' })],
      [
        'a PDF receipt',
        await t.app.inject({ url: `/v1/payments/${paid}/receipt`, headers: bearer(member.token) }),
      ],
      [
        'a CSV report',
        await t.app.inject({
          url: `/v1/reports/daily?date=${clock.day}`,
          headers: bearer(kop.treasurerToken),
        }),
      ],
      ['the OpenAPI UI', await t.app.inject({ url: '/docs' })],
      ['health', await t.app.inject({ url: '/health/live' })],
    ];
    for (const [label, response] of answers) {
      expect(response.statusCode, label).toBeLessThan(500);
      expect(response.headers['x-content-type-options'], label).toBe('nosniff');
      expect(response.headers['content-security-policy'], label).toContain("default-src 'self'");
      expect(response.headers['strict-transport-security'], label).toMatch(/max-age=\d+/);
      expect(response.headers['x-powered-by'], label).toBeUndefined();
    }
    expect(answers[3]![1].headers['cache-control']).toContain('no-store');
  });

  it('never echoes a stack trace, a source path or SQL in a problem', async () => {
    const asTreasurer = bearer(kop.treasurerToken);
    const json = { 'content-type': 'application/json' };
    const problems = [
      await t.app.inject({
        method: 'POST',
        url: '/v1/members',
        headers: { ...asTreasurer, ...json },
        payload: '{"memberNo":',
      }),
      await t.app.inject({
        method: 'POST',
        url: '/v1/members',
        headers: { ...asTreasurer, ...json },
        payload: '{"__proto__":{"x":1}}',
      }),
      await t.app.inject({
        method: 'POST',
        url: '/v1/members',
        headers: { ...asTreasurer, ...json },
        payload: '['.repeat(10_000) + ']'.repeat(10_000),
      }),
      await t.app.inject({
        method: 'POST',
        url: '/v1/members',
        headers: { ...asTreasurer, ...json },
        payload: JSON.stringify({ name: 'x'.repeat(100_000) }),
      }),
      await t.app.inject({
        method: 'POST',
        url: '/v1/members',
        headers: { ...asTreasurer, 'content-type': 'text/xml' },
        payload: '<x/>',
      }),
      await t.app.inject({
        method: 'POST',
        url: '/v1/members',
        headers: asTreasurer,
        payload: { memberNo: 'A 1', name: '', password: 'x', pin: 'x' },
      }),
      await t.app.inject({ method: 'DELETE', url: '/v1/members' }),
      await t.app.inject({ url: `/v1/payments/${randomUUID()}`, headers: bearer(member.token) }),
      await t.app.inject({ url: '/v1/reports/daily?date=2026-02-31', headers: asTreasurer }),
      await t.app.inject({
        method: 'POST',
        url: `/v1/reconciliations/digiflazz/2026-01-01`,
        headers: { ...ADMIN(t), 'content-type': 'text/csv' },
        payload: 'a,b\n1,2\n',
      }),
      await t.app.inject({
        method: 'POST',
        url: '/v1/callbacks/digiflazz',
        headers: json,
        payload: '{"refId":"x"}',
      }),
      await t.app.inject({
        method: 'POST',
        url: '/v1/payments',
        headers: { ...bearer(member.token), 'idempotency-key': 'no' },
        payload: { quoteId: randomUUID(), pin: '123456' },
      }),
    ];
    for (const response of problems) {
      expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
      expect(contractViolation(response), response.body).toBeUndefined();
      expect(response.body).not.toMatch(
        /\bSELECT\b|\bINSERT\b|relation "|syntax error at|duplicate key|violates/i,
      );
    }
  });
});

describe('the books after every attack', () => {
  it('still verify', async () => {
    expect(await ledgerBreaches(t)).toEqual([]);
    expect(await login(t, kop.code, kop.treasurer.username, kop.treasurer.password)).toMatch(/^ey/);
  });
});
