/**
 * The one idempotency helper for every money route.
 *
 * The key row is inserted in the same transaction as the work. Concurrent duplicates block on the
 * key's unique index until the first commits (then they replay its stored response) or rolls back
 * (then one of them does the work). The request fingerprint is an HMAC under a server secret, so a
 * stored fingerprint never lets anyone brute-force a 6-digit PIN that was part of the body.
 * Refusals (4xx) are not stored: the same request may succeed later (e.g. after a deposit).
 */
import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { type Db, type Tx, withTransaction } from '../db/client.js';
import { AppError } from './errors.js';

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

export function fingerprint(secret: string, route: string, body: unknown): string {
  return createHmac('sha256', secret).update(route).update('\n').update(canonical(body)).digest('hex');
}

export async function withIdempotency<T>(
  db: Db,
  input: { scope: string; key: string; fingerprint: string },
  work: (tx: Tx) => Promise<{ statusCode: number; body: T }>,
): Promise<StoredResponse<T>> {
  return withTransaction(db, async (tx) => {
    const inserted = await tx.execute(sql`
      INSERT INTO idempotency_keys (scope, key, request_hash) VALUES (${input.scope}, ${input.key}, ${input.fingerprint})
      ON CONFLICT DO NOTHING RETURNING 1`);
    if (inserted.rows.length === 0) {
      const existing = await tx.execute<{
        request_hash: string;
        status_code: number | null;
        response_body: T;
      }>(sql`
        SELECT request_hash, status_code, response_body FROM idempotency_keys WHERE scope = ${input.scope} AND key = ${input.key}`);
      const row = existing.rows[0];
      if (!row || row.request_hash !== input.fingerprint) {
        throw new AppError(
          'IDEMPOTENCY_CONFLICT',
          'this Idempotency-Key was already used with a different request',
        );
      }
      if (row.status_code === null) throw new Error('idempotency row committed without a response');
      return { statusCode: row.status_code, body: row.response_body, replayed: true };
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
