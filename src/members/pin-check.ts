/**
 * One PIN check for everything a member confirms with the PIN: the same guess budget
 * (PIN_MAX_ATTEMPTS, then PIN_LOCKED until the treasurer unlocks it) whether the PIN confirms a payment or
 * proves who wants to change the PIN (payments/service.ts and auth/credentials.ts both call it), on the same
 * counters (reservePinGuess → recordPinFailure / resetPinFailures).
 */
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { type UserRow, recordPinFailure, reservePinGuess, resetPinFailures } from './repository.js';

export const pinLocked = () =>
  new AppError('PIN_LOCKED', 'the PIN is locked after too many wrong tries; ask your treasurer to unlock it');

/**
 * A PIN verified lately passes without a guess being spent. Otherwise a guess is reserved first, so a
 * burst of concurrent guesses checks at most PIN_MAX_ATTEMPTS of them; the PIN locks when they fail.
 */
export async function checkMemberPin(
  deps: Pick<Deps, 'db' | 'pins' | 'config'>,
  user: Pick<UserRow, 'id' | 'pinHash' | 'pinLockedAt'>,
  pin: string,
): Promise<void> {
  if (!user.pinHash) throw new AppError('FORBIDDEN', 'this account has no PIN');
  if (user.pinLockedAt) throw pinLocked();
  if (deps.pins.remembers(user.id, user.pinHash, pin)) return;
  const max = deps.config.PIN_MAX_ATTEMPTS;
  const result = await deps.pins.check(user.id, user.pinHash, pin, async (verify) => {
    if (!(await reservePinGuess(deps.db, user.id, max)))
      return { ok: false, locked: true, failures: max, checked: false };
    if (await verify()) {
      await resetPinFailures(deps.db, user.id);
      return { ok: true, locked: false, failures: 0, checked: true };
    }
    const failed = await recordPinFailure(deps.db, user.id, max);
    return { ok: false, locked: failed.locked, failures: failed.pin_failures, checked: true };
  });
  if (result.ok) return;
  if (!result.checked) throw pinLocked();
  if (result.locked)
    throw new AppError('PIN_LOCKED', 'wrong PIN; the PIN is now locked, ask your treasurer to unlock it');
  throw new AppError('PIN_INVALID', 'wrong PIN', { remainingAttempts: Math.max(0, max - result.failures) });
}
