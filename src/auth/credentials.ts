/**
 * Users change their own password and (members) PIN. Credentials the treasurer chose — at registration
 * or a password reset — must be replaced first (users.must_change_password / must_change_pin, the `mc`
 * claim of the access token); each change answers with a fresh token that says what is still to do.
 */
import { sql } from 'drizzle-orm';
import { recordAudit } from '../audit.js';
import { withTransaction } from '../db/client.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { isTooSimplePin } from '../http/schemas.js';
import { type UserRow, findUser, lockUser, setOwnPassword, setOwnPin } from '../members/repository.js';
import { checkMemberPin } from '../members/pin-check.js';
import { hashSecret, verifySecret } from './secrets.js';
import type { UserPrincipal } from './tokens.js';

type CredentialDeps = Pick<Deps, 'db' | 'tokens' | 'pins' | 'config'>;

export const mustChangeOf = (user: Pick<UserRow, 'mustChangePassword' | 'mustChangePin'>) =>
  user.mustChangePassword || user.mustChangePin;

async function requireUser(deps: Pick<Deps, 'db'>, principal: UserPrincipal): Promise<UserRow> {
  const user = await findUser(deps.db, principal.koperasiId, principal.userId);
  if (!user) throw new AppError('UNAUTHENTICATED', 'this account no longer exists');
  return user;
}

/** A new token for the changed account: without the claim once nothing is left to change. */
async function reissue(deps: Pick<Deps, 'tokens'>, user: UserRow) {
  const mustChange = mustChangeOf(user);
  const { accessToken, expiresIn } = await deps.tokens.issue({
    kind: 'user',
    userId: user.id,
    koperasiId: user.koperasiId,
    role: user.role,
    ...(mustChange ? { mustChange: true } : {}),
  });
  return {
    accessToken,
    tokenType: 'Bearer' as const,
    role: user.role,
    expiresIn,
    mustChange,
    mustChangePassword: user.mustChangePassword,
    mustChangePin: user.mustChangePin,
  };
}

export async function changePassword(
  deps: CredentialDeps,
  principal: UserPrincipal,
  input: { currentPassword: string; newPassword: string },
) {
  if (input.newPassword === input.currentPassword)
    throw new AppError('PASSWORD_UNCHANGED', 'the new password must differ from the current one');
  const user = await requireUser(deps, principal);
  if (!(await verifySecret(user.passwordHash, input.currentPassword)))
    throw new AppError('CURRENT_PASSWORD_WRONG', 'the current password is wrong');
  const passwordHash = await hashSecret(input.newPassword);
  const changed = await withTransaction(deps.db, async (tx) => {
    const locked = await lockUser(tx, principal.koperasiId, principal.userId);
    if (!locked) throw new AppError('UNAUTHENTICATED', 'this account no longer exists');
    const row = await setOwnPassword(tx, locked.id, passwordHash);
    await recordAudit(tx, {
      koperasiId: principal.koperasiId,
      actorType: principal.role,
      actorId: principal.userId,
      action: 'user.password_change',
      subjectType: principal.role === 'member' ? 'member' : 'user',
      subjectId: locked.id,
      // Never the secrets: only whether this was the change the treasurer's password required.
      before: { mustChangePassword: locked.mustChangePassword },
      after: { mustChangePassword: false },
    });
    return row;
  });
  return reissue(deps, changed);
}

export async function changePin(
  deps: CredentialDeps,
  principal: UserPrincipal,
  input: { currentPin: string; newPin: string },
) {
  if (input.newPin === input.currentPin)
    throw new AppError('PIN_UNCHANGED', 'the new PIN must differ from the current one');
  if (isTooSimplePin(input.newPin))
    throw new AppError(
      'PIN_TOO_SIMPLE',
      'choose a PIN that is not one digit repeated or a run such as 123456 or 654321',
    );
  const user = await requireUser(deps, principal);
  // A wrong current PIN spends one of the PIN_MAX_ATTEMPTS guesses, exactly as at a payment.
  await checkMemberPin(deps, user, input.currentPin);
  const pinHash = await hashSecret(input.newPin);
  const changed = await withTransaction(deps.db, async (tx) => {
    const locked = await lockUser(tx, principal.koperasiId, principal.userId);
    if (!locked) throw new AppError('UNAUTHENTICATED', 'this account no longer exists');
    // Locked by a concurrent guess while this one was verified: the lock wins.
    if (locked.pinLockedAt)
      throw new AppError('PIN_LOCKED', 'the PIN is locked; ask your treasurer to unlock it');
    const row = await setOwnPin(tx, locked.id, pinHash);
    await recordAudit(tx, {
      koperasiId: principal.koperasiId,
      actorType: principal.role,
      actorId: principal.userId,
      action: 'member.pin_change',
      subjectType: 'member',
      subjectId: locked.id,
      before: { mustChangePin: locked.mustChangePin },
      after: { mustChangePin: false },
    });
    return row;
  });
  return reissue(deps, changed);
}

/** A user's own phone (WhatsApp) number; for the treasurer, the number members are shown when they need help. */
export async function setMyPhone(deps: Pick<Deps, 'db'>, user: UserPrincipal, phone: string | null) {
  return withTransaction(deps.db, async (tx) => {
    const before = await tx.execute<{ phone: string | null }>(sql`
      SELECT phone FROM users WHERE id = ${user.userId} AND koperasi_id = ${user.koperasiId} FOR UPDATE`);
    if (!before.rows[0]) throw new AppError('UNAUTHENTICATED', 'this account no longer exists');
    await tx.execute(sql`UPDATE users SET phone = ${phone} WHERE id = ${user.userId}`);
    await recordAudit(tx, {
      koperasiId: user.koperasiId,
      actorType: user.role,
      actorId: user.userId,
      action: 'user.phone_set',
      subjectType: 'user',
      subjectId: user.userId,
      before: { phone: before.rows[0].phone },
      after: { phone },
    });
    return { phone };
  });
}
