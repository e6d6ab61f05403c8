/**
 * The routes to fuzz, read from the built app's OpenAPI document (a new route is fuzzed the day it is
 * added), merged with the routes that speak something other than JSON or hide from the document.
 */
import type { TestApp } from '../helpers/app.js';

// ─── the OpenAPI document, as far as the fuzzer reads it ─────────────────────────────────────────

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  items?: JsonSchema;
}

interface OpenApiParameter {
  in: string;
  name: string;
  required?: boolean;
  schema?: JsonSchema;
}

interface OpenApiOperation {
  summary?: string;
  security?: unknown[];
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export interface Param {
  name: string;
  schema: JsonSchema;
  required: boolean;
}

export interface RouteSpec {
  method: string;
  /** OpenAPI template: /v1/members/{memberNo} */
  path: string;
  pathParams: Param[];
  query: Param[];
  body?: JsonSchema;
  rawBody?: 'callback' | 'csv';
  auth: 'admin' | 'user' | 'none';
  idempotent: boolean;
  stream: boolean;
  /** Every method registered on this path (HEAD comes with GET). */
  methods: string[];
}

const DATE = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } satisfies JsonSchema;
const ADAPTER = { type: 'string', pattern: '^[a-z][a-z0-9_-]{1,31}$' } satisfies JsonSchema;
const UUID = { type: 'string', format: 'uuid', pattern: '^[0-9a-fA-F-]{36}$' } satisfies JsonSchema;
/** A deposit's number: its journal transaction id. */
const DEPOSIT_ID = { type: 'string', pattern: '^[1-9]\\d{0,18}$' } satisfies JsonSchema;

/** Routes that speak something other than JSON or hide from the document; merged with it. */
const EXTRA_ROUTES: Omit<RouteSpec, 'methods'>[] = [
  {
    method: 'POST',
    path: '/v1/callbacks/{adapter}',
    pathParams: [{ name: 'adapter', schema: ADAPTER, required: true }],
    query: [],
    rawBody: 'callback',
    auth: 'none',
    idempotent: false,
    stream: false,
  },
  {
    method: 'POST',
    path: '/v1/reconciliations/{adapter}/{date}',
    pathParams: [
      { name: 'adapter', schema: ADAPTER, required: true },
      { name: 'date', schema: DATE, required: true },
    ],
    query: [],
    rawBody: 'csv',
    auth: 'admin',
    idempotent: false,
    stream: false,
  },
  {
    method: 'GET',
    path: '/v1/events',
    pathParams: [],
    query: [],
    auth: 'user',
    idempotent: false,
    stream: true,
  },
  {
    method: 'GET',
    path: '/v1/reports/daily',
    pathParams: [],
    query: [
      { name: 'date', schema: DATE, required: true },
      { name: 'format', schema: { type: 'string', enum: ['csv', 'xlsx', 'pdf'] }, required: false },
    ],
    auth: 'user',
    idempotent: false,
    stream: false,
  },
  {
    method: 'GET',
    path: '/v1/reports/range',
    pathParams: [],
    query: [
      { name: 'from', schema: DATE, required: false },
      { name: 'to', schema: DATE, required: false },
      { name: 'month', schema: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }, required: false },
      { name: 'format', schema: { type: 'string', enum: ['csv', 'xlsx', 'pdf'] }, required: false },
    ],
    auth: 'user',
    idempotent: false,
    stream: false,
  },
  {
    method: 'GET',
    path: '/v1/deposits/{id}/receipt.pdf',
    pathParams: [{ name: 'id', schema: DEPOSIT_ID, required: true }],
    query: [],
    auth: 'user',
    idempotent: false,
    stream: false,
  },
  {
    method: 'GET',
    path: '/v1/payments/{id}/receipt',
    pathParams: [{ name: 'id', schema: UUID, required: true }],
    query: [],
    auth: 'user',
    idempotent: false,
    stream: false,
  },
  {
    method: 'GET',
    path: '/health/live',
    pathParams: [],
    query: [],
    auth: 'none',
    idempotent: false,
    stream: false,
  },
  {
    method: 'GET',
    path: '/health/ready',
    pathParams: [],
    query: [],
    auth: 'none',
    idempotent: false,
    stream: false,
  },
  {
    method: 'GET',
    path: '/metrics',
    pathParams: [],
    query: [],
    auth: 'admin',
    idempotent: false,
    stream: false,
  },
  { method: 'GET', path: '/docs', pathParams: [], query: [], auth: 'none', idempotent: false, stream: false },
  {
    method: 'GET',
    path: '/docs/json',
    pathParams: [],
    query: [],
    auth: 'none',
    idempotent: false,
    stream: false,
  },
  { method: 'GET', path: '/', pathParams: [], query: [], auth: 'none', idempotent: false, stream: false },
  // Not a route: paths nobody registered, under the API prefix and elsewhere.
  {
    method: 'GET',
    path: '/v1/{unknown}',
    pathParams: [{ name: 'unknown', schema: { type: 'string' }, required: true }],
    query: [],
    auth: 'none',
    idempotent: false,
    stream: false,
  },
];

export async function discoverRoutes(t: TestApp): Promise<RouteSpec[]> {
  const doc = (await t.app.inject({ url: '/docs/json' })).json<{
    paths: Record<string, Record<string, OpenApiOperation>>;
  }>();
  const found: Omit<RouteSpec, 'methods'>[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const parameters = op.parameters ?? [];
      const toParam = (p: OpenApiParameter): Param => ({
        name: p.name,
        schema: p.schema ?? { type: 'string' },
        required: p.required ?? false,
      });
      const summary = op.summary ?? '';
      const json = op.requestBody?.content?.['application/json']?.schema;
      const route: Omit<RouteSpec, 'methods'> = {
        method: method.toUpperCase(),
        path: path.replace('{*}', '{wildcard}'),
        pathParams: parameters
          .filter((p) => p.in === 'path')
          .map((p) => ({ ...toParam(p), name: p.name === '*' ? 'wildcard' : p.name })),
        query: parameters.filter((p) => p.in === 'query').map(toParam),
        auth: op.security ? (/platform admin/i.test(summary) ? 'admin' : 'user') : 'none',
        idempotent: /idempotency-key/i.test(summary),
        stream: /event-stream/i.test(summary),
        ...(json ? { body: json } : {}),
      };
      const extra = EXTRA_ROUTES.find((r) => r.method === route.method && r.path === route.path);
      // The hand-written entry knows the raw body and the parameter formats the document leaves out.
      found.push(
        extra ? { ...route, ...extra, query: route.query.length > 0 ? route.query : extra.query } : route,
      );
    }
  }
  for (const extra of EXTRA_ROUTES) {
    if (!found.some((r) => r.method === extra.method && r.path === extra.path)) found.push(extra);
  }
  return found.map((route) => ({
    ...route,
    methods: found.filter((r) => r.path === route.path).map((r) => r.method),
  }));
}
