/**
 * IAK signatures: md5 over username + api key + a per-operation suffix.
 *
 * Vendor docs: https://api.iak.id/api/postpaid/core/products/pln/inquiry (md5(username+api_key+ref_id)),
 * https://api.iak.id/api/postpaid/core/check-status (md5(username+api_key+"cs")),
 * https://api.iak.id/api/prepaid/callback (callback sign = md5(username+api_key+ref_id)), https://api.iak.id/developer/security.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** Lowercase hex MD5 of the UTF-8 string. */
export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * md5(username + apiKey + suffix). The suffix is the ref_id (inquiry, top-up, prepaid status, callback), the
 * tr_id (pay-pasca), the customer_id (inquiry-pln), "cs" (checkstatus) or "settlement"+YYYYMMDD (ext).
 */
export function iakSign(username: string, apiKey: string, suffix: string): string {
  return md5Hex(username + apiKey + suffix);
}

const MD5_HEX = /^[0-9a-f]{32}$/i;

/**
 * The callback sign covers only the ref_id. Compared in constant time so it cannot be guessed byte by byte;
 * it still proves nothing about the status, so callbacks are notify-only.
 */
export function verifyCallbackSign(username: string, apiKey: string, refId: string, sign: string): boolean {
  if (!MD5_HEX.test(sign)) return false;
  const given = Buffer.from(sign.toLowerCase(), 'hex');
  const expected = Buffer.from(iakSign(username, apiKey, refId), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
