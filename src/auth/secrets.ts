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
import { LRUCache } from 'lru-cache';

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
  /** True when this PIN was verified for this hash lately (no argon2 run, no guess spent). */
  remembers(userId: string, pinHash: string, pin: string): boolean;
  /**
   * The stored hash this PIN was verified against lately, without the user's row: the payment's hot path
   * passes it to its statement, which checks it is still the member's hash (a PIN changed since does not pass).
   */
  recall(userId: string, pin: string): string | undefined;
  /**
   * Check a PIN once: concurrent identical checks (one user, one PIN: an idempotency storm) share one
   * run of `check` and its result. `check` gets `verify` (the argon2 comparison) so it can spend a
   * guess first and count the outcome; a result with `ok` is remembered.
   */
  check<T extends { ok: boolean }>(
    userId: string,
    pinHash: string,
    pin: string,
    check: (verify: () => Promise<boolean>) => Promise<T>,
  ): Promise<T>;
}

export function createPinVerifier(options: { ttlMs?: number; capacity?: number } = {}): PinVerifier {
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const capacity = options.capacity ?? 50_000;
  const key = randomBytes(32);
  // Least recently used first out at capacity; each entry expires ttlMs after it was remembered.
  const remembered = new LRUCache<string, { digest: Buffer; pinHash: string }>({
    max: capacity,
    ttl: ttlMs,
    updateAgeOnGet: false,
  });
  const inFlight = new Map<string, Promise<{ ok: boolean }>>();
  const mac = (pinHash: string, pin: string) =>
    createHmac('sha256', key).update(pinHash).update('\0').update(pin).digest();

  const remembers = (userId: string, pinHash: string, pin: string) => {
    const known = remembered.get(userId);
    return known !== undefined && timingSafeEqual(known.digest, mac(pinHash, pin));
  };
  const remember = (userId: string, pinHash: string, digest: Buffer) => {
    remembered.set(userId, { digest, pinHash });
  };
  return {
    remembers,
    recall(userId: string, pin: string) {
      const known = remembered.get(userId);
      return known !== undefined && timingSafeEqual(known.digest, mac(known.pinHash, pin))
        ? known.pinHash
        : undefined;
    },
    async check<T extends { ok: boolean }>(
      userId: string,
      pinHash: string,
      pin: string,
      check: (verify: () => Promise<boolean>) => Promise<T>,
    ): Promise<T> {
      const digest = mac(pinHash, pin);
      const flightKey = `${userId}:${digest.toString('hex')}`;
      let pending = inFlight.get(flightKey) as Promise<T> | undefined;
      if (!pending) {
        pending = check(() => verifySecret(pinHash, pin))
          .then((result) => {
            if (result.ok) remember(userId, pinHash, digest);
            return result;
          })
          .finally(() => inFlight.delete(flightKey));
        inFlight.set(flightKey, pending);
      }
      return pending;
    },
  };
}
