/**
 * The real app against a database and a Redis prefix of the test file's own, with fixtures that go
 * through the public API (givenKoperasi, givenMember…) so tests read like what users do.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { buildApp } from '../../src/app.js';
import type { BillerAdapter } from '../../src/billers/port.js';
import type { Clock } from '../../src/clock.js';
import { type Config, loadConfig } from '../../src/config.js';
import { type Deps, buildDeps } from '../../src/deps.js';
import { sealAll } from '../../src/ledger/sealing.js';
import { verifyLedger } from '../../src/ledger/verify.js';
import { DOMAIN_CHECKS } from '../../src/verify-checks.js';
import { cutOffFarFromNow } from './cut-off.js';
import { createLogger } from '../../src/logger.js';
import { ensurePlatformAccounts } from '../../src/seed.js';
import { type RunningWorkers, type WorkerOptions, startWorkers } from '../../src/worker.js';
import { type TestDatabase, createTestDatabase } from './db.js';
import { REDIS_URL } from './env.js';

export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  database: TestDatabase;
  config: Config;
  redisPrefix: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  clock?: Clock;
  adapters?: BillerAdapter[];
  upstreamUrls?: { digiflazz?: string; iak?: string };
  /** Run the workers (payments, daily jobs, sealer) in this process too. */
  workers?: boolean | WorkerOptions;
  /** Another PostgreSQL server (base URL without a database) instead of the shared one. */
  postgresBase?: string;
}

export async function givenApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase(4, options.postgresBase);
  await database.close(); // the app opens its own pool on this database
  const redisPrefix = `pintu-test-${randomBytes(5).toString('hex')}`;
  const cutOff = cutOffFarFromNow(options.clock?.now() ?? new Date());
  const config = loadConfig({
    DATABASE_URL: database.runtimeUrl,
    DATABASE_OWNER_URL: database.url,
    REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    LOG_LEVEL: 'silent',
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    AUTH_ACCOUNT_RATE_LIMIT_PER_MINUTE: '10000',
    INQUIRY_RATE_LIMIT_PER_MINUTE: '100000',
    PAYMENT_RATE_LIMIT_PER_MINUTE: '100000',
    UPSTREAM_TIMEOUT_MS: '2000',
    POLL_INITIAL_MS: '200',
    // Twelve hours from the test's clock, so PLN payments pass whatever the time of day (a test of the cut-off
    // itself sets its own window).
    PLN_CUTOFF_START: cutOff.start,
    PLN_CUTOFF_END: cutOff.end,
    ...options.env,
  });
  const deps = buildDeps(config, {
    clock: options.clock,
    adapters: options.adapters ?? (options.upstreamUrls ? undefined : []),
    upstreamUrls: options.upstreamUrls,
    log: createLogger({ level: config.LOG_LEVEL }),
    poolSize: 10,
    name: 'test',
  });
  await ensurePlatformAccounts(deps);
  const app = await buildApp(deps);
  await app.ready();
  let workers: RunningWorkers | undefined;
  if (options.workers) {
    workers = startWorkers(deps, {
      pollIntervalMs: 50,
      sealIntervalMs: 200,
      ...(options.workers === true ? {} : options.workers),
    });
  }
  return {
    app,
    deps,
    database,
    config,
    redisPrefix,
    async close() {
      // Each step named, so a teardown that hangs says where (a hook timeout alone does not).
      await step('workers.close', () => workers?.close());
      await step('app.close', () => app.close());
      await step('deps.close', () => deps.close());
      await step('database.drop', () => database.drop());
      await step('flushPrefix', () => flushPrefix(redisPrefix));
    },
  };
}

async function step(name: string, run: () => Promise<unknown> | undefined): Promise<void> {
  const slow = setInterval(() => console.warn(`test teardown: still waiting for ${name}`), 10_000);
  try {
    await run();
  } finally {
    clearInterval(slow);
  }
}

/** Delete every Redis key of a test's prefix. */
export async function flushPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export const ADMIN = (t: TestApp) => ({ authorization: `Bearer ${t.config.ADMIN_TOKEN}` });
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export function json<T = Record<string, unknown>>(response: LightMyRequestResponse): T {
  return response.json<T>();
}

export interface GivenKoperasi {
  id: string;
  code: string;
  treasurerToken: string;
  treasurer: { username: string; password: string };
}

export async function givenKoperasi(
  t: TestApp,
  code = `kop-${randomBytes(3).toString('hex')}`,
  options: { region?: string } = {},
): Promise<GivenKoperasi> {
  const treasurer = { username: 'bendahara', password: 'rahasia-bendahara-1' };
  const created = await t.app.inject({
    method: 'POST',
    url: '/v1/koperasi',
    headers: ADMIN(t),
    payload: {
      code,
      name: `Koperasi ${code}`,
      treasurer,
      ...(options.region ? { region: options.region } : {}),
    },
  });
  if (created.statusCode !== 201) throw new Error(`givenKoperasi: ${created.statusCode} ${created.body}`);
  return {
    id: created.json<{ id: string }>().id,
    code,
    treasurer,
    treasurerToken: await login(t, code, treasurer.username, treasurer.password),
  };
}

export async function login(
  t: TestApp,
  koperasi: string,
  username: string,
  password: string,
): Promise<string> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/v1/auth/token',
    payload: { koperasi, username, password },
  });
  if (response.statusCode !== 200) throw new Error(`login: ${response.statusCode} ${response.body}`);
  return response.json<{ accessToken: string }>().accessToken;
}

/** An office account (created with ADMIN_TOKEN) and its access token. */
export async function givenOfficeUser(
  t: TestApp,
  role: 'supervisor' | 'operator',
  region?: string,
): Promise<{ id: string; username: string; password: string; token: string }> {
  const username = `${role}-${randomBytes(3).toString('hex')}`;
  const password = 'sandi-dinas-rahasia-1';
  const created = await t.app.inject({
    method: 'POST',
    url: role === 'supervisor' ? '/v1/office/supervisors' : '/v1/office/operators',
    headers: ADMIN(t),
    payload: {
      username,
      name: `Petugas ${username}`,
      password,
      ...(role === 'supervisor' ? { region } : {}),
    },
  });
  if (created.statusCode !== 201) throw new Error(`givenOfficeUser: ${created.statusCode} ${created.body}`);
  const token = await t.app.inject({
    method: 'POST',
    url: '/v1/auth/office-token',
    payload: { username, password },
  });
  if (token.statusCode !== 200) throw new Error(`office login: ${token.statusCode} ${token.body}`);
  return {
    id: created.json<{ id: string }>().id,
    username,
    password,
    token: token.json<{ accessToken: string }>().accessToken,
  };
}

/** A pengawas of the koperasi (created by its treasurer) and their access token. */
export async function givenPengawas(t: TestApp, kop: GivenKoperasi): Promise<{ id: string; token: string }> {
  const username = `pengawas-${randomBytes(2).toString('hex')}`;
  const password = 'sandi-pengawas-1';
  const created = await t.app.inject({
    method: 'POST',
    url: '/v1/pengawas',
    headers: bearer(kop.treasurerToken),
    payload: { username, name: 'Pak Pengawas', password },
  });
  if (created.statusCode !== 201) throw new Error(`givenPengawas: ${created.statusCode} ${created.body}`);
  return { id: created.json<{ id: string }>().id, token: await login(t, kop.code, username, password) };
}

export interface GivenMember {
  id: string;
  memberNo: string;
  password: string;
  pin: string;
  token: string;
}

/** What the treasurer gives a new member; the member replaces both at the first login. */
export const INITIAL_PASSWORD = 'sandi-dari-bendahara-1';
export const INITIAL_PIN = '860731';

/**
 * A registered member, signed in. By default the member has done what the first login asks — replaced the
 * treasurer's password and PIN with `password` and `pin` — so `token` opens every member route; with
 * `firstLogin: true` the member still holds the treasurer's credentials (INITIAL_PASSWORD, INITIAL_PIN) and
 * a token that opens only GET /v1/me, the live events and the credential changes.
 */
export async function givenMember(
  t: TestApp,
  kop: GivenKoperasi,
  options: { balance?: bigint; memberNo?: string; pin?: string; firstLogin?: boolean } = {},
): Promise<GivenMember> {
  const memberNo = options.memberNo ?? `A-${randomBytes(3).toString('hex')}`;
  const password = 'sandi-anggota-1';
  const pin = options.pin ?? '147258';
  const initialPin = pin === INITIAL_PIN ? '860732' : INITIAL_PIN;
  const created = await t.app.inject({
    method: 'POST',
    url: '/v1/members',
    headers: bearer(kop.treasurerToken),
    payload: { memberNo, name: `Anggota ${memberNo}`, password: INITIAL_PASSWORD, pin: initialPin },
  });
  if (created.statusCode !== 201) throw new Error(`givenMember: ${created.statusCode} ${created.body}`);
  if (options.balance && options.balance > 0n) await deposit(t, kop, memberNo, options.balance);
  const id = created.json<{ id: string }>().id;
  const firstToken = await login(t, kop.code, memberNo, INITIAL_PASSWORD);
  if (options.firstLogin)
    return { id, memberNo, password: INITIAL_PASSWORD, pin: initialPin, token: firstToken };
  const changedPassword = await changeOwn(t, firstToken, 'password', {
    currentPassword: INITIAL_PASSWORD,
    newPassword: password,
  });
  const token = await changeOwn(t, changedPassword, 'pin', { currentPin: initialPin, newPin: pin });
  return { id, memberNo, password, pin, token };
}

/** POST /v1/me/password or /v1/me/pin; returns the new access token. */
export async function changeOwn(
  t: TestApp,
  token: string,
  what: 'password' | 'pin',
  payload: Record<string, string>,
): Promise<string> {
  const response = await t.app.inject({
    method: 'POST',
    url: `/v1/me/${what}`,
    headers: bearer(token),
    payload,
  });
  if (response.statusCode !== 200) throw new Error(`change ${what}: ${response.statusCode} ${response.body}`);
  return response.json<{ accessToken: string }>().accessToken;
}

export async function deposit(
  t: TestApp,
  kop: GivenKoperasi,
  memberNo: string,
  amount: bigint,
): Promise<LightMyRequestResponse> {
  const response = await t.app.inject({
    method: 'POST',
    url: `/v1/members/${memberNo}/deposits`,
    headers: { ...bearer(kop.treasurerToken), 'idempotency-key': randomUUID() },
    payload: { amount: Number(amount), reference: 'setoran tunai' },
  });
  if (response.statusCode !== 201) throw new Error(`deposit: ${response.statusCode} ${response.body}`);
  return response;
}

/** Seal everything and run `ledger verify`; returns the failing checks (expect them to be []). */
export async function ledgerBreaches(t: TestApp) {
  await sealAll(t.deps.db);
  const report = await verifyLedger(t.deps.db, DOMAIN_CHECKS);
  return report.checks.filter((c) => !c.ok);
}

/** The tables a rejected request must not touch. */
const COUNTED_TABLES = [
  'koperasi',
  'users',
  'journal_transactions',
  'entries',
  'holds',
  'idempotency_keys',
  'audit_log',
  'fees',
  'quotes',
  'payments',
  'payment_attempts',
  'outbox',
  'callback_deliveries',
];

/**
 * Row counts of the tables a rejected request must not touch, and the sum of the balances, read in one
 * statement (one snapshot, one connection: a superuser connection each costs a backend's start).
 */
export async function snapshotCounts(t: TestApp): Promise<Record<string, number>> {
  const counts = COUNTED_TABLES.map((table) => `(SELECT count(*) FROM ${table})::int AS ${table}`);
  const result = await t.database.superuser<Record<string, number | string>>(
    `SELECT ${counts.join(', ')}, coalesce((SELECT sum(abs(balance)) FROM account_balances), 0)::text AS balance_sum`,
  );
  const { balance_sum: balanceSum, ...byTable } = result.rows[0]!;
  return { ...(byTable as Record<string, number>), balanceSum: Number(balanceSum) };
}

export interface PaymentBody {
  id: string;
  status: string;
  token: string | null;
  total: number;
  failureCode: string | null;
  upstreamRef: string | null;
}

export async function inquire(
  t: TestApp,
  member: GivenMember,
  payload: Record<string, unknown>,
): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'POST', url: '/v1/inquiries', headers: bearer(member.token), payload });
}

export async function pay(
  t: TestApp,
  member: GivenMember,
  quoteId: string,
  options: { pin?: string; key?: string; wait?: number } = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: '/v1/payments',
    headers: {
      ...bearer(member.token),
      'idempotency-key': options.key ?? randomUUID(),
      ...(options.wait ? { prefer: `wait=${options.wait}` } : {}),
    },
    payload: { quoteId, pin: options.pin ?? member.pin },
  });
}

/** Inquire and pay in one go; returns the payment as first answered. */
export async function quoteAndPay(
  t: TestApp,
  member: GivenMember,
  inquiry: Record<string, unknown>,
  options: { wait?: number } = {},
) {
  const quote = await inquire(t, member, inquiry);
  if (quote.statusCode !== 201) throw new Error(`inquiry: ${quote.statusCode} ${quote.body}`);
  const paid = await pay(t, member, quote.json<{ id: string }>().id, options);
  if (paid.statusCode !== 202 && paid.statusCode !== 200)
    throw new Error(`pay: ${paid.statusCode} ${paid.body}`);
  return paid.json<PaymentBody>();
}

/** Poll the API until the payment reaches one of `statuses` (default: any final state). */
export async function waitForPayment(
  t: TestApp,
  token: string,
  id: string,
  statuses: string[] = ['success', 'failed', 'refunded'],
  timeoutMs = 20_000,
): Promise<PaymentBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await t.app.inject({ url: `/v1/payments/${id}`, headers: bearer(token) });
    const body = response.json<PaymentBody>();
    if (statuses.includes(body.status)) return body;
    if (Date.now() > deadline) throw new Error(`payment ${id} still ${body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function balanceOf(
  t: TestApp,
  member: GivenMember,
): Promise<{ balance: number; available: number }> {
  return (await t.app.inject({ url: '/v1/me', headers: bearer(member.token) })).json();
}
