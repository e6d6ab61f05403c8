/**
 * Property-based fuzzing of every route: the routes are read from the built app's OpenAPI document
 * (so a new route is fuzzed the day it is added), plus the routes that speak something other than JSON.
 *
 * Two properties per route:
 * - hostile: every request carries at least one defect the API must refuse whatever else it contains
 *   (a bad credential, a body or parameter that breaks the schema, a missing Idempotency-Key, a method
 *   the path does not have…), mixed with hostile values everywhere else. Nothing that changes state may
 *   be accepted, and row counts are compared before and after every batch.
 * - plausible: well-formed requests of every role with hostile values where the schema lets them
 *   through. They may succeed; a refused one must change nothing (a one-statement digest of the
 *   database is taken around every request that could write).
 * For every request: never a 5xx, and every 4xx is application/problem+json with a known code.
 *
 * The workers run only while the fixtures are made; during the fuzz nothing changes the database
 * behind the requests' back, and the fake upstreams answer at once (no gates), so nothing can hang.
 * The seed is fixed (FUZZ_SEED overrides it) and printed with any failure.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeAdapter } from '../../adapters/fake/index.js';
import { startWorkers } from '../../src/worker.js';
import {
  type GivenKoperasi,
  type GivenMember,
  type TestApp,
  givenApp,
  givenKoperasi,
  givenMember,
  inquire,
  quoteAndPay,
  snapshotCounts,
  waitForPayment,
} from '../helpers/app.js';
import {
  type ForgedTokens,
  asInjected,
  contractViolation,
  forgedTokens,
  instantFakes,
  middayClock,
  openStream,
  quiesce,
  stateDigest,
} from '../security/support.js';
import { type JsonSchema, type Param, type RouteSpec, discoverRoutes } from './routes.js';
import {
  CSV_GARBAGE,
  HOSTILE_NUMBERS,
  Obj,
  Raw,
  deepArray,
  deepObject,
  headerText,
  hostileText,
  hostileValue,
  segment,
  toJsonText,
} from './values.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_129);
/**
 * Requests per route: BATCH per run, the state compared after each batch. With 95 routes, 60 × 1 hostile and 30 × 3
 * plausible draw about 14,000 requests a run, and the whole suite stays near 10 minutes on 2 cores (at 100 × 2 and
 * 30 × 4 the fuzz took 8 of the 23 minutes of test time the two vitest workers share). FUZZ_SEED changes the draw.
 */
const HOSTILE_BATCH = 60;
const HOSTILE_RUNS = 1;
const PLAUSIBLE_BATCH = 30;
const PLAUSIBLE_RUNS = 3;

// ─── the world the fuzz runs in ─────────────────────────────────────────────────────────────────

interface World {
  t: TestApp;
  fakes: { digiflazz: FakeAdapter; iak: FakeAdapter };
  kopA: GivenKoperasi;
  kopB: GivenKoperasi;
  memberA: GivenMember;
  memberA2: GivenMember;
  memberB: GivenMember;
  paidA: string;
  suspectA: string;
  paidB: string;
  quotesA: string[];
  quotesB: string[];
  refIds: string[];
  forged: ForgedTokens;
  day: string;
}

let w: World;
let routes: RouteSpec[];
const clock = middayClock();
const PRODUCTS = ['PLN_POSTPAID', 'PLN_PREPAID', 'BPJS_KESEHATAN', 'PDAM_TIRTA_BENTENG'];
/** Customer numbers ending in 9999 stay suspect at the fake upstream (for the resolve route). */
const SUSPECT_SUFFIX = '9999';

beforeAll(async () => {
  const fakes = instantFakes();
  for (const fake of Object.values(fakes)) {
    fake.onPay(`1234${SUSPECT_SUFFIX}`, { kind: 'suspect', rc: 'TIMEOUT', message: 'timed out' });
    fake.onStatus(`1234${SUSPECT_SUFFIX}`, { kind: 'suspect', rc: '03', message: 'Pending' });
  }
  const t = await givenApp({
    adapters: [fakes.digiflazz, fakes.iak],
    clock,
    env: { POLL_INITIAL_MS: '600000', AUTH_RATE_LIMIT_PER_MINUTE: '10000' },
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  expect((t.app.server.address() as AddressInfo).port).toBeGreaterThan(0);
  const kopA = await givenKoperasi(t);
  const kopB = await givenKoperasi(t);
  const memberA = await givenMember(t, kopA, { balance: 900_000_000n });
  const memberA2 = await givenMember(t, kopA, { balance: 1_000_000n });
  const memberB = await givenMember(t, kopB, { balance: 1_000_000n });

  // Payments in every interesting state, made while the workers run; then the workers stop.
  const workers = startWorkers(t.deps, { pollIntervalMs: 50, sealIntervalMs: 200 });
  const water = (customerNo: string) => ({ product: 'PDAM_TIRTA_BENTENG', customerNo });
  const paidA = (await quoteAndPay(t, memberA, water('12340000'))).id;
  const suspectA = (await quoteAndPay(t, memberA, water(`1234${SUSPECT_SUFFIX}`))).id;
  const paidB = (await quoteAndPay(t, memberB, water('12340000'))).id;
  await waitForPayment(t, memberA.token, paidA);
  await waitForPayment(t, memberA.token, suspectA, ['suspect']);
  await waitForPayment(t, memberB.token, paidB);
  await quiesce(t);
  await workers.close();

  const quote = async (member: GivenMember, body: Record<string, unknown>) => {
    const response = await inquire(t, member, body);
    if (response.statusCode !== 201) throw new Error(`inquiry: ${response.statusCode} ${response.body}`);
    return response.json<{ id: string }>().id;
  };
  const quotesA: string[] = [];
  for (let i = 0; i < 30; i++)
    quotesA.push(await quote(memberA, water(i % 5 === 0 ? `1234${SUSPECT_SUFFIX}` : '12340000')));
  const quotesB = [await quote(memberB, water('12340000')), await quote(memberB, water('12340000'))];
  const refIds = (
    await t.deps.db.execute<{ ref_id: string }>(sql`SELECT ref_id FROM payment_attempts`)
  ).rows.map((r) => r.ref_id);
  w = {
    t,
    fakes,
    kopA,
    kopB,
    memberA,
    memberA2,
    memberB,
    paidA,
    suspectA,
    paidB,
    quotesA,
    quotesB,
    refIds,
    forged: await forgedTokens(t, memberA.token, kopB.id),
    day: clock.day,
  };
  routes = await discoverRoutes(t);
}, 120_000);

afterAll(async () => {
  await w?.t.close();
});

// ─── requests ───────────────────────────────────────────────────────────────────────────────────

interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** Why the request must be refused (hostile) — for the failure message. */
  defects: string[];
  principal: string;
  stream: boolean;
}

type Poison = 'auth' | 'body' | 'param' | 'idempotency' | 'method' | 'content-type';

function poisonsOf(route: RouteSpec): Poison[] {
  const kinds: Poison[] = [];
  if (route.auth !== 'none') kinds.push('auth');
  if (route.stream) return kinds; // a stream with a valid principal never ends: only credentials are spoiled
  if (route.body) kinds.push('body', 'content-type');
  if (route.rawBody === 'csv') kinds.push('body', 'content-type');
  if (route.rawBody === 'callback') kinds.push('body');
  if (route.pathParams.some((p) => p.name !== 'wildcard' && p.name !== 'unknown')) kinds.push('param');
  if (route.idempotent) kinds.push('idempotency');
  kinds.push('method');
  return kinds;
}

/** Valid credentials, by principal. */
function principals(): Record<string, string | undefined> {
  return {
    anonymous: undefined,
    admin: `Bearer ${w.t.config.ADMIN_TOKEN}`,
    treasurerA: `Bearer ${w.kopA.treasurerToken}`,
    memberA: `Bearer ${w.memberA.token}`,
    memberA2: `Bearer ${w.memberA2.token}`,
    treasurerB: `Bearer ${w.kopB.treasurerToken}`,
    memberB: `Bearer ${w.memberB.token}`,
  };
}

/** Credentials that must be refused on `route` whatever the rest of the request is. */
function badCredentials(route: RouteSpec): fc.Arbitrary<[string, string | undefined]> {
  const f = w.forged;
  const fixed: [string, string | undefined][] = [
    ['none', undefined],
    ['bare scheme', 'Bearer'],
    ['empty token', 'Bearer '],
    ['lowercase scheme', `bearer ${w.memberA.token}`],
    ['basic auth', `Basic ${Buffer.from('admin:admin').toString('base64')}`],
    ['two tokens', `Bearer ${w.memberA.token} ${w.kopA.treasurerToken}`],
    ['oversized token', `Bearer ${'A'.repeat(5_000)}`],
    ['token scheme', `Token ${w.kopA.treasurerToken}`],
  ];
  for (const [name, token] of Object.entries(f)) fixed.push([`forged: ${name}`, `Bearer ${token}`]);
  if (route.auth === 'user') fixed.push(['admin token on a user route', `Bearer ${w.t.config.ADMIN_TOKEN}`]);
  if (route.auth === 'admin') {
    fixed.push(['treasurer token on an admin route', `Bearer ${w.kopA.treasurerToken}`]);
    fixed.push(['member token on an admin route', `Bearer ${w.memberA.token}`]);
    fixed.push(['admin token, one character off', `Bearer ${w.t.config.ADMIN_TOKEN}x`]);
  }
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...fixed) },
    {
      weight: 1,
      arbitrary: headerText(80).map((g): [string, string | undefined] => [
        'garbage',
        `Bearer ${g.trim() || 'x'}`,
      ]),
    },
    { weight: 1, arbitrary: headerText(80).map((g): [string, string | undefined] => ['garbage header', g]) },
  );
}

/** A good principal for the route most of the time; any principal at all some of the time. */
function anyPrincipal(route: RouteSpec): fc.Arbitrary<[string, string | undefined]> {
  const all = Object.entries(principals());
  const fitting =
    route.auth === 'admin'
      ? ['admin']
      : route.auth === 'user'
        ? ['treasurerA', 'memberA', 'memberA2', 'treasurerB', 'memberB']
        : ['anonymous'];
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...all.filter(([name]) => fitting.includes(name))) },
    { weight: 1, arbitrary: fc.constantFrom(...all) },
  );
}

const cursorOf = (text: string) => Buffer.from(text).toString('base64url');

/** Valid-looking values by parameter or field name; the schema decides for names it does not know. */
function plausibleValue(name: string, schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
  const known: Record<string, () => fc.Arbitrary<unknown>> = {
    memberNo: () =>
      fc.oneof(
        fc.constantFrom(w.memberA.memberNo, w.memberA2.memberNo, w.memberB.memberNo, '1', 'A-001'),
        fc.stringMatching(/^FZ-[A-Za-z0-9]{1,12}$/),
      ),
    id: () =>
      fc.oneof(
        fc.constantFrom(
          w.paidA,
          w.suspectA,
          w.paidB,
          '00000000-0000-0000-0000-000000000000',
          '00000000-0000-4000-8000-000000000001',
        ),
        fc.uuid(),
      ),
    quoteId: () => fc.oneof(fc.constantFrom(...w.quotesA, ...w.quotesB), fc.uuid()),
    product: () =>
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...PRODUCTS) },
        { weight: 1, arbitrary: fc.stringMatching(/^[A-Z][A-Z0-9_]{2,12}$/) },
      ),
    adapter: () => fc.constantFrom('digiflazz', 'iak', 'fake', 'xendit'),
    date: () =>
      fc.constantFrom(
        w.day,
        '2026-02-29',
        '2024-02-29',
        '1970-01-01',
        '9999-12-31',
        '0000-01-01',
        '2026-13-01',
      ),
    customerNo: () =>
      fc.constantFrom(
        '530000000000',
        '14234560000',
        '8888801234560000',
        '12340000',
        `1234${SUSPECT_SUFFIX}`,
        '123456',
        '99999999999999999999',
      ),
    pin: () =>
      fc.oneof(
        { weight: 4, arbitrary: fc.constant(w.memberA.pin) },
        { weight: 1, arbitrary: fc.stringMatching(/^\d{6}$/) },
      ),
    password: () =>
      fc.oneof(
        fc.constantFrom(w.memberA.password, w.kopA.treasurer.password),
        hostileText.filter((s) => s.length >= 8 && s.length <= 128),
      ),
    koperasi: () => fc.constantFrom(w.kopA.code, w.kopB.code, 'kop-nope'),
    username: () => fc.constantFrom(w.memberA.memberNo, w.memberB.memberNo, 'bendahara', 'nobody'),
    code: () => fc.stringMatching(/^fz-[a-z0-9]{4,12}$/),
    amount: () =>
      fc.oneof(
        fc.integer({ min: 1, max: 2_000_000 }),
        fc.constantFrom(20_000, 50_000, '1000', 0),
        fc.constantFrom(...HOSTILE_NUMBERS).map((n) => new Raw(n)),
      ),
    months: () =>
      fc.oneof(
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom(0, 13, 25, -1, new Raw('1.5'), new Raw('-0')),
      ),
    limit: () =>
      fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom(0, 101, -1, '1e2', 'abc', '10.5')),
    cursor: () =>
      fc.oneof(
        fc.stringMatching(/^[A-Za-z0-9_-]{10,40}$/),
        fc.constantFrom(
          cursorOf(`2026-01-01T00:00:00.000Z|${w.paidA}`),
          cursorOf('-271821-04-20T00:00:00.000Z|------------------------------------'),
          cursorOf(`1|${'-'.repeat(36)}`),
          cursorOf(`+275760-09-13T00:00:00.000Z|${w.paidA}`),
          cursorOf(`2026-01-01|${'f'.repeat(36)}`),
          cursorOf(`' OR 1=1 --|${w.paidA}`),
        ),
      ),
    status: () =>
      fc.constantFrom('processing', 'success', 'failed', 'suspect', 'refunded', 'SUCCESS', 'paid'),
    format: () => fc.constantFrom('csv', 'xlsx', 'pdf', 'CSV', 'html', 'exe'),
    after: () => fc.constantFrom(w.memberA.memberNo, 'A', 'zzzz', '0'),
    outcome: () => fc.constantFrom('success', 'failed', 'refunded'),
    wildcard: () =>
      fc.constantFrom(
        'index.html',
        'assets/none.js',
        'a/b/c',
        '.env',
        'package.json',
        'src/app.ts',
        '..%2f..%2fpackage.json',
        '%2e%2e/%2e%2e/etc/passwd',
        'favicon.ico',
      ),
    unknown: () =>
      fc.oneof(
        fc.constantFrom('admin', 'users', 'koperasi/1', 'payments/../members', 'internal/debug'),
        segment,
      ),
  };
  const make = known[name];
  if (make) return make();
  return fromSchema(schema ?? { type: 'string' });
}

/** A value the schema accepts (as far as JSON Schema tells), or free text where the schema says little. */
function fromSchema(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants && variants.length > 0) return fc.oneof(...variants.map((v) => fromSchema(v, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'integer':
      return fc.integer({
        min: Math.max(schema.minimum ?? -1_000, -1_000_000),
        max: Math.min(schema.maximum ?? 1_000_000, 1_000_000),
      });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(fromSchema(schema.items ?? {}, depth + 1), { maxLength: 3 });
    case 'object': {
      if (depth > 3) return fc.constant(new Obj([]));
      const entries = Object.entries(schema.properties ?? {}).map(([key, sub]) =>
        plausibleValue(key, sub).map((v): [string, unknown] => [key, v]),
      );
      return fc.tuple(...entries).map((pairs) => new Obj(pairs));
    }
    default:
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern), { maxLength: 40 });
      return fc.oneof(
        fc.string({ minLength: schema.minLength ?? 1, maxLength: Math.min(schema.maxLength ?? 40, 40) }),
        hostileText,
      );
  }
}

/** The route's JSON body: plausible fields, some replaced by hostile values, rarely an extra key. */
function plausibleBody(schema: JsonSchema): fc.Arbitrary<Obj> {
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const fields = properties.map(([key, sub]) =>
    fc
      .tuple(
        fc.oneof({ weight: 5, arbitrary: plausibleValue(key, sub) }, { weight: 1, arbitrary: hostileValue }),
        fc.boolean(),
      )
      .map(([value, keep]): [string, unknown] | undefined =>
        keep || required.has(key) ? [key, value] : undefined,
      ),
  );
  return fc
    .tuple(...fields)
    .map((pairs) => new Obj(pairs.filter((p): p is [string, unknown] => p !== undefined)));
}

/** A JSON body the schema refuses, whatever its other fields hold. */
function brokenBody(schema: JsonSchema): fc.Arbitrary<[string, string | Buffer]> {
  const valid = plausibleBody(schema);
  const required = schema.required ?? [];
  const options: fc.Arbitrary<[string, string | Buffer]>[] = [
    fc.constantFrom<[string, string | Buffer]>(
      ['an array', '[]'],
      ['a string', '"amount"'],
      ['a number', '12345'],
      ['null', 'null'],
      ['10 000 nested arrays', deepArray(10_000).text],
      ['10 000 nested objects', deepObject(10_000).text],
      ['truncated JSON', '{"amount": 1000,'],
      ['single quotes', "{'amount': 1}"],
      ['NaN', '{"amount": NaN}'],
      ['a trailing comma', '{"a": 1,}'],
      ['a comment', '{"a": 1 /* x */}'],
      ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
      ['nothing', ''],
    ),
    // Beyond the 64 KiB body limit, and well-formed.
    valid.map((body): [string, string] => [
      'a 100 KiB body',
      toJsonText(new Obj([...body.entries, ['padding', 'x'.repeat(100 * 1024)]])),
    ]),
    valid.map((body): [string, string] => ['an array of the body', `[${toJsonText(body)}]`]),
  ];
  if (schema.additionalProperties === false) {
    options.push(
      fc
        .tuple(
          valid,
          fc.constantFrom(
            '__proto__',
            'constructor',
            'prototype',
            'role',
            'koperasiId',
            'isAdmin',
            '$where',
            'balance',
          ),
          hostileValue,
        )
        .map(([body, key, value]): [string, string] => [
          `an extra key ${key}`,
          toJsonText(new Obj([...body.entries, [key, value]])),
        ]),
    );
  }
  if (required.length > 0) {
    options.push(
      fc
        .tuple(valid, fc.constantFrom(...required))
        .map(([body, key]): [string, string] => [
          `no ${key}`,
          toJsonText(new Obj(body.entries.filter(([k]) => k !== key))),
        ]),
    );
  }
  return fc.oneof(...options);
}

const NOT_JSON_TYPES = [
  'text/plain',
  'text/html',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'image/png',
  'application/javascript',
];

/** A parameter value its route must refuse. */
function brokenParam(param: Param): fc.Arbitrary<string> {
  const encoded = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '?'));
  if (param.name === 'adapter')
    return fc.oneof(segment, fc.constantFrom('fake', 'xendit', 'digiflazzz', 'DIGIFLAZZ', 'a'));
  if (param.name === 'date')
    return fc.oneof(
      segment,
      fc.constantFrom('2026-02-30', '2026-13-01', '26-01-01', '2026-1-1', '2026-01-01T00:00', '99999-01-01'),
    );
  const pattern = param.schema.pattern ? new RegExp(param.schema.pattern) : undefined;
  const tooLong = 'A'.repeat(300);
  return fc
    .oneof(
      segment,
      fc
        .constantFrom(
          '1',
          '2',
          '00000000-0000-0000-0000-00000000000g',
          `${randomUUID()}x`,
          randomUUID().replaceAll('-', ''),
          tooLong,
        )
        .map(encoded),
    )
    .filter((s) => {
      let decoded: string;
      try {
        decoded = decodeURIComponent(s);
      } catch {
        return true; // the router itself must refuse a malformed escape
      }
      return s.length > 200 || !pattern || !pattern.test(decoded);
    });
}

function jsonText(body: Obj | string | Buffer): string | Buffer {
  return body instanceof Obj ? toJsonText(body) : body;
}

interface Parts {
  method: string;
  params: Record<string, string>;
  query: [string, string][];
  credential: [string, string | undefined];
  contentType?: string;
  payload?: string | Buffer;
  idempotencyKey?: string;
  noise: Record<string, string>;
  defects: string[];
}

function assemble(route: RouteSpec, parts: Parts): FuzzRequest {
  let path = route.path;
  for (const [name, value] of Object.entries(parts.params)) path = path.replace(`{${name}}`, value);
  const search =
    parts.query.length > 0
      ? `?${parts.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, '?'))}`).join('&')}`
      : '';
  const headers: Record<string, string> = { ...parts.noise };
  if (parts.credential[1] !== undefined) headers.authorization = parts.credential[1];
  if (parts.contentType !== undefined) headers['content-type'] = parts.contentType;
  if (parts.idempotencyKey !== undefined) headers['idempotency-key'] = parts.idempotencyKey;
  const stream = route.stream && !parts.defects.includes('method');
  return {
    method: parts.method,
    url: `${path}${search}`,
    headers,
    ...(parts.payload !== undefined && parts.method !== 'GET' && parts.method !== 'HEAD'
      ? { payload: parts.payload }
      : {}),
    defects: parts.defects,
    principal: parts.credential[0],
    stream,
  };
}

const noiseHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'x-request-id': fc.oneof(headerText(100), fc.constantFrom('req-12345678', 'x'.repeat(65), '../../etc')),
    prefer: fc.oneof(
      headerText(40),
      fc.constantFrom(
        'wait=0',
        'wait=abc',
        'respond-async',
        'wait=-1',
        'wait=1e3',
        'wait=9999',
        'return=minimal',
      ),
    ),
    accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/pdf', 'garbage/'),
    'accept-encoding': fc.constantFrom('gzip', 'br', 'identity', 'x-unknown'),
    cookie: headerText(40),
    origin: fc.constantFrom('https://evil.example', 'null'),
    'x-forwarded-for': fc.constantFrom('1.2.3.4', '::1', 'garbage'),
    'x-koperasi-id': fc.constant('00000000-0000-0000-0000-000000000000'),
  },
  { requiredKeys: [] },
);

/** Extra query keys nobody declared, and declared keys with hostile values. */
function queryNoise(route: RouteSpec): fc.Arbitrary<[string, string][]> {
  const keys = [...route.query.map((q) => q.name), 'debug', 'koperasiId', '__proto__', 'limit', 'role'];
  return fc.array(
    fc.tuple(
      fc.constantFrom(...keys),
      hostileText.map((s) => s.slice(0, 200)),
    ),
    { maxLength: 2 },
  );
}

function plausibleQuery(route: RouteSpec): fc.Arbitrary<[string, string][]> {
  const fields = route.query.map((q) =>
    fc
      .tuple(plausibleValue(q.name, q.schema), fc.boolean())
      .map(([v, keep]): [string, string] | undefined =>
        keep || q.required ? [q.name, v instanceof Raw ? v.text : String(v)] : undefined,
      ),
  );
  return fc.tuple(...fields).map((pairs) => pairs.filter((p): p is [string, string] => p !== undefined));
}

function plausibleParams(route: RouteSpec): fc.Arbitrary<Record<string, string>> {
  const entries = route.pathParams.map((p) =>
    plausibleValue(p.name, p.schema).map((v): [string, string] => [
      p.name,
      p.name === 'wildcard' ? String(v) : encodeURIComponent(String(v)),
    ]),
  );
  return fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs));
}

const goodKey = fc.uuid();
const badKey = fc.oneof(
  fc.constantFrom<string | undefined>(
    undefined,
    'short',
    'has space in it',
    'ключ-идемпотентности',
    'k'.repeat(129),
    "'; DROP TABLE idempotency_keys; --",
    '',
  ),
  headerText(20).filter((s) => !/^[A-Za-z0-9_.:-]{8,128}$/.test(s)),
);

interface RawBody {
  type: string;
  body: string | Buffer;
  headers: Record<string, string>;
}

/** The body of a raw-body route: a callback (signed by the fake upstream only when `signed`), or a settlement file. */
function rawPayload(route: RouteSpec, signed: boolean): fc.Arbitrary<RawBody> {
  if (route.rawBody === 'callback') {
    const unsigned = fc
      .record({
        type: fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/xml',
        ),
        body: fc.oneof(
          hostileValue.map((v) => toJsonText(v)),
          fc.constantFrom(...w.refIds).map((refId) =>
            JSON.stringify({
              refId,
              outcome: { kind: 'success', upstreamRef: 'X', rc: '00', message: 'ok' },
            }),
          ),
          fc.constantFrom(deepArray(10_000).text, 'x'.repeat(300 * 1024)),
        ),
        signature: fc.option(fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), headerText(70)), {
          nil: undefined,
        }),
      })
      .map(({ type, body, signature }): RawBody => ({
        type,
        body,
        headers: signature === undefined ? {} : { 'x-fake-signature': signature },
      }));
    if (!signed) return unsigned;
    const genuine = fc
      .tuple(
        fc.constantFrom(...w.refIds),
        fc.constantFrom('success', 'failed', 'refunded'),
        fc.option(fc.uuid(), { nil: undefined }),
      )
      .map(([refId, kind, deliveryId]): RawBody => {
        const outcome =
          kind === 'success'
            ? ({ kind, upstreamRef: 'FZ', rc: '00', message: 'Sukses' } as const)
            : kind === 'failed'
              ? ({ kind, rc: '02', message: 'Gagal', transactionCreated: true } as const)
              : ({ kind, rc: '07', message: 'Refund' } as const);
        const request = w.fakes.digiflazz.signedCallback({
          refId,
          outcome,
          ...(deliveryId ? { deliveryId } : {}),
        });
        return {
          type: 'application/json',
          body: request.rawBody,
          headers: { 'x-fake-signature': String(request.headers['x-fake-signature']) },
        };
      });
    return fc.oneof(unsigned, genuine);
  }
  return fc.record({
    type: fc.constantFrom('text/csv', 'application/octet-stream'),
    body: CSV_GARBAGE,
    headers: fc.constant({}),
  });
}

/** A request `route` must refuse: at least one defect from its poison list, hostile values elsewhere. */
function hostileRequest(route: RouteSpec): fc.Arbitrary<FuzzRequest> {
  const kinds = poisonsOf(route);
  // One defect for sure (a wrong method only now and then: the router refuses it before anything else
  // runs), sometimes a second one.
  const primary = fc.oneof(
    ...kinds.map((k) => ({ weight: k === 'method' ? 1 : 5, arbitrary: fc.constant(k) })),
  );
  const chosen =
    kinds.length > 0
      ? fc
          .tuple(primary, fc.subarray(kinds, { maxLength: 1 }))
          .map(([first, extra]) => [...new Set([first, ...extra])])
      : fc.constant<Poison[]>([]);
  return chosen.chain((poisons) => {
    const has = (p: Poison) => poisons.includes(p);
    const otherMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].filter(
      (m) => !route.methods.includes(m) && !(m === 'HEAD' && route.methods.includes('GET')),
    );
    const method =
      has('method') && otherMethods.length > 0 ? fc.constantFrom(...otherMethods) : fc.constant(route.method);
    const credential = has('auth') ? badCredentials(route) : anyPrincipal(route);
    const params = has('param')
      ? fc
          .tuple(
            plausibleParams(route),
            fc.constantFrom(...route.pathParams.filter((p) => p.name !== 'wildcard' && p.name !== 'unknown')),
          )
          .chain(([good, target]) => brokenParam(target).map((bad) => ({ ...good, [target.name]: bad })))
      : route.pathParams.length > 0
        ? fc.oneof(
            plausibleParams(route),
            plausibleParams(route).chain((good) =>
              segment.map((bad) => ({ ...good, [route.pathParams[0]!.name]: bad })),
            ),
          )
        : fc.constant({});
    type Body = { type?: string; body?: string | Buffer; headers?: Record<string, string>; why: string };
    let body: fc.Arbitrary<Body> = fc.constant({ why: '' });
    if (route.body) {
      const json = route.body;
      body = has('body')
        ? brokenBody(json).map(([why, text]): Body => ({ type: 'application/json', body: text, why }))
        : has('content-type')
          ? fc
              .tuple(fc.constantFrom(...NOT_JSON_TYPES), plausibleBody(json))
              .map(([type, b]): Body => ({ type, body: toJsonText(b), why: `sent as ${type}` }))
          : plausibleBody(json).map((b): Body => ({
              type: 'application/json',
              body: toJsonText(b),
              why: '',
            }));
    } else if (route.rawBody) {
      body =
        has('content-type') && route.rawBody === 'csv'
          ? fc
              .tuple(fc.constantFrom('application/json', 'text/plain', 'text/html'), CSV_GARBAGE)
              .map(([type, text]): Body => ({ type, body: text, why: `sent as ${type}` }))
          : rawPayload(route, false).map((raw): Body => ({
              ...raw,
              why: route.rawBody === 'callback' ? 'unsigned callback' : 'malformed settlement file',
            }));
    } else if (route.method !== 'GET') {
      body = fc
        .option(
          hostileValue.map((v) => toJsonText(v)),
          { nil: undefined },
        )
        .map((text): Body =>
          text === undefined ? { why: '' } : { type: 'application/json', body: text, why: '' },
        );
    }
    const key = route.idempotent
      ? has('idempotency')
        ? badKey
        : goodKey
      : fc.option(headerText(30), { nil: undefined });
    const query =
      route.query.length > 0
        ? fc.tuple(plausibleQuery(route), queryNoise(route)).map(([a, b]) => [...a, ...b])
        : queryNoise(route);
    return fc.record({ method, credential, params, body, key, query, noise: noiseHeaders }).map((r) => {
      const defects: string[] = poisons.map((p) =>
        p === 'auth'
          ? `credentials: ${r.credential[0]}`
          : p === 'body' || p === 'content-type'
            ? `body: ${r.body.why}`
            : p === 'method'
              ? `method ${r.method}`
              : p,
      );
      return assemble(route, {
        method: r.method,
        params: r.params,
        query: r.query,
        credential: r.credential,
        ...(r.body.type !== undefined ? { contentType: r.body.type } : {}),
        ...(r.body.body !== undefined ? { payload: r.body.body } : {}),
        ...(r.key !== undefined ? { idempotencyKey: r.key } : {}),
        noise: { ...r.noise, ...r.body.headers },
        defects,
      });
    });
  });
}

/** A well-formed request of any principal, with hostile values wherever the schema lets them through. */
function plausibleRequest(route: RouteSpec): fc.Arbitrary<FuzzRequest> {
  let body: fc.Arbitrary<Partial<RawBody>> = fc.constant({});
  if (route.body)
    body = plausibleBody(route.body).map((b) => ({ type: 'application/json', body: jsonText(b) }));
  else if (route.rawBody) body = rawPayload(route, true);
  return fc
    .record({
      credential: anyPrincipal(route),
      params: plausibleParams(route),
      query: plausibleQuery(route),
      body,
      key: fc.oneof(
        { weight: 9, arbitrary: goodKey },
        { weight: 1, arbitrary: fc.constantFrom(...w.quotesA.slice(0, 3).map((q) => `fz-key-${q}`)) },
      ),
      noise: noiseHeaders,
    })
    .map((r) =>
      assemble(route, {
        method: route.method,
        params: r.params,
        query: r.query,
        credential: r.credential,
        ...(r.body.type !== undefined ? { contentType: r.body.type } : {}),
        ...(r.body.body !== undefined ? { payload: r.body.body } : {}),
        ...(route.idempotent ? { idempotencyKey: r.key } : {}),
        noise: { ...r.noise, ...r.body.headers },
        defects: [],
      }),
    );
}

// ─── running them ───────────────────────────────────────────────────────────────────────────────

async function send(request: FuzzRequest): Promise<LightMyRequestResponse> {
  if (request.stream) {
    const headers = { ...request.headers };
    return asInjected(await openStream(w.t, headers, request.url, request.method));
  }
  return w.t.app.inject({
    method: request.method,
    url: request.url,
    headers: request.headers,
    ...(request.payload !== undefined ? { payload: request.payload } : {}),
  });
}

function describeRequest(request: FuzzRequest): string {
  const payload =
    request.payload === undefined
      ? ''
      : ` body(${request.payload.length} bytes)=${JSON.stringify(request.payload.toString().slice(0, 160))}`;
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([k, v]) => [
      k,
      k === 'authorization' ? `${v.slice(0, 30)}…` : v.slice(0, 60),
    ]),
  );
  return `${request.method} ${request.url.slice(0, 200)} as ${request.principal} headers=${JSON.stringify(headers)}${payload}${request.defects.length > 0 ? ` defects=[${request.defects.join('; ')}]` : ''}`;
}

/** Secrets of the service that no answer may ever carry. */
function leakIn(response: LightMyRequestResponse): string | undefined {
  const text = response.body;
  for (const [name, secret] of [
    ['ADMIN_TOKEN', w.t.config.ADMIN_TOKEN],
    ['JWT_SECRET', w.t.config.JWT_SECRET],
    ['DIGIFLAZZ_API_KEY', w.t.config.DIGIFLAZZ_API_KEY],
    ['a member password', w.memberA.password],
    ['root:x:0:0', 'root:x:0:0'],
    ['DATABASE_URL', w.t.database.url],
  ] as const) {
    if (text.includes(secret)) return `the answer contains ${name}`;
  }
  return undefined;
}

let generated = 0;
/** How the API answered, by property and `status code`: shows the fuzz reaches the handlers. */
const answers = new Map<string, Map<string, number>>();
function tally(kind: string, response: LightMyRequestResponse): void {
  let code = '';
  if (response.statusCode >= 400 && String(response.headers['content-type'] ?? '').includes('json')) {
    try {
      code = String(JSON.parse(response.body).code ?? '');
    } catch {
      code = '?';
    }
  }
  const key = `${response.statusCode}${code ? ` ${code}` : ''}`;
  const table = answers.get(kind) ?? new Map<string, number>();
  table.set(key, (table.get(key) ?? 0) + 1);
  answers.set(kind, table);
}
const histogram = (kind: string) =>
  [...(answers.get(kind) ?? new Map<string, number>()).entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k}×${n}`)
    .join(', ');

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function runHostileBatch(route: RouteSpec, batch: FuzzRequest[]): Promise<void> {
  const before = await snapshotCounts(w.t);
  const digestBefore = await stateDigest(w.t);
  const problems: string[] = [];
  for (const request of batch) {
    generated += 1;
    const response = await send(request);
    tally('hostile', response);
    const violation = contractViolation(response, request.method) ?? leakIn(response);
    if (violation) problems.push(`${violation}\n    ${describeRequest(request)}`);
    else if (WRITES.has(request.method) && response.statusCode < 400) {
      problems.push(
        `accepted with ${response.statusCode} although it must be refused: ${response.body.slice(0, 200)}\n    ${describeRequest(request)}`,
      );
    }
  }
  const after = await snapshotCounts(w.t);
  const digestAfter = await stateDigest(w.t);
  if (JSON.stringify(after) !== JSON.stringify(before))
    problems.push(
      `refused requests changed row counts: ${JSON.stringify(before)} → ${JSON.stringify(after)}`,
    );
  if (JSON.stringify(digestAfter) !== JSON.stringify(digestBefore))
    problems.push(`refused requests changed state: ${diff(digestBefore, digestAfter)}`);
  if (problems.length > 0) throw new Error(summarize(route, problems));
}

async function runPlausibleBatch(route: RouteSpec, batch: FuzzRequest[]): Promise<void> {
  const problems: string[] = [];
  for (const request of batch) {
    generated += 1;
    const writes = WRITES.has(request.method);
    const before = writes ? await stateDigest(w.t) : undefined;
    const response = await send(request);
    tally('plausible', response);
    const violation = contractViolation(response, request.method) ?? leakIn(response);
    if (violation) problems.push(`${violation}\n    ${describeRequest(request)}`);
    if (before && response.statusCode >= 400) {
      const after = await stateDigest(w.t);
      if (JSON.stringify(after) !== JSON.stringify(before)) {
        problems.push(
          `refused with ${response.statusCode} but changed ${diff(before, after)}\n    ${describeRequest(request)}`,
        );
      }
    }
  }
  // Keep the members able to pay: wrong PINs lock them, which is right but ends the fuzz's reach.
  await w.t.deps.db.execute(sql`UPDATE users SET pin_failures = 0, pin_locked_at = NULL`);
  if (problems.length > 0) throw new Error(summarize(route, problems));
}

function diff(before: Record<string, string>, after: Record<string, string>): string {
  return Object.keys(after)
    .filter((k) => before[k] !== after[k])
    .map((k) => `${k}: ${String(before[k]).slice(0, 80)} → ${String(after[k]).slice(0, 80)}`)
    .join(', ');
}

/** Distinct problems first (by their first line), at most 8, with the request that showed each. */
function summarize(route: RouteSpec, problems: string[]): string {
  const distinct = new Map<string, string>();
  for (const p of problems) {
    const head = p
      .split('\n')[0]!
      .replace(/[0-9a-f-]{36}/g, '<uuid>')
      .slice(0, 80);
    if (!distinct.has(head)) distinct.set(head, p);
  }
  return `${route.method} ${route.path}: ${problems.length} problem(s), seed ${SEED}\n  ${[...distinct.values()].slice(0, 8).join('\n  ')}`;
}

async function fuzzEveryRoute(
  label: string,
  arbitraryOf: (route: RouteSpec) => fc.Arbitrary<FuzzRequest>,
  batchSize: number,
  numRuns: number,
  run: (route: RouteSpec, batch: FuzzRequest[]) => Promise<void>,
): Promise<string[]> {
  const failures: string[] = [];
  for (const route of routes) {
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(arbitraryOf(route), { minLength: batchSize, maxLength: batchSize }),
          (batch) => run(route, batch),
        ),
        { seed: SEED, numRuns, endOnFailure: true },
      );
    } catch (error) {
      // fast-check's own message holds the seed and the whole batch; the cause says what went wrong.
      const message = error instanceof Error ? error.message : String(error);
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
      const where = message.split('\n').slice(0, 2).join(' ');
      failures.push(`[${label}] ${where}\n${cause || message.slice(0, 2_000)}`);
    }
  }
  return failures;
}

// ─── the tests ──────────────────────────────────────────────────────────────────────────────────

describe('fuzzing every route', () => {
  it('finds every documented route and the non-JSON ones in the OpenAPI document of the built app', () => {
    const listed = routes.map((r) => `${r.method} ${r.path}`);
    expect(listed).toEqual(
      expect.arrayContaining([
        'POST /v1/auth/token',
        'POST /v1/koperasi',
        'POST /v1/members',
        'GET /v1/members',
        'GET /v1/members/{memberNo}',
        'POST /v1/members/{memberNo}/deposits',
        'POST /v1/members/{memberNo}/unlock-pin',
        'GET /v1/fees',
        'PUT /v1/fees/{product}',
        'GET /v1/me',
        'GET /v1/products',
        'POST /v1/inquiries',
        'POST /v1/payments',
        'GET /v1/payments',
        'GET /v1/payments/{id}',
        'GET /v1/payments/{id}/receipt',
        'POST /v1/payments/{id}/resolve',
        'GET /v1/events',
        'GET /v1/reports/daily',
        'GET /v1/reconciliations',
        'POST /v1/reconciliations/{adapter}/{date}',
        'POST /v1/callbacks/{adapter}',
      ]),
    );
    const byKey = new Map(routes.map((r) => [`${r.method} ${r.path}`, r]));
    expect(byKey.get('POST /v1/payments')).toMatchObject({ idempotent: true, auth: 'user' });
    expect(byKey.get('POST /v1/members/{memberNo}/deposits')).toMatchObject({
      idempotent: true,
      auth: 'user',
    });
    expect(byKey.get('POST /v1/koperasi')).toMatchObject({ auth: 'admin' });
    expect(byKey.get('POST /v1/reconciliations/{adapter}/{date}')).toMatchObject({
      auth: 'admin',
      rawBody: 'csv',
    });
    expect(byKey.get('GET /v1/events')).toMatchObject({ stream: true });
  });

  it('refuses every hostile request to every route with a 4xx problem, never a 5xx, and changes nothing', async () => {
    const started = Date.now();
    const before = generated;
    const failures = await fuzzEveryRoute(
      'hostile',
      hostileRequest,
      HOSTILE_BATCH,
      HOSTILE_RUNS,
      runHostileBatch,
    );
    console.log(
      `hostile fuzz: ${generated - before} requests over ${routes.length} routes in ${Date.now() - started} ms (seed ${SEED})\n  ${histogram('hostile')}`,
    );
    expect(failures, failures.join('\n\n')).toEqual([]);
  }, 420_000);

  it('answers well-formed requests of every role without a 5xx, and a refused one changes nothing', async () => {
    const started = Date.now();
    const before = generated;
    const failures = await fuzzEveryRoute(
      'plausible',
      plausibleRequest,
      PLAUSIBLE_BATCH,
      PLAUSIBLE_RUNS,
      runPlausibleBatch,
    );
    console.log(
      `plausible fuzz: ${generated - before} requests over ${routes.length} routes in ${Date.now() - started} ms (seed ${SEED})\n  ${histogram('plausible')}`,
    );
    expect(failures, failures.join('\n\n')).toEqual([]);
  }, 420_000);

  it('generated at least 10 000 requests in this run', () => {
    expect(generated).toBeGreaterThanOrEqual(10_000);
  });
});

/** What the fuzz found, one request each: the smallest proof, and the check that the fix holds. */
describe('defects the fuzz found', () => {
  it('answers a malformed percent-escape in the path with a problem+json 400, not Fastify’s own JSON', async () => {
    for (const url of [`/v1/members/%E0%A4%A`, '/v1/payments/%zz/receipt', '/v1/callbacks/%', '/%']) {
      const response = await w.t.app.inject({
        url,
        headers: { authorization: `Bearer ${w.kopA.treasurerToken}` },
      });
      expect(contractViolation(response), url).toBeUndefined();
      expect(response.statusCode, url).toBe(400);
    }
  });

  it('answers an over-long path parameter with a problem+json 4xx, not Fastify’s own JSON', async () => {
    const long = 'A'.repeat(300);
    for (const [method, url] of [
      ['GET', `/v1/members/${long}`],
      ['POST', `/v1/members/${long}/deposits`],
      ['GET', `/v1/payments/${long}`],
      ['POST', `/v1/callbacks/${long}`],
    ] as const) {
      const response = await w.t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${w.kopA.treasurerToken}` },
      });
      expect(contractViolation(response), `${method} ${url.slice(0, 40)}…`).toBeUndefined();
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
    }
  });

  it.each([
    ['an id of dashes', `1|${'-'.repeat(36)}`],
    ['an id that is 36 hex digits without dashes', `2026-01-01|${'f'.repeat(36)}`],
    [
      'a signed six-digit year Postgres cannot read',
      `+275760-09-13T00:00:00.000Z|01a2259e-96b8-7191-8a56-9b3faae52ede`,
    ],
    ['a negative year', `-271821-04-20T00:00:00.000Z|${'-'.repeat(36)}`],
  ])('answers a payments cursor with %s with 400 VALIDATION_FAILED, not 500', async (_label, decoded) => {
    const cursor = cursorOf(decoded);
    for (const token of [w.memberA.token, w.kopA.treasurerToken]) {
      const response = await w.t.app.inject({
        url: `/v1/payments?cursor=${cursor}`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().code).toBe('VALIDATION_FAILED');
    }
  });
});
