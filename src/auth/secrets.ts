/**
 * Password and PIN hashing (argon2id).
 *
 * A correct PIN is remembered for a short while as an HMAC under a per-process random key, so a
 * member paying several bills in a row does not cost an argon2 verification (tens of ms of CPU) each
 * time. The cache never holds the PIN itself, is keyed by the stored hash (a PIN change invalidates
 * it), and wrong PINs always go through argon2 and the lockout counter.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';

const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashSecret = (secret: string): Promise<string> => argon2.hash(secret, HASH_OPTIONS);

/** A fixed hash to verify against when the user does not exist, so timing does not reveal usernames. */
let dummyHash: Promise<string> | undefined;
export async function verifyAgainstNothing(secret: string): Promise<false> {
  dummyHash ??= hashSecret(randomBytes(16).toString('hex'));
  await argon2.verify(await dummyHash, secret).catch(() => false);
  return false;
}

export async function verifySecret(hash: string, secret: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, secret);
  } catch {
    return false;
  }
}

export interface PinVerifier {
  verify(userId: string, pinHash: string, pin: string): Promise<boolean>;
}

export function createPinVerifier(options: { ttlMs?: number; capacity?: number } = {}): PinVerifier {
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const capacity = options.capacity ?? 50_000;
  const key = randomBytes(32);
  const remembered = new Map<string, { mac: Buffer; until: number }>();
  const inFlight = new Map<string, Promise<boolean>>();
  const mac = (pinHash: string, pin: string) => createHmac('sha256', key).update(pinHash).update('\0').update(pin).digest();

  return {
    async verify(userId, pinHash, pin) {
      const expected = mac(pinHash, pin);
      const known = remembered.get(userId);
      if (known && known.until > Date.now() && timingSafeEqual(known.mac, expected)) return true;
      // Concurrent duplicates of one request (idempotency storms) share one argon2 verification.
      const flightKey = `${userId}:${expected.toString('hex')}`;
      let pending = inFlight.get(flightKey);
      if (!pending) {
        pending = verifySecret(pinHash, pin).finally(() => inFlight.delete(flightKey));
        inFlight.set(flightKey, pending);
      }
      const ok = await pending;
      if (ok) {
        remembered.delete(userId);
        remembered.set(userId, { mac: expected, until: Date.now() + ttlMs });
        if (remembered.size > capacity) {
          const oldest = remembered.keys().next().value;
          if (oldest !== undefined) remembered.delete(oldest);
        }
      }
      return ok;
    },
  };
}
