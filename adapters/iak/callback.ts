/**
 * IAK callback verification and parsing.
 *
 * Vendor docs: https://api.iak.id/api/prepaid/callback (POST JSON `data{ref_id, status, code, hp, price, message, sn,
 * balance, tr_id, rc, sign}`, sign = md5(username+api_key+ref_id)), https://api.iak.id/developer/security.
 *
 * The sign covers only the ref_id: anyone who saw one callback could forge another status for the same ref.
 * So the result is `notify-only` and the pipeline confirms with a status call before moving money.
 */
import type { CallbackRequest, CallbackResult } from '../../src/billers/port.js';
import { prepaidVerdict } from './codes.js';
import { asPayOutcome, tokenFromSerial, transactionOutcome } from './parse.js';
import { verifyCallbackSign } from './signature.js';
import { callbackData, callbackIdentity, envelope } from './wire.js';

const callbackBody = envelope(callbackData);

/** Never throws. */
export function parseIakCallback(request: CallbackRequest, username: string, apiKey: string): CallbackResult {
  if (!Buffer.isBuffer(request.rawBody)) return { kind: 'rejected', reason: 'malformed' };
  let json: unknown;
  try {
    json = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    return { kind: 'rejected', reason: 'malformed' };
  }
  // The sign is checked before the rest of the body is judged, so a forged callback is always "bad_signature".
  const identity = callbackIdentity.safeParse(json);
  if (!identity.success) return { kind: 'rejected', reason: 'malformed' };
  const { ref_id: refId, sign } = identity.data.data;
  if (sign === undefined || !verifyCallbackSign(username, apiKey, refId, sign)) {
    return { kind: 'rejected', reason: 'bad_signature' };
  }

  const body = callbackBody.safeParse(json);
  if (!body.success) return { kind: 'rejected', reason: 'malformed' };
  const data = body.data.data;
  const verdict = prepaidVerdict(data.code, data.status ?? undefined, 'pay');
  const facts = {
    code: data.code,
    message: data.message ?? '',
    upstreamRef: data.sn ?? data.tr_id ?? '',
    token: tokenFromSerial(data.sn),
    price: data.selling_price,
  };
  return {
    kind: 'event',
    refId,
    outcome: asPayOutcome(transactionOutcome(facts, verdict)),
    trust: 'notify-only',
  };
}
