/**
 * Shared by the fuzz and security suites: a clock at midday WIB (PLN's cut-off never interferes),
 * instant fake upstreams, the problem+json contract of every refusal, and a one-statement digest of
 * everything a refused request must leave alone (cheap enough to take around every single request).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { SignJWT, UnsecuredJWT, generateKeyPair } from 'jose';
import { type FakeAdapter, createFakeAdapter } from '../../adapters/fake/index.js';
import type { Clock } from '../../src/clock.js';
import { ERROR_CODES, type ErrorCode, statusFor } from '../../src/http/errors.js';
import type { TestApp } from '../helpers/app.js';

/** A clock that runs at the real pace from 12:00 WIB of a fixed day: far from the 23:00–00:30 PLN cut-off. */
export function middayClock(day = '2026-03-16'): Clock & { day: string } {
  const start = new Date(`${day}T12:00:00+07:00`).getTime();
  const realStart = Date.now();
  return { day, now: () => new Date(start + (Date.now() - realStart)) };
}

/**
 * The fake upstreams under the names the catalog routes to. Their default answers are immediate
 * (no gates are ever installed here), so no request of these suites can hang on an upstream.
 */
export function instantFakes(): { digiflazz: FakeAdapter; iak: FakeAdapter } {
  return { digiflazz: createFakeAdapter({ name: 'digiflazz' }), iak: createFakeAdapter({ name: 'iak' }) };
}

const KNOWN_CODES = new Set<string>(ERROR_CODES);
const STACK_TRACE =
  /\n\s+at |\bat [\w.<>]+ \(|node_modules|\/[\w.-]+\/(?:[\w.-]+\/)*(?:src|adapters|config)\/[\w/.-]+\.[jt]s\b|\.ts:\d+|\.js:\d+:\d+/;

/**
 * What is wrong with an answer, or undefined when it keeps the contract: never a 5xx; every 4xx is
 * application/problem+json whose `code` is one of ERROR_CODES, whose `status` is the HTTP status and the
 * code's own status, and whose text carries no stack trace or source path.
 */
export function contractViolation(response: LightMyRequestResponse, method = 'GET'): string | undefined {
  const status = response.statusCode;
  if (status >= 500) return `answered ${status}: ${response.body.slice(0, 300)}`;
  if (status < 400) return undefined;
  const type = String(response.headers['content-type'] ?? '');
  if (!type.startsWith('application/problem+json'))
    return `a ${status} with content-type "${type}": ${response.body.slice(0, 200)}`;
  if (method === 'HEAD') return undefined;
  let body: { code?: unknown; status?: unknown; detail?: unknown; instance?: unknown };
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    return `a ${status} problem whose body is not JSON: ${response.body.slice(0, 200)}`;
  }
  if (typeof body.code !== 'string' || !KNOWN_CODES.has(body.code))
    return `a ${status} with unknown code ${String(body.code)}`;
  if (body.status !== status) return `a ${status} whose problem says status ${String(body.status)}`;
  if (statusFor(body.code as ErrorCode) !== status)
    return `${body.code} answered with ${status}, not ${statusFor(body.code as ErrorCode)}`;
  if (typeof body.detail !== 'string') return `a ${status} ${body.code} without a detail`;
  // The request's own path is echoed (detail, instance): that is the caller's text, not the server's.
  const own = typeof body.instance === 'string' && body.instance.length > 1 ? body.instance : undefined;
  const text = own ? response.body.split(own).join('') : response.body;
  if (STACK_TRACE.test(text)) {
    return `a ${status} ${body.code} echoes a stack trace or a source path: ${response.body.slice(0, 300)}`;
  }
  return undefined;
}

/**
 * Everything a refused request must not change, in one statement: row counts of every table of the
 * service, the sum of all balances, fee amounts and payment states. PIN failure counters are left out on
 * purpose: counting a wrong PIN is the one change a refusal is meant to make.
 */
export async function stateDigest(t: TestApp): Promise<Record<string, string>> {
  const result = await t.deps.db.execute<Record<string, string>>(sql`
    SELECT
      (SELECT count(*) FROM koperasi)::text AS koperasi,
      (SELECT count(*) FROM users)::text AS users,
      (SELECT coalesce(string_agg(name, '|' ORDER BY id), '') FROM users)::text AS user_names,
      (SELECT count(*) FROM books)::text AS books,
      (SELECT count(*) FROM accounts)::text AS accounts,
      (SELECT coalesce(sum(abs(balance)), 0) FROM account_balances)::text AS balance_sum,
      (SELECT count(*) FROM journal_transactions)::text AS journal_transactions,
      (SELECT count(*) FROM entries)::text AS entries,
      (SELECT count(*) FROM holds)::text AS holds,
      (SELECT count(*) FROM idempotency_keys)::text AS idempotency_keys,
      (SELECT count(*) FROM audit_log)::text AS audit_log,
      (SELECT coalesce(string_agg(koperasi_id::text || product || ':' || amount::text, ',' ORDER BY koperasi_id, product), '') FROM fees)::text AS fees,
      (SELECT count(*) FROM quotes)::text AS quotes,
      (SELECT count(*) FROM quotes WHERE used_at IS NOT NULL)::text AS quotes_used,
      (SELECT coalesce(string_agg(id::text || ':' || status, ',' ORDER BY id), '') FROM payments)::text AS payments,
      (SELECT count(*) FROM payment_attempts)::text AS payment_attempts,
      (SELECT count(*) FROM outbox)::text AS outbox,
      (SELECT count(*) FROM callback_deliveries)::text AS callback_deliveries,
      (SELECT count(*) FROM settlement_files)::text AS settlement_files,
      (SELECT count(*) FROM settlement_rows)::text AS settlement_rows,
      (SELECT count(*) FROM recon_runs)::text AS recon_runs,
      (SELECT count(*) FROM recon_items)::text AS recon_items`);
  return result.rows[0]!;
}

/** The names of the service's tables, to prove an injection attempt dropped or added none. */
export async function tableNames(t: TestApp): Promise<string[]> {
  const result = await t.database.superuser<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  );
  return result.rows.map((r) => r.name);
}

/** Wait until no payment is processing and only suspect payments (polled later) remain in the outbox. */
export async function quiesce(t: TestApp, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const busy = await t.deps.db.execute<{ n: number }>(sql`
      SELECT ((SELECT count(*) FROM payments WHERE status = 'processing')
            + (SELECT count(*) FROM outbox o JOIN payments p ON p.id = o.payment_id WHERE p.status <> 'suspect'))::int AS n`);
    if (busy.rows[0]!.n === 0) return;
    if (Date.now() > deadline)
      throw new Error(`still ${busy.rows[0]!.n} payments or outbox rows in flight after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface StreamAnswer {
  statusCode: number;
  headers: http.IncomingHttpHeaders;
  /** The first bytes of the body (the stream is cut once they arrived). */
  head: string;
}

/**
 * GET /v1/events over a real socket (inject would wait for a stream that never ends): reads the status,
 * the headers and the first chunk, then closes the connection.
 */
export async function openStream(
  t: TestApp,
  headers: Record<string, string>,
  path = '/v1/events',
  method = 'GET',
): Promise<StreamAnswer> {
  const address = t.app.server.address() as AddressInfo | null;
  if (!address) throw new Error('openStream: the app is not listening');
  return new Promise<StreamAnswer>((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port: address.port, path, method, headers },
      (response) => {
        const finish = (head: string) => {
          resolve({ statusCode: response.statusCode ?? 0, headers: response.headers, head });
          request.destroy();
        };
        if (method === 'HEAD') return finish('');
        response.setEncoding('utf8');
        let body = '';
        response.on('data', (chunk: string) => {
          body += chunk;
          // A stream's first event, or a whole refusal, is enough.
          if (response.statusCode !== 200 || body.includes('\n\n')) finish(body);
        });
        response.on('end', () => finish(body));
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET') reject(error);
    });
    request.end();
  });
}

/** A stream answer shaped like an injected one, so contractViolation can judge it. */
export function asInjected(answer: StreamAnswer): LightMyRequestResponse {
  return {
    statusCode: answer.statusCode,
    headers: answer.headers,
    body: answer.head,
  } as unknown as LightMyRequestResponse;
}

export interface ForgedTokens {
  expired: string;
  notYetValid: string;
  tamperedPayload: string;
  tamperedSignature: string;
  algNone: string;
  hs512: string;
  rs256: string;
  wrongIssuer: string;
  wrongAudience: string;
  signedWithAdminToken: string;
  missingKoperasi: string;
}

/**
 * Tokens an attacker could make from a real one: every way to get the signature, the algorithm or the
 * claims wrong. Each carries the real user's subject and koperasi, so only the flaw itself is refused.
 */
export async function forgedTokens(
  t: TestApp,
  realToken: string,
  otherKoperasiId: string,
): Promise<ForgedTokens> {
  const [header, payload, signature] = realToken.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as {
    sub: string;
    kop: string;
    role: string;
  };
  const secret = new TextEncoder().encode(t.config.JWT_SECRET);
  const now = Math.floor(Date.now() / 1000);
  const build = (extra: Record<string, unknown> = {}) =>
    new SignJWT({ kop: claims.kop, role: claims.role, ...extra })
      .setSubject(claims.sub)
      .setIssuer('pintu')
      .setAudience('pintu-api')
      .setIssuedAt(now - 10)
      .setExpirationTime(now + 600);
  const rsa = await generateKeyPair('RS256');
  const flipped = Buffer.from(
    JSON.stringify({ ...claims, kop: otherKoperasiId, role: 'treasurer' }),
  ).toString('base64url');
  return {
    expired: await build()
      .setExpirationTime(now - 60)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(secret),
    notYetValid: await build()
      .setNotBefore(now + 3_600)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(secret),
    tamperedPayload: `${header}.${flipped}.${signature}`,
    tamperedSignature: `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`,
    algNone: new UnsecuredJWT({ kop: claims.kop, role: claims.role })
      .setSubject(claims.sub)
      .setIssuer('pintu')
      .setAudience('pintu-api')
      .setExpirationTime(now + 600)
      .encode(),
    hs512: await build().setProtectedHeader({ alg: 'HS512' }).sign(secret),
    rs256: await build().setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey),
    wrongIssuer: await build().setIssuer('evil').setProtectedHeader({ alg: 'HS256' }).sign(secret),
    wrongAudience: await build().setAudience('another-api').setProtectedHeader({ alg: 'HS256' }).sign(secret),
    signedWithAdminToken: await build()
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(t.config.ADMIN_TOKEN)),
    missingKoperasi: await new SignJWT({ role: claims.role })
      .setSubject(claims.sub)
      .setIssuer('pintu')
      .setAudience('pintu-api')
      .setExpirationTime(now + 600)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(secret),
  };
}
