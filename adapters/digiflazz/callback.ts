/**
 * Digiflazz webhook verification and parsing.
 *
 * Vendor docs: https://developer.digiflazz.com/api/buyer/webhook/, https://developer.my.digiflazz.com/api/buyer/webhook
 * (X-Digiflazz-Event create|update|ping, X-Digiflazz-Delivery uuid, X-Hub-Signature sha1=HMAC-SHA1(raw body, secret),
 * User-Agent DigiFlazz-Hookshot/ (prepaid) or DigiFlazz-Pasca-Hookshot/ (postpaid)).
 */
import type { CallbackRequest, CallbackResult } from '../../src/billers/port.js';
import { payVerdict } from './codes.js';
import { asPayOutcome, transactionOutcome } from './parse.js';
import { verifyWebhookSignature } from './signature.js';
import { callbackBody, decode } from './wire.js';

const OUTCOME_EVENTS = new Set(['create', 'update']);

/** Verifies the HMAC over the raw bytes first, then parses. Never throws. */
export function parseDigiflazzCallback(
  request: CallbackRequest,
  webhookSecret: string | undefined,
): CallbackResult {
  // Without a configured secret nothing can be authenticated, so nothing is accepted.
  if (webhookSecret === undefined) return { kind: 'rejected', reason: 'bad_signature' };
  if (!Buffer.isBuffer(request.rawBody)) return { kind: 'rejected', reason: 'malformed' };
  const signature = singleHeader(request.headers, 'x-hub-signature');
  if (!verifyWebhookSignature(request.rawBody, signature, webhookSecret)) {
    return { kind: 'rejected', reason: 'bad_signature' };
  }

  const event = singleHeader(request.headers, 'x-digiflazz-event')?.toLowerCase();
  // A ping carries no transaction; unknown events are not guessed at.
  if (event !== undefined && !OUTCOME_EVENTS.has(event)) return { kind: 'rejected', reason: 'unsupported' };

  const decoded = decode(callbackBody, request.rawBody.toString('utf8'));
  if (!decoded.ok) return { kind: 'rejected', reason: 'malformed' };
  const data = decoded.value.data;

  // The token is read from the serial whatever the User-Agent says: the header is not signed, and a
  // proxy or a changed agent string must not cost a member the token they paid for. The pipeline keeps
  // a token only for token products.
  const outcome = transactionOutcome(data, payVerdict(data.rc, data.status ?? undefined, 'pay'), true);
  const deliveryId = singleHeader(request.headers, 'x-digiflazz-delivery');
  return {
    kind: 'event',
    refId: data.ref_id,
    ...(deliveryId !== undefined ? { deliveryId } : {}),
    outcome: asPayOutcome(outcome),
    trust: 'authenticated',
  };
}

/** Case-insensitive header lookup; a header sent twice is ambiguous and treated as absent. */
export function singleHeader(headers: CallbackRequest['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    if (typeof value === 'string') return value;
    if (Array.isArray(value) && value.length === 1) return value[0];
    return undefined;
  }
  return undefined;
}
