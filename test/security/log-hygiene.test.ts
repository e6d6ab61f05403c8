/**
 * Everything the app logs, at level trace, through a full flow against the sandbox upstream (the real
 * Digiflazz and IAK adapters over HTTP, signed callbacks included): no password, PIN, access token,
 * ADMIN_TOKEN, JWT secret, Authorization value, full customer number, webhook secret or API key may
 * appear — and the request ids must, so the search is not over an empty log.
 *
 * The app is built here rather than with givenApp, so its logger writes to memory. The logger has the
 * redaction of src/logger.ts (what production runs), only the destination differs.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, createSandbox } from '../../adapters/sandbox/index.js';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { type Deps, buildDeps } from '../../src/deps.js';
import { REDACT_PATHS } from '../../src/logger.js';
import { ensurePlatformAccounts } from '../../src/seed.js';
import { type RunningWorkers, startWorkers } from '../../src/worker.js';
import { flushPrefix } from '../helpers/app.js';
import { type TestDatabase, createTestDatabase } from '../helpers/db.js';
import { REDIS_URL } from '../helpers/env.js';
import { cutOffFarFromNow } from '../helpers/cut-off.js';

/** Every secret is distinctive, so finding it in the log cannot be a coincidence. */
const SECRETS = {
  ADMIN_TOKEN: `adm-${randomBytes(12).toString('hex')}`,
  JWT_SECRET: `jwt-${randomBytes(24).toString('hex')}`,
  DIGIFLAZZ_API_KEY: `dfkey-${randomBytes(10).toString('hex')}`,
  DIGIFLAZZ_WEBHOOK_SECRET: `dfhook-${randomBytes(10).toString('hex')}`,
  IAK_API_KEY: `iakkey-${randomBytes(10).toString('hex')}`,
};
const USERNAMES = { DIGIFLAZZ_USERNAME: 'hygiene-df-user', IAK_USERNAME: 'hygiene-iak-user' };
const TREASURER_PASSWORD = `Bendahara-${randomBytes(6).toString('hex')}`;
const MEMBER_PASSWORD = `Anggota-${randomBytes(6).toString('hex')}`;
const WRONG_PASSWORDS = [
  `Tebakan-${randomBytes(6).toString('hex')}`,
  `Tebakan-${randomBytes(6).toString('hex')}`,
];
const PIN = '837261';
const WRONG_PIN = '192837';
/** What the treasurer registers the member with; the member replaces both at the first login. */
const INITIAL_MEMBER_PASSWORD = `${MEMBER_PASSWORD}-awal`;
const INITIAL_PIN = '518204';
/** Full customer numbers (PLN postpaid IDPEL); the sandbox picks the scenario by the last four digits. */
const CUSTOMER = {
  paid: '538765430000',
  pending: '538765431039', // pending, then a signed callback says success
  unknownCode: '538765431099', // an unmapped code: suspect, resolved later
  iak: '538765420000',
};

let database: TestDatabase;
let config: Config;
let deps: Deps;
let app: FastifyInstance;
let workers: RunningWorkers;
let sandbox: Sandbox;
let redisPrefix: string;
const captured: string[] = [];

beforeAll(async () => {
  sandbox = createSandbox({
    cutOff: cutOffFarFromNow(),
    seed: 7,
    pendingMs: 300,
    refundMs: 60_000,
    callbackRetryMs: [200, 500],
    credentials: {
      digiflazz: {
        username: USERNAMES.DIGIFLAZZ_USERNAME,
        apiKey: SECRETS.DIGIFLAZZ_API_KEY,
        webhookSecret: SECRETS.DIGIFLAZZ_WEBHOOK_SECRET,
      },
      iak: { username: USERNAMES.IAK_USERNAME, apiKey: SECRETS.IAK_API_KEY },
    },
  });
  const upstream = await sandbox.listen(0);
  database = await createTestDatabase(4);
  await database.close();
  redisPrefix = `pintu-test-${randomBytes(5).toString('hex')}`;
  config = loadConfig({
    DATABASE_URL: database.url,
    REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    LOG_LEVEL: 'trace',
    PLN_CUTOFF_START: cutOffFarFromNow().start,
    PLN_CUTOFF_END: cutOffFarFromNow().end,
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    AUTH_ACCOUNT_RATE_LIMIT_PER_MINUTE: '10000',
    INQUIRY_RATE_LIMIT_PER_MINUTE: '100000',
    PAYMENT_RATE_LIMIT_PER_MINUTE: '100000',
    UPSTREAM_TIMEOUT_MS: '2000',
    POLL_INITIAL_MS: '300',
    ...SECRETS,
    ...USERNAMES,
  });
  const memory = new Writable({
    write(chunk: Buffer, _encoding, done) {
      captured.push(chunk.toString('utf8'));
      done();
    },
  });
  const log = pino(
    { name: 'pintu', level: 'trace', redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    memory,
  );
  deps = buildDeps(config, {
    log,
    upstreamUrls: { digiflazz: `${upstream}/digiflazz`, iak: `${upstream}/iak` },
    poolSize: 10,
    name: 'hygiene',
  });
  await ensurePlatformAccounts(deps);
  app = await buildApp(deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const api = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  sandbox.setCallbackUrl('digiflazz', `${api}/v1/callbacks/digiflazz`);
  sandbox.setCallbackUrl('iak', `${api}/v1/callbacks/iak`);
  workers = startWorkers(deps, { pollIntervalMs: 50, sealIntervalMs: 200 });
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await app?.close();
  await deps?.close();
  await sandbox?.close();
  await database?.drop();
  if (redisPrefix) await flushPrefix(redisPrefix);
});

let step = 0;
/** Every request carries an X-Request-Id of ours, to find it in the log afterwards. */
const requestIds: string[] = [];
async function call(
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  options: { token?: string; payload?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  const requestId = `hygiene-${String(++step).padStart(4, '0')}`;
  requestIds.push(requestId);
  return app.inject({
    method,
    url,
    headers: {
      'x-request-id': requestId,
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    ...(options.payload ? { payload: options.payload } : {}),
  });
}

async function waitFor(token: string, id: string, statuses: string[]): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const status = (await call('GET', `/v1/payments/${id}`, { token })).json<{ status: string }>().status;
    if (statuses.includes(status)) return status;
    if (Date.now() > deadline) throw new Error(`payment ${id} still ${status}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('log hygiene', () => {
  const tokens: string[] = [];

  it('runs a full flow: onboarding, failed and good logins, a member with password and PIN, a deposit, inquiries, payments, a callback', async () => {
    const code = `kop-${randomBytes(3).toString('hex')}`;
    const admin = SECRETS.ADMIN_TOKEN;
    const onboard = await call('POST', '/v1/koperasi', {
      token: admin,
      payload: {
        code,
        name: 'Koperasi Bersih',
        treasurer: { username: 'bendahara', password: TREASURER_PASSWORD },
      },
    });
    expect(onboard.statusCode, onboard.body).toBe(201);
    for (const password of WRONG_PASSWORDS) {
      expect(
        (
          await call('POST', '/v1/auth/token', {
            payload: { koperasi: code, username: 'bendahara', password },
          })
        ).statusCode,
      ).toBe(401);
    }
    const treasurerLogin = await call('POST', '/v1/auth/token', {
      payload: { koperasi: code, username: 'bendahara', password: TREASURER_PASSWORD },
    });
    const treasurer = treasurerLogin.json<{ accessToken: string }>().accessToken;
    tokens.push(treasurer);

    const memberNo = 'H-001';
    const member = await call('POST', '/v1/members', {
      token: treasurer,
      payload: {
        memberNo,
        name: 'Siti Bersih',
        phone: '081234567890',
        password: INITIAL_MEMBER_PASSWORD,
        pin: INITIAL_PIN,
      },
    });
    expect(member.statusCode, member.body).toBe(201);
    const deposit = await call('POST', `/v1/members/${memberNo}/deposits`, {
      token: treasurer,
      payload: { amount: 5_000_000, reference: 'setoran tunai' },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(deposit.statusCode, deposit.body).toBe(201);
    expect(
      (
        await call('POST', '/v1/auth/token', {
          payload: { koperasi: code, username: memberNo, password: WRONG_PASSWORDS[0] },
        })
      ).statusCode,
    ).toBe(401);
    // The first login: the member replaces the treasurer's password and PIN with their own.
    const firstToken = (
      await call('POST', '/v1/auth/token', {
        payload: { koperasi: code, username: memberNo, password: INITIAL_MEMBER_PASSWORD },
      })
    ).json<{ accessToken: string }>().accessToken;
    tokens.push(firstToken);
    const passwordChanged = await call('POST', '/v1/me/password', {
      token: firstToken,
      payload: { currentPassword: INITIAL_MEMBER_PASSWORD, newPassword: MEMBER_PASSWORD },
    });
    expect(passwordChanged.statusCode, passwordChanged.body).toBe(200);
    tokens.push(passwordChanged.json<{ accessToken: string }>().accessToken);
    const pinChanged = await call('POST', '/v1/me/pin', {
      token: passwordChanged.json<{ accessToken: string }>().accessToken,
      payload: { currentPin: INITIAL_PIN, newPin: PIN },
    });
    expect(pinChanged.statusCode, pinChanged.body).toBe(200);
    tokens.push(pinChanged.json<{ accessToken: string }>().accessToken);
    const memberToken = (
      await call('POST', '/v1/auth/token', {
        payload: { koperasi: code, username: memberNo, password: MEMBER_PASSWORD },
      })
    ).json<{ accessToken: string }>().accessToken;
    tokens.push(memberToken);

    const payFor = async (customerNo: string, pin = PIN) => {
      const quote = await call('POST', '/v1/inquiries', {
        token: memberToken,
        payload: { product: 'PLN_POSTPAID', customerNo },
      });
      expect(quote.statusCode, quote.body).toBe(201);
      return call('POST', '/v1/payments', {
        token: memberToken,
        payload: { quoteId: quote.json<{ id: string }>().id, pin },
        headers: { 'idempotency-key': randomUUID(), prefer: 'wait=5' },
      });
    };

    const wrongPin = await payFor(CUSTOMER.paid, WRONG_PIN);
    expect(wrongPin.statusCode).toBe(403);
    const paid = await payFor(CUSTOMER.paid);
    expect(paid.json<{ status: string }>().status).toBe('success');
    expect(
      (await call('GET', `/v1/payments/${paid.json<{ id: string }>().id}/receipt`, { token: memberToken }))
        .statusCode,
    ).toBe(200);

    // Pending at the upstream; its signed callback (HMAC with the webhook secret) settles it.
    const pending = await payFor(CUSTOMER.pending);
    expect(await waitFor(memberToken, pending.json<{ id: string }>().id, ['success', 'failed'])).toBe(
      'success',
    );
    const unknown = await payFor(CUSTOMER.unknownCode);
    await waitFor(memberToken, unknown.json<{ id: string }>().id, ['suspect', 'success', 'failed']);

    // The same through IAK (its signatures use the IAK API key): open Digiflazz's circuit.
    for (let i = 0; i < 5; i++) deps.billers.get('digiflazz')!.breaker.failure();
    const viaIak = await payFor(CUSTOMER.iak);
    expect(await waitFor(memberToken, viaIak.json<{ id: string }>().id, ['success'])).toBe('success');
    deps.billers.get('digiflazz')!.breaker.success();

    // A forged callback, and the treasurer's views.
    expect(
      (
        await call('POST', '/v1/callbacks/digiflazz', {
          payload: { data: { ref_id: 'x' } },
          headers: { 'x-hub-signature': 'sha1=0000' },
        })
      ).statusCode,
    ).toBe(401);
    expect((await call('GET', '/v1/payments?limit=10', { token: treasurer })).statusCode).toBe(200);
    expect((await call('GET', '/v1/me', { token: memberToken })).statusCode).toBe(200);
  }, 60_000);

  it('never logs a password, a PIN, a token, the admin token, the JWT secret, a full customer number, the webhook secret or an API key', async () => {
    await new Promise((r) => setTimeout(r, 300)); // the last callbacks' and workers' lines
    const text = captured.join('');
    const forbidden: [string, string][] = [
      ['the treasurer password', TREASURER_PASSWORD],
      ['the member password', MEMBER_PASSWORD],
      ['the initial member password', INITIAL_MEMBER_PASSWORD],
      ...WRONG_PASSWORDS.map((p, i): [string, string] => [`wrong password ${i + 1}`, p]),
      ['the ADMIN_TOKEN', SECRETS.ADMIN_TOKEN],
      ['the JWT secret', SECRETS.JWT_SECRET],
      ['the Digiflazz API key', SECRETS.DIGIFLAZZ_API_KEY],
      ['the Digiflazz webhook secret', SECRETS.DIGIFLAZZ_WEBHOOK_SECRET],
      ['the IAK API key', SECRETS.IAK_API_KEY],
      ...tokens.map((token, i): [string, string] => [`access token ${i + 1}`, token]),
      ...tokens.map((token, i): [string, string] => [
        `the signature of access token ${i + 1}`,
        token.split('.')[2]!,
      ]),
      ...Object.entries(CUSTOMER).map(([name, no]): [string, string] => [
        `the full customer number (${name})`,
        no,
      ]),
      // A PIN is six digits: search it as a value, not inside timestamps.
      ['the PIN as a value', `"${PIN}"`],
      ['the wrong PIN as a value', `"${WRONG_PIN}"`],
      ['the initial PIN as a value', `"${INITIAL_PIN}"`],
      ['a Bearer credential', 'Bearer ey'],
    ];
    const leaks = forbidden
      .filter(([, secret]) => text.includes(secret))
      .map(([label, secret]) => {
        const line = captured.find((l) => l.includes(secret)) ?? '';
        return `${label}: ${line.slice(0, 300)}`;
      });
    expect(leaks, leaks.join('\n')).toEqual([]);
    expect(text).not.toMatch(
      /"(pin|password|accessToken|authorization|apiKey|secret|customerNo|customer_no|sign)":"(?!\[redacted\])/,
    );
  });

  it('does log the requests, by the ids they came with (so the search above was over a real log)', () => {
    const text = captured.join('');
    expect(captured.length).toBeGreaterThan(50);
    const missing = requestIds.filter((id) => !text.includes(`"reqId":"${id}"`));
    expect(missing).toEqual([]);
    expect(text).toContain('"msg":"upstream answered"');
    expect(text).toContain('********0000');
  });
});
