/**
 * Idempotency for every money route (payments, deposits): one module, one meaning.
 *
 * - The client sends an `Idempotency-Key` (8–128 of A–Z a–z 0–9 _ . : -), scoped to the user who sends it.
 * - Same key, same request → the stored answer again (`idempotent-replayed: true`), nothing done twice.
 *   Same key, another request → 409 IDEMPOTENCY_CONFLICT, nothing done.
 * - The key row is written in the same transaction (or the same statement) as the work, so a key exists iff its
 *   work was committed. Concurrent duplicates block on the key's unique index until the first commits (then they
 *   replay) or rolls back (then one of them does the work).
 * - Refusals (4xx) are not stored: the same request may succeed later (e.g. after a deposit).
 * - Stored answers are purged after IDEMPOTENCY_TTL_HOURS; a later retry of a payment is then refused by its
 *   single-use quote (QUOTE_ALREADY_USED), never paid twice.
 *
 * Fingerprints are HMAC-SHA256 over the route and the canonical body (a PIN may be part of it, so a stored
 * fingerprint must not let anyone brute-force it offline). Their key is this module's own: derived with HKDF
 * from the server secret under a fixed label, so it is never the JWT signing key itself and a fingerprint says
 * nothing about tokens (and vice versa). Production refuses a default secret (config.ts), so no new variable.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { type Db, type DbOrTx, type Tx, withTransaction } from '../db/client.js';
import { AppError } from '../http/errors.js';

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,128}$/;

export interface StoredResponse<T> {
  statusCode: number;
  body: T;
  replayed: boolean;
}

export function idempotencyKeyOf(request: FastifyRequest): string {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) {
    throw new AppError('IDEMPOTENCY_KEY_REQUIRED', 'this route moves money: send an Idempotency-Key header');
  }
  if (typeof raw !== 'string' || !KEY_PATTERN.test(raw)) {
    const message = 'must be 8–128 characters of A–Z a–z 0–9 _ . : -';
    throw new AppError('VALIDATION_FAILED', `Idempotency-Key ${message}`, {
      errors: [{ path: 'headers.idempotency-key', message }],
    });
  }
  return raw;
}

/** Stable JSON (sorted keys) so the same body always has the same fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(typeof value === 'bigint' ? value.toString() : value) ?? 'null';
}

const FINGERPRINT_LABEL = 'pintu/idempotency-fingerprint/v1';
const derived = new Map<string, Buffer>();

/** This module's fingerprint key, derived once per server secret. */
export function fingerprintKey(serverSecret: string): Buffer {
  let key = derived.get(serverSecret);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', serverSecret, 'pintu', FINGERPRINT_LABEL, 32));
    derived.set(serverSecret, key);
  }
  return key;
}

/** The request's fingerprint: HMAC under the derived key over the route and the canonical body. */
export function fingerprint(serverSecret: string, route: string, body: unknown): string {
  return createHmac('sha256', fingerprintKey(serverSecret))
    .update(route)
    .update('\n')
    .update(canonical(body))
    .digest('hex');
}

export interface IdempotencyInput {
  scope: string;
  key: string;
  fingerprint: string;
}

/**
 * The key claim as a CTE body for a one-statement unit of work (the payment acceptance): inserts the key with its
 * answer; no row when the key was already there (then nothing else in the statement may write).
 */
export function claimKeySql(input: IdempotencyInput, answer: { statusCode: number; body: unknown }): SQL {
  return sql`INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response_body)
      VALUES (${input.scope}, ${input.key}, ${input.fingerprint}, ${answer.statusCode}, ${JSON.stringify(answer.body)}::jsonb)
      ON CONFLICT DO NOTHING RETURNING 1`;
}

/**
 * The stored answer of a key, if any: the same request gets it (replay), another request is refused with 409.
 */
export async function storedAnswer<T>(
  db: DbOrTx,
  input: IdempotencyInput,
): Promise<StoredResponse<T> | undefined> {
  const existing = await db.execute<{
    request_hash: string;
    status_code: number | null;
    response_body: T;
  }>(sql`
    SELECT request_hash, status_code, response_body FROM idempotency_keys WHERE scope = ${input.scope} AND key = ${input.key}`);
  const row = existing.rows[0];
  if (!row) return undefined;
  if (row.request_hash !== input.fingerprint) {
    throw new AppError(
      'IDEMPOTENCY_CONFLICT',
      'this Idempotency-Key was already used with a different request',
    );
  }
  if (row.status_code === null) throw new Error('idempotency row committed without a response');
  return { statusCode: row.status_code, body: row.response_body, replayed: true };
}

/** Run `work` once per key, in one transaction with the key; a duplicate gets the stored answer. */
export async function withIdempotency<T>(
  db: Db,
  input: IdempotencyInput,
  work: (tx: Tx) => Promise<{ statusCode: number; body: T }>,
): Promise<StoredResponse<T>> {
  return withTransaction(db, async (tx) => {
    const inserted = await tx.execute(sql`
      INSERT INTO idempotency_keys (scope, key, request_hash) VALUES (${input.scope}, ${input.key}, ${input.fingerprint})
      ON CONFLICT DO NOTHING RETURNING 1`);
    if (inserted.rows.length === 0) {
      const stored = await storedAnswer<T>(tx, input);
      if (!stored) throw new Error('idempotency key vanished');
      return stored;
    }
    const result = await work(tx);
    await tx.execute(sql`
      UPDATE idempotency_keys SET status_code = ${result.statusCode}, response_body = ${JSON.stringify(result.body)}::jsonb
      WHERE scope = ${input.scope} AND key = ${input.key}`);
    return { ...result, replayed: false };
  });
}

/**
 * Forget stored answers older than `before`, in batches (the worker runs it every few minutes). The
 * same key after that is a new request; a payment's quote is single-use, so a very late retry of a
 * payment is refused (QUOTE_ALREADY_USED), never paid twice.
 */
export async function purgeIdempotencyKeys(db: Db, before: Date, batch = 5_000): Promise<number> {
  let purged = 0;
  for (;;) {
    const deleted = await db.execute(sql`
      DELETE FROM idempotency_keys WHERE ctid IN (
        SELECT ctid FROM idempotency_keys WHERE created_at < ${before.toISOString()}::timestamptz LIMIT ${batch})`);
    purged += deleted.rowCount ?? 0;
    if ((deleted.rowCount ?? 0) < batch) return purged;
  }
}
