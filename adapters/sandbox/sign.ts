/**
 * Signatures: md5(username + apiKey + suffix) for both dialects' requests (Digiflazz buyer API, IAK), and
 * Digiflazz's webhook X-Hub-Signature, an HMAC-SHA1 of the exact raw body bytes
 * (developer.digiflazz.com/api/buyer/webhook).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** md5(username + apiKey + suffix), lowercase hex. */
export function requestSign(username: string, apiKey: string, suffix: string): string {
  return md5Hex(username + apiKey + suffix);
}

/** Constant-time check of a hex signature, case-insensitive. */
export function signMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given.toLowerCase()), Buffer.from(expected));
}

/** `sha1=<hex HMAC-SHA1(rawBody, secret)>` */
export function hubSignature(rawBody: Buffer, secret: string): string {
  return `sha1=${createHmac('sha1', secret).update(rawBody).digest('hex')}`;
}
