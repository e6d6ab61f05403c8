/**
 * Callbacks of the fake adapter: a JSON body `{ refId, deliveryId?, outcome }` signed with HMAC-SHA256 in the
 * `x-fake-signature` header (hex). Amounts travel as digit strings because JSON has no bigint.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { CallbackRequest, CallbackResult, PayOutcome } from '../../src/billers/port.js';

export const FAKE_SIGNATURE_HEADER = 'x-fake-signature';

const rupiahJson = z.union([z.int().nonnegative(), z.string().regex(/^\d+$/)]).transform((v) => BigInt(v));
const callbackSchema = z.object({
  refId: z.string().min(1),
  deliveryId: z.string().optional(),
  outcome: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('success'),
      upstreamRef: z.string(),
      token: z.string().optional(),
      price: rupiahJson.optional(),
      rc: z.string(),
      message: z.string(),
    }),
    z.object({
      kind: z.literal('failed'),
      rc: z.string(),
      message: z.string(),
      transactionCreated: z.boolean(),
    }),
    z.object({ kind: z.literal('suspect'), rc: z.string(), message: z.string() }),
    z.object({ kind: z.literal('refunded'), rc: z.string(), message: z.string() }),
  ]),
});

function hmac(secret: string, rawBody: Buffer): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

export function signFakeCallback(
  secret: string,
  event: { refId: string; outcome: PayOutcome; deliveryId?: string | undefined },
): CallbackRequest {
  const body = {
    refId: event.refId,
    ...(event.deliveryId ? { deliveryId: event.deliveryId } : {}),
    outcome: event.outcome,
  };
  const json = JSON.stringify(body, (_key, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value,
  );
  const rawBody = Buffer.from(json, 'utf8');
  return {
    headers: { 'content-type': 'application/json', [FAKE_SIGNATURE_HEADER]: hmac(secret, rawBody) },
    rawBody,
  };
}

/** Verifies over the raw bytes in constant time, then parses. Never throws. */
export function parseFakeCallback(request: CallbackRequest, secret: string): CallbackResult {
  const header = request.headers[FAKE_SIGNATURE_HEADER];
  if (typeof header !== 'string' || !/^[0-9a-f]{64}$/i.test(header) || !Buffer.isBuffer(request.rawBody)) {
    return { kind: 'rejected', reason: 'bad_signature' };
  }
  const expected = Buffer.from(hmac(secret, request.rawBody), 'hex');
  if (!timingSafeEqual(Buffer.from(header, 'hex'), expected))
    return { kind: 'rejected', reason: 'bad_signature' };
  let json: unknown;
  try {
    json = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    return { kind: 'rejected', reason: 'malformed' };
  }
  const parsed = callbackSchema.safeParse(json);
  if (!parsed.success) return { kind: 'rejected', reason: 'malformed' };
  const { refId, deliveryId, outcome } = parsed.data;
  return { kind: 'event', refId, ...(deliveryId ? { deliveryId } : {}), outcome, trust: 'authenticated' };
}
