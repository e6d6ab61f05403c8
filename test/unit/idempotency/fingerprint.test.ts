import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprint, fingerprintKey } from '../../../src/idempotency/index.js';

const SECRET = 'a-server-secret-of-enough-length-0001';

describe('idempotency fingerprints', () => {
  it('are the same for the same request whatever the key order, and differ for another route or body', () => {
    const a = fingerprint(SECRET, 'payment', { quoteId: 'q1', pin: '123456' });
    expect(fingerprint(SECRET, 'payment', { pin: '123456', quoteId: 'q1' })).toBe(a);
    expect(fingerprint(SECRET, 'payment', { quoteId: 'q1', pin: '123457' })).not.toBe(a);
    expect(fingerprint(SECRET, 'deposit:M1', { quoteId: 'q1', pin: '123456' })).not.toBe(a);
    expect(fingerprint(SECRET, 'x', { amount: 10n })).toBe(fingerprint(SECRET, 'x', { amount: 10n }));
  });

  it('use a key of their own, derived from the server secret, never the secret itself', () => {
    const key = fingerprintKey(SECRET);
    expect(key).toHaveLength(32);
    expect(key.equals(Buffer.from(SECRET))).toBe(false);
    expect(fingerprintKey(SECRET).equals(key)).toBe(true);
    expect(fingerprintKey(`${SECRET}x`).equals(key)).toBe(false);
    const withSecret = createHmac('sha256', SECRET)
      .update('payment')
      .update('\n')
      .update('{"pin":"123456"}')
      .digest('hex');
    expect(fingerprint(SECRET, 'payment', { pin: '123456' })).not.toBe(withSecret);
  });
});
