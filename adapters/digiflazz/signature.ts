/**
 * Digiflazz signatures.
 *
 * Vendor docs: https://developer.digiflazz.com/api/buyer/topup/ (sign = md5(username + apiKey + ref_id)),
 * https://developer.digiflazz.com/api/buyer/webhook/ (X-Hub-Signature: sha1=HMAC-SHA1(raw body, secret)).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Lowercase hex MD5 of the UTF-8 string. */
export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** inq-pasca, pay-pasca, status-pasca and prepaid top-up: md5(username + apiKey + ref_id). */
export function transactionSign(username: string, apiKey: string, refId: string): string {
  return md5Hex(username + apiKey + refId);
}

/** pln-subscribe (PLN meter check): md5(username + apiKey + customer_no). */
export function meterCheckSign(username: string, apiKey: string, customerNo: string): string {
  return md5Hex(username + apiKey + customerNo);
}

/** Settlement file (ext): md5(username + apiKey + "settlement" + YYYYMMDD). */
export function settlementSign(username: string, apiKey: string, compactDate: string): string {
  return md5Hex(`${username}${apiKey}settlement${compactDate}`);
}

const SIGNATURE_HEADER = /^sha1=([0-9a-f]{40})$/i;

/**
 * Verifies `X-Hub-Signature: sha1=<hex>` over the raw request bytes (never a re-serialised body), with a
 * constant-time compare so the expected HMAC cannot be guessed byte by byte.
 */
export function verifyWebhookSignature(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (header === undefined) return false;
  const match = SIGNATURE_HEADER.exec(header.trim());
  const hex = match?.[1];
  if (hex === undefined) return false;
  const given = Buffer.from(hex, 'hex');
  const expected = createHmac('sha1', secret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
