import { describe, expect, it } from 'vitest';
import { createPinVerifier } from '../../../src/auth/secrets.js';

const ok = async () => ({ ok: true });
const wrong = async () => ({ ok: false });

describe('the PIN verifier cache', () => {
  it('remembers a correct PIN for its hash only, and never a wrong one', async () => {
    const pins = createPinVerifier();
    await pins.check('u1', 'hash-a', '123456', ok);
    await pins.check('u2', 'hash-b', '999999', wrong);
    expect(pins.remembers('u1', 'hash-a', '123456')).toBe(true);
    expect(pins.remembers('u1', 'hash-a', '654321')).toBe(false);
    expect(pins.remembers('u1', 'hash-changed', '123456')).toBe(false);
    expect(pins.remembers('u2', 'hash-b', '999999')).toBe(false);
  });

  it('recalls the hash a PIN was verified against, for that member and that PIN only', async () => {
    const pins = createPinVerifier({ ttlMs: 30 });
    await pins.check('u1', 'hash-a', '123456', ok);
    await pins.check('u2', 'hash-b', '999999', wrong);
    expect(pins.recall('u1', '123456')).toBe('hash-a');
    expect(pins.recall('u1', '654321')).toBeUndefined();
    expect(pins.recall('u2', '999999')).toBeUndefined();
    expect(pins.recall('u3', '123456')).toBeUndefined();
    await new Promise((r) => setTimeout(r, 60));
    expect(pins.recall('u1', '123456')).toBeUndefined();
  });

  it('forgets a PIN after its time', async () => {
    const pins = createPinVerifier({ ttlMs: 30 });
    await pins.check('u1', 'h', '123456', ok);
    expect(pins.remembers('u1', 'h', '123456')).toBe(true);
    await new Promise((r) => setTimeout(r, 60));
    expect(pins.remembers('u1', 'h', '123456')).toBe(false);
  });

  it('keeps at most `capacity` members, dropping the least recently used', async () => {
    const pins = createPinVerifier({ capacity: 2 });
    await pins.check('u1', 'h', '111111', ok);
    await pins.check('u2', 'h', '222222', ok);
    expect(pins.remembers('u1', 'h', '111111')).toBe(true); // u1 is now the most recently used
    await pins.check('u3', 'h', '333333', ok);
    expect(pins.remembers('u2', 'h', '222222')).toBe(false);
    expect(pins.remembers('u1', 'h', '111111')).toBe(true);
    expect(pins.remembers('u3', 'h', '333333')).toBe(true);
  });

  it('runs one check for a burst of identical concurrent ones', async () => {
    const pins = createPinVerifier();
    let runs = 0;
    const slow = async () => {
      runs += 1;
      await new Promise((r) => setTimeout(r, 20));
      return { ok: false };
    };
    await Promise.all(Array.from({ length: 10 }, () => pins.check('u1', 'h', '000000', slow)));
    expect(runs).toBe(1);
  });
});
