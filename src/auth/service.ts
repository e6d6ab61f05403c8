import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { findKoperasiById } from '../koperasi/repository.js';
import { findOfficeUserByUsername } from '../office/repository.js';
import { findUser, findUserForLogin } from '../members/repository.js';
import { memberBalances } from '../members/service.js';
import { toJsonAmount } from '../money.js';
import { mustChangeOf } from './credentials.js';
import { verifyAgainstNothing, verifySecret } from './secrets.js';
import type { UserPrincipal } from './tokens.js';

const WRONG = () => new AppError('INVALID_CREDENTIALS', 'koperasi, username or password is wrong');

export async function login(
  deps: Pick<Deps, 'db' | 'tokens'>,
  input: { koperasi: string; username: string; password: string },
) {
  const user = await findUserForLogin(deps.db, input.koperasi, input.username);
  // Same work whether or not the user exists: the response time does not reveal usernames.
  if (!user) {
    await verifyAgainstNothing(input.password);
    throw WRONG();
  }
  if (!(await verifySecret(user.password_hash, input.password))) throw WRONG();
  // A kasir the treasurer disabled (src/counter/kasir.ts) answers like a wrong password.
  if (user.role === 'kasir' && (await findUser(deps.db, user.koperasi_id, user.id))?.disabledAt)
    throw WRONG();
  const mustChange = user.must_change;
  const { accessToken, expiresIn } = await deps.tokens.issue({
    kind: 'user',
    userId: user.id,
    koperasiId: user.koperasi_id,
    role: user.role,
    ...(mustChange ? { mustChange: true } : {}),
  });
  return { accessToken, tokenType: 'Bearer' as const, role: user.role, expiresIn, mustChange };
}

const WRONG_OFFICE = () => new AppError('INVALID_CREDENTIALS', 'username or password is wrong');

/** Office staff and operators: accounts of the platform, not of a koperasi. */
export async function officeLogin(
  deps: Pick<Deps, 'db' | 'tokens'>,
  input: { username: string; password: string },
) {
  const user = await findOfficeUserByUsername(deps.db, input.username.toLowerCase());
  if (!user) {
    await verifyAgainstNothing(input.password);
    throw WRONG_OFFICE();
  }
  if (!(await verifySecret(user.passwordHash, input.password))) throw WRONG_OFFICE();
  const { accessToken, expiresIn } = await deps.tokens.issue({
    kind: 'office',
    userId: user.id,
    role: user.role,
    region: user.role === 'operator' ? null : user.region,
  });
  return { accessToken, tokenType: 'Bearer' as const, role: user.role, expiresIn };
}

export async function me(deps: Pick<Deps, 'db' | 'ledger'>, principal: UserPrincipal) {
  const user = await findUser(deps.db, principal.koperasiId, principal.userId);
  const kop = await findKoperasiById(deps.db, principal.koperasiId);
  if (!user || !kop) throw new AppError('UNAUTHENTICATED', 'this account no longer exists');
  const base = {
    id: user.id,
    role: user.role,
    username: user.username,
    name: user.name,
    phone: user.phone,
    koperasi: { id: kop.id, code: kop.code, name: kop.name },
    mustChange: mustChangeOf(user),
    mustChangePassword: user.mustChangePassword,
    mustChangePin: user.mustChangePin,
  };
  if (user.role !== 'member') return base;
  const { balance, available } = await memberBalances(deps, deps.db, user);
  return {
    ...base,
    memberNo: user.username,
    balance: toJsonAmount(balance),
    available: toJsonAmount(available),
    pinLocked: user.pinLockedAt !== null,
  };
}
