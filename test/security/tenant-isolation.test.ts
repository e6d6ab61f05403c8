/**
 * Tenant isolation as a matrix: every route × every role (anonymous, the platform admin token, a named
 * operator, and for each of koperasi A and B: a member, the treasurer, the pengawas and the supervisor of
 * the cooperative office of its region) × whose resource the request names (the caller's
 * own, a neighbour's in the same koperasi, the other koperasi's, or a guess). The matrix is data; one
 * loop asserts every cell with a message naming it.
 *
 * Expected: 401 without a token, 403 for the wrong role, 404 for anything of another koperasi (or of
 * another member, for a member), 2xx only for one's own — and a refused request changes nothing. Reads
 * that are allowed are searched for every identifier of the other koperasi; writes that are allowed must
 * leave the other koperasi's books, fees, members and payments exactly as they were.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { SETTLEMENT_HEADER } from '../../src/recon/ingest.js';
import {
  type GivenKoperasi,
  type GivenMember,
  type TestApp,
  ADMIN,
  bearer,
  givenApp,
  givenKoperasi,
  givenMember,
  givenOfficeUser,
  givenPengawas,
  inquire,
  ledgerBreaches,
  quoteAndPay,
  snapshotCounts,
  waitForPayment,
} from '../helpers/app.js';
import { asInjected, contractViolation, instantFakes, openStream, quiesce, stateDigest } from './support.js';

const DAY = '2026-03-16';
let now = new Date(`${DAY}T10:00:00+07:00`);
const clock: Clock = { now: () => now };
const WATER = (customerNo: string) => ({ product: 'PDAM_TIRTA_BENTENG', customerNo });
/** The fake upstream keeps this customer number's payments suspect (for the resolve route). */
const SUSPECT_NO = '12349999';

type Kop = 'A' | 'B';
type Role =
  'anonymous' | 'admin' | 'operator' | `${'member' | 'treasurer' | 'pengawas' | 'supervisor'}${Kop}`;
const ROLES: Role[] = [
  'anonymous',
  'admin',
  'operator',
  'memberA',
  'treasurerA',
  'pengawasA',
  'supervisorA',
  'memberB',
  'treasurerB',
  'pengawasB',
  'supervisorB',
];

interface Tenant {
  kop: GivenKoperasi;
  /** The member whose token is used; `neighbour` is another member of the same koperasi. */
  member: GivenMember;
  neighbour: GivenMember;
  paid: string;
  neighbourPaid: string;
  suspect: string;
  quote: string;
  neighbourQuote: string;
  /** Distinct fee of PLN_PREPAID, to recognise whose fees an answer shows. */
  fee: number;
  refIds: string[];
  pengawasToken: string;
  supervisorToken: string;
  /** Saved customer numbers: the member's, the neighbour's, one the member deletes, one the treasurer deletes. */
  saved: { mine: string; neighbour: string; mineToDelete: string; staffToDelete: string };
}

let t: TestApp;
const tenants = {} as Record<Kop, Tenant>;
let operatorToken: string;

beforeAll(async () => {
  const fakes = instantFakes();
  for (const fake of Object.values(fakes)) {
    fake.onPay(SUSPECT_NO, { kind: 'suspect', rc: 'TIMEOUT', message: 'timed out' });
    fake.onStatus(SUSPECT_NO, { kind: 'suspect', rc: '03', message: 'Pending' });
  }
  t = await givenApp({
    adapters: [fakes.digiflazz, fakes.iak],
    clock,
    workers: true,
    env: { POLL_INITIAL_MS: '600000' },
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  expect((t.app.server.address() as AddressInfo).port).toBeGreaterThan(0);
  for (const [name, fee] of [
    ['A', 4_321],
    ['B', 8_765],
  ] as const) {
    const kop = await givenKoperasi(t, undefined, { region: `Wilayah ${name}` });
    const member = await givenMember(t, kop, {
      balance: 5_000_000n,
      memberNo: `${name}-${randomUUID().slice(0, 8)}`,
    });
    const neighbour = await givenMember(t, kop, {
      balance: 5_000_000n,
      memberNo: `${name}-${randomUUID().slice(0, 8)}`,
    });
    const setFee = await t.app.inject({
      method: 'PUT',
      url: '/v1/fees/PLN_PREPAID',
      headers: bearer(kop.treasurerToken),
      payload: { amount: fee },
    });
    expect(setFee.statusCode).toBe(200);
    const paid = (await quoteAndPay(t, member, WATER('12340000'))).id;
    const neighbourPaid = (await quoteAndPay(t, neighbour, WATER('12340000'))).id;
    const suspect = (await quoteAndPay(t, member, WATER(SUSPECT_NO))).id;
    await waitForPayment(t, member.token, paid);
    await waitForPayment(t, neighbour.token, neighbourPaid);
    await waitForPayment(t, member.token, suspect, ['suspect']);
    const refIds = (
      await t.deps.db.execute<{ ref_id: string }>(
        sql`SELECT ref_id FROM payments WHERE koperasi_id = ${kop.id}`,
      )
    ).rows.map((r) => r.ref_id);
    tenants[name] = {
      kop,
      member,
      neighbour,
      paid,
      neighbourPaid,
      suspect,
      quote: '',
      neighbourQuote: '',
      fee,
      refIds,
      pengawasToken: (await givenPengawas(t, kop)).token,
      supervisorToken: (await givenOfficeUser(t, 'supervisor', `Wilayah ${name}`)).token,
      saved: {
        mine: await givenSaved(member.token, '11110001'),
        neighbour: await givenSaved(neighbour.token, '11110001'),
        mineToDelete: await givenSaved(member.token, '11110002'),
        staffToDelete: await givenSaved(member.token, '11110003'),
      },
    };
  }
  operatorToken = (await givenOfficeUser(t, 'operator')).token;
  for (const [url, payload] of [
    [
      '/v1/office/supervisors',
      { username: 'taken-supervisor', name: 'X', password: 'sandi-dinas-9', region: 'Wilayah A' },
    ],
    ['/v1/office/operators', { username: 'taken-operator', name: 'X', password: 'sandi-dinas-9' }],
  ] as const) {
    const taken = await t.app.inject({ method: 'POST', url, headers: ADMIN(t), payload });
    expect(taken.statusCode).toBe(201);
  }
  await quiesce(t);
  // The next morning the operator uploads the day's settlement: every payment of both koperasi is missing
  // upstream, so each koperasi has reconciliation items of its own.
  now = new Date(`2026-03-17T06:30:00+07:00`);
  const at = `${DAY}T10:00:01+07:00`;
  const row = [
    at,
    at,
    'PHANTOM00000000000000000000000001',
    'DF-1',
    'pam',
    '12340000',
    'X',
    '202601',
    '',
    '100000',
    '0',
    '2500',
    '102500',
    '102000',
    '500',
    'SUCCESS',
    '00',
    'SN1',
    '',
  ].join(',');
  const upload = await t.app.inject({
    method: 'POST',
    url: `/v1/reconciliations/digiflazz/${DAY}`,
    headers: { ...ADMIN(t), 'content-type': 'text/csv' },
    payload: `${SETTLEMENT_HEADER}\n${row}\nTOTAL,1,102500,102000\n`,
  });
  expect(upload.statusCode, upload.body).toBe(200);
  await quiesce(t);
  // Quotes live until the end of their WIB day: made now, on the morning after.
  for (const tenant of Object.values(tenants)) {
    tenant.quote = (await inquire(t, tenant.member, WATER('12340000'))).json<{ id: string }>().id;
    tenant.neighbourQuote = (await inquire(t, tenant.neighbour, WATER('12340000'))).json<{ id: string }>().id;
  }
}, 120_000);

/** Per koperasi, a deposit of its member (a deposit's id is its journal transaction id). */
const depositIds = {} as Record<Kop, string>;
beforeAll(async () => {
  for (const kop of ['A', 'B'] as const) {
    const made = await t.app.inject({
      method: 'POST',
      url: `/v1/members/${tenants[kop].member.memberNo}/deposits`,
      headers: { ...bearer(tenants[kop].kop.treasurerToken), ...key() },
      payload: { amount: 1_000, reference: 'setoran untuk koreksi' },
    });
    expect(made.statusCode, made.body).toBe(201);
    depositIds[kop] = made.json<{ transactionId: string }>().transactionId;
  }
  await quiesce(t);
});

afterAll(async () => {
  await t?.close();
});

async function givenSaved(token: string, customerNo: string): Promise<string> {
  const saved = await t.app.inject({
    method: 'POST',
    url: '/v1/me/saved-numbers',
    headers: bearer(token),
    payload: { product: 'PDAM_TIRTA_BENTENG', customerNo, nickname: `Nomor ${customerNo}` },
  });
  expect(saved.statusCode, saved.body).toBe(201);
  return saved.json<{ id: string }>().id;
}

/** A fresh PDAM number to save (8 digits). */
const newNumber = () => ({
  product: 'PDAM_TIRTA_BENTENG',
  customerNo: String(20_000_000 + Math.floor(Math.random() * 70_000_000)),
  nickname: 'Nomor baru',
});

/** Every saved number of every koperasi, so a refusal can be shown to have changed none. */
async function savedDigest(): Promise<string> {
  const rows = await t.deps.db.execute<{ d: string }>(
    sql`SELECT coalesce(string_agg(id::text || ':' || nickname || ':' || coalesce(months, 0), ',' ORDER BY id), '') AS d FROM saved_numbers`,
  );
  return rows.rows[0]!.d;
}

// ─── who asks ───────────────────────────────────────────────────────────────────────────────────

interface Caller {
  role: Role;
  kind: 'anonymous' | 'admin' | 'operator' | 'member' | 'treasurer' | 'pengawas' | 'supervisor';
  /** The koperasi of a koperasi user, or the one koperasi of a supervisor's region. */
  kop?: Kop;
}

const callerOf = (role: Role): Caller =>
  role === 'anonymous' || role === 'admin' || role === 'operator'
    ? { role, kind: role }
    : { role, kind: role.slice(0, -1) as Caller['kind'], kop: role.endsWith('A') ? 'A' : 'B' };

function authorization(caller: Caller): Record<string, string> {
  if (caller.kind === 'anonymous') return {};
  if (caller.kind === 'admin') return ADMIN(t);
  if (caller.kind === 'operator') return bearer(operatorToken);
  const tenant = tenants[caller.kop!];
  const tokens = {
    member: tenant.member.token,
    treasurer: tenant.kop.treasurerToken,
    pengawas: tenant.pengawasToken,
    supervisor: tenant.supervisorToken,
  } as const;
  return bearer(tokens[caller.kind]);
}

// ─── what is asked for ──────────────────────────────────────────────────────────────────────────

/** The resource a request names; `owner` absent = a guess that belongs to nobody. */
interface Target {
  label: string;
  value: string;
  owner?: { kop: Kop; member: 'member' | 'neighbour' };
}

/** Ids that look like real ones: random, all-zero, sequential, and the neighbours of a real UUIDv7. */
function guessedIds(): Target[] {
  const real = tenants.B.paid;
  const last = parseInt(real.slice(-1), 16);
  return [
    { label: 'a random UUID', value: randomUUID() },
    { label: 'the nil UUID', value: '00000000-0000-0000-0000-000000000000' },
    { label: 'sequential UUID 1', value: '00000000-0000-4000-8000-000000000001' },
    { label: 'sequential UUID 2', value: '00000000-0000-4000-8000-000000000002' },
    {
      label: "the next id after B's payment",
      value: `${real.slice(0, -1)}${((last + 1) % 16).toString(16)}`,
    },
  ];
}

const payments = (
  pick: (tenant: Tenant) => string,
  member: 'member' | 'neighbour',
  label: string,
): Target[] =>
  (['A', 'B'] as const).map((kop) => ({
    label: `${label} of ${kop}`,
    value: pick(tenants[kop]),
    owner: { kop, member },
  }));

function paymentTargets(): Target[] {
  return [
    ...payments((x) => x.paid, 'member', "the member's paid payment"),
    ...payments((x) => x.neighbourPaid, 'neighbour', "the neighbour's paid payment"),
    ...guessedIds(),
  ];
}

function memberTargets(): Target[] {
  return [
    ...(['A', 'B'] as const).map((kop) => ({
      label: `the member of ${kop}`,
      value: tenants[kop].member.memberNo,
      owner: { kop, member: 'member' as const },
    })),
    { label: 'a sequential number', value: '1' },
    { label: 'a typical member number', value: 'A-001' },
    { label: "B's member number in lower case", value: tenants.B.member.memberNo.toLowerCase() },
    { label: "a treasurer's username", value: 'bendahara' },
  ];
}

function koperasiTargets(): Target[] {
  return [
    ...(['A', 'B'] as const).map((kop) => ({
      label: `koperasi ${kop}`,
      value: tenants[kop].kop.id,
      owner: { kop, member: 'member' as const },
    })),
    ...guessedIds(),
  ];
}

const savedTargets = (pick: (saved: Tenant['saved']) => string, label: string) => (): Target[] => [
  ...(['A', 'B'] as const).map((kop) => ({
    label: `${label} of ${kop}`,
    value: pick(tenants[kop].saved),
    owner: { kop, member: 'member' as const },
  })),
  ...(['A', 'B'] as const).map((kop) => ({
    label: `the neighbour's saved number of ${kop}`,
    value: tenants[kop].saved.neighbour,
    owner: { kop, member: 'neighbour' as const },
  })),
  ...guessedIds(),
];

/** "memberNo/savedNumberId" for the treasurer's route: a member's number, and guesses. */
function memberSavedTargets(): Target[] {
  return [
    ...(['A', 'B'] as const).map((kop) => ({
      label: `the member's saved number of ${kop}`,
      value: `${tenants[kop].member.memberNo}/${tenants[kop].saved.staffToDelete}`,
      owner: { kop, member: 'member' as const },
    })),
    ...(['A', 'B'] as const).map((kop) => ({
      label: `the neighbour's saved number of ${kop}, named under the member`,
      value: `${tenants[kop].member.memberNo}/${tenants[kop].saved.neighbour}`,
    })),
    { label: 'a guessed number', value: `${tenants.A.member.memberNo}/${randomUUID()}` },
  ];
}

/** Deposits of A and B, and deposit numbers nobody has (the largest bigint, a far one). */
function depositTargets(): Target[] {
  return [
    ...(['A', 'B'] as const).map((kop) => ({
      label: `the deposit of ${kop}`,
      value: depositIds[kop],
      owner: { kop, member: 'member' as const },
    })),
    { label: 'the largest deposit number', value: '9223372036854775807' },
    { label: 'a far deposit number', value: '987654321098' },
  ];
}

function quoteTargets(): Target[] {
  return [
    ...(['A', 'B'] as const).map((kop) => ({
      label: `the member's quote of ${kop}`,
      value: tenants[kop].quote,
      owner: { kop, member: 'member' as const },
    })),
    ...(['A', 'B'] as const).map((kop) => ({
      label: `the neighbour's quote of ${kop}`,
      value: tenants[kop].neighbourQuote,
      owner: { kop, member: 'neighbour' as const },
    })),
    ...guessedIds(),
  ];
}

interface RouteCase {
  name: string;
  /** Roles that may use the route at all. */
  roles: Caller['kind'][];
  /** A member may only touch their own resources; a treasurer anything of their koperasi. */
  memberScoped: boolean;
  writes: boolean;
  targets?: () => Target[];
  request(target: Target | undefined): {
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    url: string;
    payload?: Record<string, unknown> | string;
    headers?: Record<string, string>;
  };
  /** Status of an allowed request on one's own resource. */
  allowed: number;
  /** Codes of "not found" for someone else's or a guessed resource. */
  notFound?: string[];
  stream?: boolean;
  /** The one answer for every caller (public routes that ignore the token). */
  always?: { status: number; code: string };
}

const key = () => ({ 'idempotency-key': randomUUID() });

const ROUTES: RouteCase[] = [
  {
    name: 'GET /v1/me',
    roles: ['member', 'treasurer', 'pengawas'],
    memberScoped: false,
    writes: false,
    request: () => ({ method: 'GET', url: '/v1/me' }),
    allowed: 200,
  },
  {
    name: 'GET /v1/products',
    roles: ['member', 'treasurer', 'pengawas'],
    memberScoped: false,
    writes: false,
    request: () => ({ method: 'GET', url: '/v1/products' }),
    allowed: 200,
  },
  {
    name: 'GET /v1/fees',
    roles: ['treasurer', 'pengawas'],
    memberScoped: false,
    writes: false,
    request: () => ({ method: 'GET', url: '/v1/fees' }),
    allowed: 200,
  },
  {
    name: 'PUT /v1/fees/{product}',
    roles: ['treasurer'],
    memberScoped: false,
    writes: true,
    request: () => ({ method: 'PUT', url: '/v1/fees/BPJS_KESEHATAN', payload: { amount: 1_500 } }),
    allowed: 200,
  },
  {
    name: 'GET /v1/members',
    roles: ['treasurer', 'pengawas'],
    memberScoped: false,
    writes: false,
    request: () => ({ method: 'GET', url: '/v1/members?limit=100' }),
    allowed: 200,
  },
  {
    name: 'POST /v1/members',
    roles: ['treasurer'],
    memberScoped: false,
    writes: true,
    request: () => ({
      method: 'POST',
      url: '/v1/members',
      payload: {
        memberNo: `N-${randomUUID().slice(0, 8)}`,
        name: 'Anggota Baru',
        password: 'sandi-anggota-9',
        pin: '135790',
      },
    }),
    allowed: 201,
  },
  {
    name: 'GET /v1/members/{memberNo}',
    roles: ['treasurer', 'pengawas'],
    memberScoped: false,
    writes: false,
    targets: memberTargets,
    request: (x) => ({ method: 'GET', url: `/v1/members/${encodeURIComponent(x!.value)}` }),
    allowed: 200,
    notFound: ['MEMBER_NOT_FOUND'],
  },
  {
    name: 'POST /v1/members/{memberNo}/deposits',
    roles: ['treasurer'],
    memberScoped: false,
    writes: true,
    targets: memberTargets,
    request: (x) => ({
      method: 'POST',
      url: `/v1/members/${encodeURIComponent(x!.value)}/deposits`,
      payload: { amount: 1_000, reference: 'setoran' },
      headers: key(),
    }),
    allowed: 201,
    notFound: ['MEMBER_NOT_FOUND'],
  },
  {
    name: 'POST /v1/members/{memberNo}/unlock-pin',
    roles: ['treasurer'],
    memberScoped: false,
    writes: true,
    targets: memberTargets,
    request: (x) => ({ method: 'POST', url: `/v1/members/${encodeURIComponent(x!.value)}/unlock-pin` }),
    allowed: 200,
    notFound: ['MEMBER_NOT_FOUND'],
  },
  {
    name: 'POST /v1/members/{memberNo}/reset-password',
    roles: ['treasurer'],
    memberScoped: false,
    writes: true,
    targets: memberTargets,
    // The member's own password again: the reset only obliges the member to choose new credentials at the
    // next login (the tokens this file holds were issued before, without the claim, and keep working).
    request: (x) => ({
      method: 'POST',
      url: `/v1/members/${encodeURIComponent(x!.value)}/reset-password`,
      payload: { newPassword: 'sandi-anggota-1' },
    }),
    allowed: 200,
    notFound: ['MEMBER_NOT_FOUND'],
  },
  {
    name: 'POST /v1/me/password',
    roles: ['member', 'treasurer', 'pengawas'],
    memberScoped: false,
    writes: false,
    // The same password twice: every account gets as far as PASSWORD_UNCHANGED, and nothing changes.
    request: () => ({
      method: 'POST',
      url: '/v1/me/password',
      payload: { currentPassword: 'sandi-yang-sama-1', newPassword: 'sandi-yang-sama-1' },
    }),
    allowed: 400,
  },
  {
    name: 'POST /v1/me/pin',
    roles: ['member'],
    memberScoped: false,
    writes: false,
    // The same PIN twice: refused as PIN_UNCHANGED before any guess is spent.
    request: () => ({
      method: 'POST',
      url: '/v1/me/pin',
      payload: { currentPin: '135790', newPin: '135790' },
    }),
    allowed: 400,
  },
  {
    name: 'GET /v1/koperasi/{code}/contact',
    roles: [],
    memberScoped: false,
    writes: false,
    // Public, and the same for everyone: the koperasi's name and whom to call, nothing else.
    request: () => ({ method: 'GET', url: `/v1/koperasi/${tenants.A.kop.code.toUpperCase()}/contact` }),
    allowed: 0,
    always: { status: 200, code: '' },
  },
  {
    name: 'POST /v1/inquiries',
    roles: ['member'],
    memberScoped: true,
    writes: true,
    request: () => ({ method: 'POST', url: '/v1/inquiries', payload: WATER('12340000') }),
    allowed: 201,
  },
  {
    name: 'POST /v1/payments',
    roles: ['member'],
    memberScoped: true,
    writes: true,
    targets: quoteTargets,
    // Always the caller's own, correct PIN: only the quote decides.
    request: (x) => ({
      method: 'POST',
      url: '/v1/payments',
      payload: { quoteId: x!.value, pin: tenants.A.member.pin },
      headers: key(),
    }),
    allowed: 202,
    notFound: ['QUOTE_NOT_FOUND'],
  },
  {
    name: 'GET /v1/payments',
    roles: ['member', 'treasurer', 'pengawas'],
    memberScoped: true,
    writes: false,
    request: () => ({ method: 'GET', url: '/v1/payments?limit=100' }),
    allowed: 200,
  },
  {
    name: 'GET /v1/payments/{id}',
    roles: ['member', 'treasurer', 'pengawas'],
    memberScoped: true,
    writes: false,
    targets: paymentTargets,
    request: (x) => ({ method: 'GET', url: `/v1/payments/${x!.value}` }),
    allowed: 200,
    notFound: ['PAYMENT_NOT_FOUND'],
  },
  {
    name: 'GET /v1/payments/{id}/receipt',
    roles: ['member', 'treasurer', 'pengawas'],
    memberScoped: true,
    writes: false,
    targets: paymentTargets,
    request: (x) => ({ method: 'GET', url: `/v1/payments/${x!.value}/receipt` }),
    allowed: 200,
    notFound: ['PAYMENT_NOT_FOUND'],
  },
  {
    name: 'POST /v1/payments/{id}/resolve',
    roles: ['treasurer'],
    memberScoped: false,
    writes: true,
    targets: () => [...payments((x) => x.suspect, 'member', 'the suspect payment'), ...guessedIds()],
    request: (x) => ({
      method: 'POST',
      url: `/v1/payments/${x!.value}/resolve`,
      payload: { outcome: 'failed', reason: 'checked at the aggregator portal' },
    }),
    allowed: 200,
    notFound: ['PAYMENT_NOT_FOUND'],
  },
  {
    name: 'GET /v1/events',
    roles: ['member', 'treasurer', 'pengawas'],
    memberScoped: false,
    writes: false,
    stream: true,
    request: () => ({ method: 'GET', url: '/v1/events' }),
    allowed: 200,
  },
  {
    name: 'GET /v1/reports/daily',
    roles: ['treasurer', 'pengawas'],
    memberScoped: false,
    writes: false,
    request: () => ({ method: 'GET', url: `/v1/reports/daily?date=${DAY}&format=csv` }),
    allowed: 200,
  },
  {
    name: 'GET /v1/reconciliations',
    roles: ['treasurer', 'pengawas'],
    memberScoped: false,
    writes: false,
    request: () => ({ method: 'GET', url: `/v1/reconciliations?date=${DAY}` }),
    allowed: 200,
  },
  {
    name: 'POST /v1/reconciliations/{adapter}/{date}',
    roles: ['admin', 'operator'],
    memberScoped: false,
    writes: false,
    // A file that cannot be ingested: the admin gets as far as the validation, nobody else does.
    request: () => ({
      method: 'POST',
      url: `/v1/reconciliations/digiflazz/${DAY}`,
      payload: 'not,a,settlement\n',
      headers: { 'content-type': 'text/csv' },
    }),
    allowed: 422,
  },
  {
    name: 'POST /v1/koperasi',
    roles: ['admin', 'operator'],
    memberScoped: false,
    writes: false,
    // A taken code: the admin gets as far as the conflict, nobody else does.
    request: () => ({
      method: 'POST',
      url: '/v1/koperasi',
      payload: {
        code: tenants.A.kop.code,
        name: 'Lagi',
        treasurer: { username: 'lain', password: 'rahasia-panjang' },
      },
    }),
    allowed: 409,
  },
  {
    name: 'POST /v1/pengawas',
    roles: ['treasurer'],
    memberScoped: false,
    writes: true,
    request: () => ({
      method: 'POST',
      url: '/v1/pengawas',
      payload: {
        username: `pengawas-${randomUUID().slice(0, 8)}`,
        name: 'Ibu Pengawas',
        password: 'sandi-pengawas-9',
      },
    }),
    allowed: 201,
  },
  {
    name: 'GET /v1/members/{memberNo}/mutasi',
    roles: ['treasurer', 'pengawas'],
    memberScoped: false,
    writes: false,
    targets: memberTargets,
    request: (x) => ({ method: 'GET', url: `/v1/members/${encodeURIComponent(x!.value)}/mutasi` }),
    allowed: 200,
    notFound: ['MEMBER_NOT_FOUND'],
  },
  {
    name: 'GET /v1/me/mutasi',
    roles: ['member'],
    memberScoped: true,
    writes: false,
    request: () => ({ method: 'GET', url: '/v1/me/mutasi?limit=100' }),
    allowed: 200,
  },
  {
    name: 'PUT /v1/me/phone',
    roles: ['member', 'treasurer', 'pengawas'],
    memberScoped: false,
    writes: true,
    request: () => ({ method: 'PUT', url: '/v1/me/phone', payload: { phone: '081234500000' } }),
    allowed: 200,
  },
  {
    name: 'GET /v1/me/saved-numbers',
    roles: ['member'],
    memberScoped: true,
    writes: false,
    request: () => ({ method: 'GET', url: '/v1/me/saved-numbers' }),
    allowed: 200,
  },
  {
    name: 'POST /v1/me/saved-numbers',
    roles: ['member'],
    memberScoped: true,
    writes: true,
    request: () => ({ method: 'POST', url: '/v1/me/saved-numbers', payload: newNumber() }),
    allowed: 201,
  },
  {
    name: 'POST /v1/me/saved-numbers (from a payment)',
    roles: ['member'],
    memberScoped: true,
    writes: true,
    // Saving the number of someone else's payment, or a guessed one, is "payment not found".
    targets: paymentTargets,
    request: (x) => ({
      method: 'POST',
      url: '/v1/me/saved-numbers',
      payload: { paymentId: x!.value, nickname: 'Dari pembayaran' },
    }),
    allowed: 201,
    notFound: ['PAYMENT_NOT_FOUND'],
  },
  {
    name: 'PATCH /v1/me/saved-numbers/{id}',
    roles: ['member'],
    memberScoped: true,
    writes: true,
    targets: savedTargets((x) => x.mine, "the member's saved number"),
    request: (x) => ({
      method: 'PATCH',
      url: `/v1/me/saved-numbers/${x!.value}`,
      payload: { nickname: 'Rumah Ibu' },
    }),
    allowed: 200,
  },
  {
    name: 'DELETE /v1/me/saved-numbers/{id}',
    roles: ['member'],
    memberScoped: true,
    writes: true,
    targets: savedTargets((x) => x.mineToDelete, "the member's saved number to delete"),
    request: (x) => ({ method: 'DELETE', url: `/v1/me/saved-numbers/${x!.value}` }),
    allowed: 204,
  },
  {
    name: 'GET /v1/members/{memberNo}/saved-numbers',
    roles: ['treasurer', 'pengawas'],
    memberScoped: false,
    writes: false,
    targets: memberTargets,
    request: (x) => ({ method: 'GET', url: `/v1/members/${encodeURIComponent(x!.value)}/saved-numbers` }),
    allowed: 200,
    notFound: ['MEMBER_NOT_FOUND'],
  },
  {
    name: 'POST /v1/members/{memberNo}/saved-numbers',
    roles: ['treasurer'],
    memberScoped: false,
    writes: true,
    targets: memberTargets,
    request: (x) => ({
      method: 'POST',
      url: `/v1/members/${encodeURIComponent(x!.value)}/saved-numbers`,
      payload: newNumber(),
    }),
    allowed: 201,
    notFound: ['MEMBER_NOT_FOUND'],
  },
  {
    name: 'DELETE /v1/members/{memberNo}/saved-numbers/{id}',
    roles: ['treasurer'],
    memberScoped: false,
    writes: true,
    targets: memberSavedTargets,
    request: (x) => {
      const [memberNo = '', id = ''] = x!.value.split('/');
      return { method: 'DELETE', url: `/v1/members/${encodeURIComponent(memberNo)}/saved-numbers/${id}` };
    },
    allowed: 204,
    notFound: ['MEMBER_NOT_FOUND', 'NOT_FOUND'],
  },
  {
    name: 'GET /v1/today',
    roles: ['treasurer', 'pengawas'],
    memberScoped: false,
    writes: false,
    request: () => ({ method: 'GET', url: '/v1/today' }),
    allowed: 200,
  },
  {
    name: 'GET /v1/closing',
    roles: ['treasurer', 'pengawas'],
    memberScoped: false,
    writes: false,
    request: () => ({ method: 'GET', url: `/v1/closing?date=${DAY}` }),
    allowed: 200,
  },
  {
    name: 'GET /v1/reports/range',
    roles: ['treasurer', 'pengawas'],
    memberScoped: false,
    writes: false,
    request: () => ({ method: 'GET', url: `/v1/reports/range?month=${DAY.slice(0, 7)}&format=csv` }),
    allowed: 200,
  },
  {
    name: 'GET /v1/reconciliations/review',
    roles: ['treasurer', 'pengawas'],
    memberScoped: false,
    writes: false,
    request: () => ({ method: 'GET', url: '/v1/reconciliations/review' }),
    allowed: 200,
  },
  {
    name: 'GET /v1/deposits/{id}',
    roles: ['treasurer', 'pengawas'],
    memberScoped: false,
    writes: false,
    targets: depositTargets,
    request: (x) => ({ method: 'GET', url: `/v1/deposits/${x!.value}` }),
    allowed: 200,
  },
  {
    name: 'GET /v1/deposits/{id}/receipt.pdf',
    roles: ['treasurer', 'pengawas'],
    memberScoped: false,
    writes: false,
    targets: depositTargets,
    request: (x) => ({ method: 'GET', url: `/v1/deposits/${x!.value}/receipt.pdf` }),
    allowed: 200,
  },
  {
    name: 'POST /v1/deposits/{id}/correction',
    roles: ['treasurer'],
    memberScoped: false,
    writes: true,
    targets: depositTargets,
    request: (x) => ({
      method: 'POST',
      url: `/v1/deposits/${x!.value}/correction`,
      payload: { reason: 'salah input nominal' },
      headers: key(),
    }),
    allowed: 201,
  },
  {
    name: 'GET /v1/audit',
    roles: ['treasurer', 'pengawas'],
    memberScoped: false,
    writes: false,
    request: () => ({ method: 'GET', url: '/v1/audit?limit=200' }),
    allowed: 200,
  },
  {
    name: 'GET /v1/transparency/summary',
    roles: ['member', 'treasurer', 'pengawas'],
    memberScoped: false,
    writes: false,
    request: () => ({ method: 'GET', url: '/v1/transparency/summary' }),
    allowed: 200,
  },
  {
    name: 'GET /v1/transparency/checkpoints?koperasi={id}',
    roles: ['treasurer', 'pengawas', 'supervisor', 'operator', 'admin'],
    memberScoped: false,
    writes: false,
    targets: koperasiTargets,
    request: (x) => ({ method: 'GET', url: `/v1/transparency/checkpoints?koperasi=${x!.value}` }),
    allowed: 200,
  },
  {
    name: 'GET /v1/office/me',
    roles: ['supervisor', 'operator', 'admin'],
    memberScoped: false,
    writes: false,
    request: () => ({ method: 'GET', url: '/v1/office/me' }),
    allowed: 200,
  },
  {
    name: 'GET /v1/office/koperasi',
    roles: ['supervisor', 'operator', 'admin'],
    memberScoped: false,
    writes: false,
    request: () => ({ method: 'GET', url: '/v1/office/koperasi' }),
    allowed: 200,
  },
  {
    name: 'GET /v1/office/koperasi/{id}',
    roles: ['supervisor', 'operator', 'admin'],
    memberScoped: false,
    writes: false,
    targets: koperasiTargets,
    request: (x) => ({ method: 'GET', url: `/v1/office/koperasi/${x!.value}` }),
    allowed: 200,
  },
  {
    name: 'GET /v1/office/koperasi/{id}/audit',
    roles: ['supervisor', 'operator', 'admin'],
    memberScoped: false,
    writes: false,
    targets: koperasiTargets,
    request: (x) => ({ method: 'GET', url: `/v1/office/koperasi/${x!.value}/audit?limit=200` }),
    allowed: 200,
  },
  {
    name: 'GET /v1/office/summary',
    roles: ['supervisor', 'operator', 'admin'],
    memberScoped: false,
    writes: false,
    request: () => ({ method: 'GET', url: '/v1/office/summary?format=xlsx' }),
    allowed: 200,
  },
  {
    name: 'POST /v1/office/supervisors',
    roles: ['operator', 'admin'],
    memberScoped: false,
    writes: false,
    // A taken username: the operator gets as far as the conflict, nobody else does.
    request: () => ({
      method: 'POST',
      url: '/v1/office/supervisors',
      payload: { username: 'taken-supervisor', name: 'X', password: 'sandi-dinas-9', region: 'Wilayah A' },
    }),
    allowed: 409,
  },
  {
    name: 'POST /v1/office/operators',
    roles: ['operator', 'admin'],
    memberScoped: false,
    writes: false,
    request: () => ({
      method: 'POST',
      url: '/v1/office/operators',
      payload: { username: 'taken-operator', name: 'X', password: 'sandi-dinas-9' },
    }),
    allowed: 409,
  },
  {
    name: 'POST /v1/auth/token (A’s member at B)',
    roles: [],
    memberScoped: false,
    writes: false,
    request: () => ({
      method: 'POST',
      url: '/v1/auth/token',
      payload: {
        koperasi: tenants.B.kop.code,
        username: tenants.A.member.memberNo,
        password: tenants.A.member.password,
      },
    }),
    allowed: 0,
    always: { status: 401, code: 'INVALID_CREDENTIALS' },
  },
  {
    name: 'POST /v1/callbacks/{adapter} (unsigned)',
    roles: [],
    memberScoped: false,
    writes: false,
    request: () => ({
      method: 'POST',
      url: '/v1/callbacks/digiflazz',
      payload: JSON.stringify({
        refId: tenants.B.refIds[0],
        outcome: { kind: 'failed', rc: '02', message: 'x', transactionCreated: true },
      }),
      headers: { 'content-type': 'application/json' },
    }),
    allowed: 0,
    always: { status: 401, code: 'CALLBACK_SIGNATURE_INVALID' },
  },
];

// ─── the matrix ─────────────────────────────────────────────────────────────────────────────────

interface Cell {
  route: RouteCase;
  caller: Caller;
  target?: Target;
  expected: { status: number; codes?: string[] };
  /** An allowed request on one's own resource. */
  own: boolean;
}

function isOwn(route: RouteCase, caller: Caller, target: Target | undefined): boolean {
  if (!target) return true;
  if (!target.owner) return false;
  // The platform's operator (named or by token) sees every koperasi.
  if (caller.kind === 'operator' || caller.kind === 'admin') return true;
  if (target.owner.kop !== caller.kop) return false;
  return !(route.memberScoped && caller.kind === 'member' && target.owner.member !== 'member');
}

function expectedOf(
  route: RouteCase,
  caller: Caller,
  target: Target | undefined,
): Cell['expected'] & { own: boolean } {
  if (route.always) return { status: route.always.status, codes: [route.always.code], own: false };
  if (caller.kind === 'anonymous') return { status: 401, codes: ['UNAUTHENTICATED'], own: false };
  if (!route.roles.includes(caller.kind)) return { status: 403, codes: ['FORBIDDEN'], own: false };
  if (!isOwn(route, caller, target))
    return { status: 404, codes: route.notFound ?? ['NOT_FOUND'], own: false };
  return { status: route.allowed, own: true };
}

function buildMatrix(): Cell[] {
  const cells: Cell[] = [];
  for (const route of ROUTES) {
    const targets: (Target | undefined)[] = route.targets ? route.targets() : [undefined];
    for (const role of ROLES) {
      for (const target of targets) {
        const caller = callerOf(role);
        const { own, ...expected } = expectedOf(route, caller, target);
        cells.push({ route, caller, ...(target ? { target } : {}), expected, own });
      }
    }
  }
  return cells;
}

const cellName = (cell: Cell) =>
  `${cell.route.name} as ${cell.caller.role}${cell.target ? ` on ${cell.target.label} (${cell.target.value})` : ''}`;

async function send(cell: Cell): Promise<LightMyRequestResponse> {
  const request = cell.route.request(cell.target);
  const headers = { ...authorization(cell.caller), ...request.headers };
  if (cell.route.stream) return asInjected(await openStream(t, headers, request.url));
  return t.app.inject({
    method: request.method,
    url: request.url,
    headers,
    ...(request.payload !== undefined ? { payload: request.payload } : {}),
  });
}

/** Every identifier of koperasi `kop`, and for a member of the other koperasi also the neighbour's. */
function markersOf(kop: Kop, memberToo: boolean): [string, string][] {
  const x = tenants[kop];
  const markers: [string, string][] = [
    [`koperasi ${kop}'s id`, x.kop.id],
    [`koperasi ${kop}'s code`, x.kop.code],
    [`${kop}'s member id`, x.member.id],
    [`${kop}'s member number`, x.member.memberNo],
    [`${kop}'s neighbour number`, x.neighbour.memberNo],
    [`${kop}'s payment`, x.paid],
    [`${kop}'s neighbour payment`, x.neighbourPaid],
    [`${kop}'s suspect payment`, x.suspect],
    [`${kop}'s quote`, x.quote],
  ];
  return memberToo ? markers : markers.filter(([label]) => !label.includes('neighbour'));
}

/** What an allowed answer of `caller` must never contain: the other koperasi; for a member, their neighbour too. */
function forbiddenMarkers(caller: Caller): [string, string][] {
  const other: Kop = caller.kop === 'A' ? 'B' : 'A';
  const markers = markersOf(other, true);
  if (caller.kind === 'member') {
    const own = tenants[caller.kop!];
    markers.push(
      ["the neighbour's member number", own.neighbour.memberNo],
      ["the neighbour's payment", own.neighbourPaid],
      ["the neighbour's quote", own.neighbourQuote],
    );
  }
  return markers;
}

/** Per koperasi: its users, PIN states, balances per account, fees, quotes, payments and audit trail. */
async function tenantState(kop: Kop): Promise<Record<string, string>> {
  const id = tenants[kop].kop.id;
  const result = await t.deps.db.execute<Record<string, string>>(sql`
    SELECT
      (SELECT coalesce(string_agg(username || ':' || name || ':' || pin_failures || ':' || (pin_locked_at IS NOT NULL), ',' ORDER BY id), '') FROM users WHERE koperasi_id = ${id}) AS users,
      (SELECT coalesce(string_agg(account || '=' || total, ',' ORDER BY account), '') FROM (
         SELECT a.id::text AS account, sum(b.balance)::text AS total FROM account_balances b
         JOIN accounts a ON a.id = b.account_id JOIN books k ON k.id = a.book_id WHERE k.koperasi_id = ${id} GROUP BY a.id) s) AS balances,
      (SELECT coalesce(string_agg(product || '=' || amount, ',' ORDER BY product), '') FROM fees WHERE koperasi_id = ${id}) AS fees,
      (SELECT count(*)::text FROM quotes WHERE koperasi_id = ${id}) AS quotes,
      (SELECT coalesce(string_agg(id::text || ':' || status, ',' ORDER BY id), '') FROM payments WHERE koperasi_id = ${id}) AS payments,
      (SELECT count(*)::text FROM audit_log WHERE koperasi_id = ${id}) AS audit,
      (SELECT coalesce(string_agg(id::text || ':' || nickname, ',' ORDER BY id), '') FROM saved_numbers WHERE koperasi_id = ${id}) AS saved_numbers`);
  return result.rows[0]!;
}

function checkAnswer(cell: Cell, response: LightMyRequestResponse): string[] {
  const problems: string[] = [];
  const violation = contractViolation(response);
  if (violation) problems.push(violation);
  if (response.statusCode !== cell.expected.status) {
    problems.push(
      `expected ${cell.expected.status}, got ${response.statusCode}: ${response.body.slice(0, 200)}`,
    );
  } else if (cell.expected.codes && response.statusCode >= 400) {
    const code = (JSON.parse(response.body) as { code?: string }).code ?? '';
    if (!cell.expected.codes.includes(code))
      problems.push(`expected ${cell.expected.codes.join(' or ')}, got ${code}`);
  }
  if (cell.own && response.statusCode < 400 && cell.caller.kop) {
    const text = String(response.headers['content-type'] ?? '').includes('pdf') ? '' : response.body;
    for (const [label, marker] of forbiddenMarkers(cell.caller)) {
      if (text.includes(marker)) problems.push(`the answer shows ${label} (${marker})`);
    }
  }
  return problems;
}

describe('tenant isolation', () => {
  it('builds a matrix of every route, every role and every kind of resource id', () => {
    const cells = buildMatrix();
    expect(cells.length).toBeGreaterThan(300);
    const statuses = new Set(cells.map((c) => c.expected.status));
    expect([...statuses]).toEqual(expect.arrayContaining([401, 403, 404, 200]));
    // Every role meets every route.
    for (const route of ROUTES)
      expect(new Set(cells.filter((c) => c.route === route).map((c) => c.caller.role))).toEqual(
        new Set(ROLES),
      );
  });

  it('refuses every request across roles and koperasi with 401, 403 or 404, and each refusal changes nothing', async () => {
    const cells = buildMatrix().filter((c) => !c.own || !c.route.writes);
    const before = await snapshotCounts(t);
    const failures: string[] = [];
    for (const cell of cells) {
      const digest: Record<string, string> = {
        ...(await stateDigest(t)),
        saved_numbers: await savedDigest(),
      };
      const response = await send(cell);
      const problems = checkAnswer(cell, response);
      if (response.statusCode >= 400) {
        const after: Record<string, string> = {
          ...(await stateDigest(t)),
          saved_numbers: await savedDigest(),
        };
        const changed = Object.keys(after).filter((k) => after[k] !== digest[k]);
        if (changed.length > 0) problems.push(`the refusal changed ${changed.join(', ')}`);
      }
      if (problems.length > 0) failures.push(`${cellName(cell)}:\n    ${problems.join('\n    ')}`);
    }
    expect(failures, `${failures.length} of ${cells.length} cells failed:\n${failures.join('\n')}`).toEqual(
      [],
    );
    expect(await snapshotCounts(t)).toEqual(before);
  }, 120_000);

  it('lets each caller read their own data only: lists, reports and reconciliation items name nothing of the other koperasi', async () => {
    const mine = async (caller: Caller, url: string) =>
      (await t.app.inject({ url, headers: authorization(caller) })).json();
    for (const kop of ['A', 'B'] as const) {
      const x = tenants[kop];
      const treasurer = callerOf(`treasurer${kop}`);
      const member = callerOf(`member${kop}`);
      const treasurerList = (await mine(treasurer, '/v1/payments?limit=100')).items.map(
        (p: { id: string }) => p.id,
      );
      expect(treasurerList, `treasurer ${kop}'s payments`).toEqual(
        expect.arrayContaining([x.paid, x.neighbourPaid, x.suspect]),
      );
      const memberList = (await mine(member, '/v1/payments?limit=100')).items.map(
        (p: { id: string }) => p.id,
      );
      expect(memberList, `member ${kop}'s payments`).toEqual(expect.arrayContaining([x.paid, x.suspect]));
      expect(memberList, `member ${kop} sees the neighbour's payment`).not.toContain(x.neighbourPaid);
      const members = (await mine(treasurer, '/v1/members?limit=100')).items.map(
        (m: { memberNo: string }) => m.memberNo,
      );
      expect(members).toEqual(expect.arrayContaining([x.member.memberNo, x.neighbour.memberNo]));
      const fees = (await mine(treasurer, '/v1/fees')).items;
      expect(fees).toContainEqual(expect.objectContaining({ product: 'PLN_PREPAID', amount: x.fee }));
      const products = (await mine(member, '/v1/products')).items;
      expect(products).toContainEqual(expect.objectContaining({ code: 'PLN_PREPAID', koperasiFee: x.fee }));
      const me = await mine(member, '/v1/me');
      expect(me.koperasi.id).toBe(x.kop.id);
      const recon = (await mine(treasurer, `/v1/reconciliations?date=${DAY}`)).items.map(
        (i: { payment_id: string | null }) => i.payment_id,
      );
      expect(recon, `koperasi ${kop}'s reconciliation items`).toEqual(
        expect.arrayContaining([x.paid, x.neighbourPaid]),
      );
      const report = await t.app.inject({
        url: `/v1/reports/daily?date=${DAY}&format=csv`,
        headers: authorization(treasurer),
      });
      expect(report.statusCode).toBe(200);
      expect(report.body, `koperasi ${kop}'s report`).toContain(x.member.memberNo);
      for (const [label, marker] of forbiddenMarkers(treasurer)) {
        expect(report.body, `koperasi ${kop}'s report shows ${label}`).not.toContain(marker);
        expect(JSON.stringify(recon), `koperasi ${kop}'s reconciliation items show ${label}`).not.toContain(
          marker,
        );
      }
    }
  });

  it('lets each caller change only their own koperasi: the other one’s books, fees, members and payments stay as they were', async () => {
    const writes = buildMatrix().filter((c) => c.own && c.route.writes);
    expect(writes.length).toBeGreaterThanOrEqual(14);
    const failures: string[] = [];
    for (const cell of writes) {
      const other: Kop = cell.caller.kop === 'A' ? 'B' : 'A';
      const before = await tenantState(other);
      const response = await send(cell);
      const problems = checkAnswer(cell, response);
      await quiesce(t);
      const after = await tenantState(other);
      const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
      if (changed.length > 0) problems.push(`koperasi ${other} changed: ${changed.join(', ')}`);
      if (problems.length > 0) failures.push(`${cellName(cell)}:\n    ${problems.join('\n    ')}`);
    }
    expect(failures, failures.join('\n')).toEqual([]);
    expect(await ledgerBreaches(t)).toEqual([]);
  });

  it('never replays another koperasi’s answer for the same Idempotency-Key: each caller’s keys are their own', async () => {
    const sharedKey = `shared-${randomUUID()}`;
    const depositTo = (kop: Kop) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/members/${tenants[kop].member.memberNo}/deposits`,
        headers: { ...bearer(tenants[kop].kop.treasurerToken), 'idempotency-key': sharedKey },
        payload: { amount: 2_000, reference: 'setoran' },
      });
    const first = await depositTo('A');
    const second = await depositTo('B');
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(second.json().memberNo).toBe(tenants.B.member.memberNo);
    expect(second.json().transactionId).not.toBe(first.json().transactionId);

    const payKey = `pay-${randomUUID()}`;
    const payWith = async (kop: Kop) => {
      const member = tenants[kop].member;
      const quoteId = (await inquire(t, member, WATER('12340000'))).json<{ id: string }>().id;
      return t.app.inject({
        method: 'POST',
        url: '/v1/payments',
        headers: { ...bearer(member.token), 'idempotency-key': payKey },
        payload: { quoteId, pin: member.pin },
      });
    };
    const paidA = await payWith('A');
    const paidB = await payWith('B');
    expect([paidA.statusCode, paidB.statusCode]).toEqual([202, 202]);
    expect(paidB.headers['idempotent-replayed']).toBeUndefined();
    expect(paidB.json().id).not.toBe(paidA.json().id);
    expect(paidB.json().memberNo).toBe(tenants.B.member.memberNo);
    await quiesce(t);
  });

  it('refuses an anonymous or wrong-role caller before looking at the shape of the request (malformed ids)', async () => {
    // Sequential numbers instead of UUIDs, and bodies that break the schema: without a token the answer
    // is 401, with the wrong role 403 — whatever the request looks like. Validation comes after.
    const cases: {
      name: string;
      caller: Role;
      method: 'GET' | 'POST';
      url: string;
      payload?: Record<string, unknown>;
      status: number;
    }[] = [
      { name: 'GET /v1/payments/1', caller: 'anonymous', method: 'GET', url: '/v1/payments/1', status: 401 },
      {
        name: 'GET /v1/payments/<version-0 UUID>',
        caller: 'anonymous',
        method: 'GET',
        url: '/v1/payments/00000000-0000-0000-0000-000000000001',
        status: 401,
      },
      {
        name: 'POST /v1/payments (quoteId 1)',
        caller: 'treasurerA',
        method: 'POST',
        url: '/v1/payments',
        payload: { quoteId: '1', pin: '123456' },
        status: 403,
      },
      {
        name: 'GET /v1/payments/2/receipt',
        caller: 'anonymous',
        method: 'GET',
        url: '/v1/payments/2/receipt',
        status: 401,
      },
      {
        name: 'POST /v1/payments/1/resolve',
        caller: 'anonymous',
        method: 'POST',
        url: '/v1/payments/1/resolve',
        payload: {},
        status: 401,
      },
      {
        name: 'POST /v1/payments/1/resolve',
        caller: 'memberA',
        method: 'POST',
        url: '/v1/payments/1/resolve',
        payload: {},
        status: 403,
      },
      {
        name: 'GET /v1/members/has space',
        caller: 'memberB',
        method: 'GET',
        url: '/v1/members/has%20space',
        status: 403,
      },
      {
        name: 'POST /v1/members (empty body)',
        caller: 'anonymous',
        method: 'POST',
        url: '/v1/members',
        payload: {},
        status: 401,
      },
      {
        name: 'POST /v1/members (empty body)',
        caller: 'memberA',
        method: 'POST',
        url: '/v1/members',
        payload: {},
        status: 403,
      },
      {
        name: 'POST /v1/koperasi (empty body)',
        caller: 'treasurerA',
        method: 'POST',
        url: '/v1/koperasi',
        payload: {},
        status: 403,
      },
      {
        name: 'GET /v1/reports/daily (no date)',
        caller: 'memberA',
        method: 'GET',
        url: '/v1/reports/daily',
        status: 403,
      },
    ];
    const failures: string[] = [];
    for (const c of cases) {
      const response = await t.app.inject({
        method: c.method,
        url: c.url,
        headers: authorization(callerOf(c.caller)),
        ...(c.payload ? { payload: c.payload } : {}),
      });
      if (response.statusCode !== c.status)
        failures.push(
          `${c.name} as ${c.caller}: expected ${c.status}, got ${response.statusCode} ${response.body.slice(0, 160)}`,
        );
    }
    expect(failures, failures.join('\n')).toEqual([]);
  });
});
