/**
 * Members (anggota): registration by the treasurer, savings deposits (setoran simpanan sukarela),
 * balances, and unlocking a PIN after too many wrong tries.
 */
import type { UserPrincipal } from '../auth/tokens.js';
import { hashSecret } from '../auth/secrets.js';
import { recordAudit } from '../audit.js';
import { type DbOrTx, type Tx, withTransaction } from '../db/client.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { type StoredResponse, withIdempotency } from '../idempotency/index.js';
import { KOPERASI_ACCOUNTS } from '../ledger/index.js';
import { toJsonAmount } from '../money.js';
import {
  type UserRow,
  findMemberByNo,
  lockMemberByNo,
  insertUser,
  listMembers as listMemberRows,
  resetToTreasurerPassword,
  setSavingsAccount,
  unlockPin,
} from './repository.js';
import type { CreateMemberInput, DepositInput, MemberView, ResetPasswordInput } from './schemas.js';

type MemberDeps = Pick<Deps, 'db' | 'ledger' | 'config' | 'events' | 'clock'>;

export async function bookOf(deps: Pick<Deps, 'ledger'>, db: DbOrTx, koperasiId: string): Promise<bigint> {
  const bookId = await deps.ledger.findBookId(db, koperasiId);
  if (bookId === undefined) throw new Error(`koperasi ${koperasiId} has no book`);
  return bookId;
}

/** balance = posted savings; available = what can be spent now (balance minus holds in flight). */
export async function memberBalances(
  deps: Pick<Deps, 'ledger'>,
  db: DbOrTx,
  member: Pick<UserRow, 'savingsAccountId'>,
) {
  if (member.savingsAccountId === null) return { balance: 0n, available: 0n };
  const available = await deps.ledger.balance(db, member.savingsAccountId);
  const inFlight = await deps.ledger.pendingHolds(db, member.savingsAccountId);
  return { balance: available + inFlight, available };
}

export async function toMemberView(
  deps: Pick<Deps, 'ledger'>,
  db: DbOrTx,
  member: UserRow,
): Promise<MemberView> {
  const { balance, available } = await memberBalances(deps, db, member);
  return {
    id: member.id,
    memberNo: member.username,
    name: member.name,
    phone: member.phone,
    balance: toJsonAmount(balance),
    available: toJsonAmount(available),
    pinLocked: member.pinLockedAt !== null,
    createdAt: member.createdAt.toISOString(),
  };
}

/** Publish a member's balances; pass them when the caller already knows them (no query then). */
export async function publishBalance(
  deps: MemberDeps,
  member: Pick<UserRow, 'id' | 'koperasiId' | 'savingsAccountId'>,
  known?: { balance: bigint; available: bigint },
): Promise<void> {
  const { balance, available } = known ?? (await memberBalances(deps, deps.db, member));
  await deps.events.publish({
    type: 'balance',
    koperasiId: member.koperasiId,
    memberId: member.id,
    balance: toJsonAmount(balance),
    available: toJsonAmount(available),
    at: deps.clock.now().toISOString(),
  });
}

/**
 * Register a member. The treasurer chose the password and PIN, so the member must replace both at the
 * first login — except the demo seed's members (`mustChangeCredentials: false`), whose printed
 * credentials are meant to be tried as they are.
 */
export async function createMember(
  deps: MemberDeps,
  treasurer: UserPrincipal,
  input: CreateMemberInput,
  options: { mustChangeCredentials?: boolean } = {},
): Promise<MemberView> {
  const mustChange = options.mustChangeCredentials ?? true;
  const [passwordHash, pinHash] = await Promise.all([hashSecret(input.password), hashSecret(input.pin)]);
  return withTransaction(deps.db, async (tx) => {
    const member = await insertUser(tx, {
      koperasiId: treasurer.koperasiId,
      role: 'member',
      username: input.memberNo,
      name: input.name,
      phone: input.phone ?? null,
      passwordHash,
      pinHash,
      mustChangePassword: mustChange,
      mustChangePin: mustChange,
    });
    if (!member)
      throw new AppError('MEMBER_EXISTS', `member ${input.memberNo} is already registered in this koperasi`);
    const savings = await deps.ledger.openSavingsAccount(
      tx,
      await bookOf(deps, tx, treasurer.koperasiId),
      member.id,
      member.name,
    );
    await setSavingsAccount(tx, member.id, savings.id);
    await recordAudit(tx, {
      koperasiId: treasurer.koperasiId,
      actorType: 'treasurer',
      actorId: treasurer.userId,
      action: 'member.create',
      subjectType: 'member',
      subjectId: member.id,
      after: { memberNo: member.username, name: member.name },
    });
    return toMemberView(deps, tx, { ...member, savingsAccountId: savings.id });
  });
}

export async function requireMember(db: DbOrTx, koperasiId: string, memberNo: string): Promise<UserRow> {
  const member = await findMemberByNo(db, koperasiId, memberNo);
  if (!member) throw new AppError('MEMBER_NOT_FOUND', `member ${memberNo} not found`);
  return member;
}

async function requireLockedMember(tx: Tx, koperasiId: string, memberNo: string): Promise<UserRow> {
  const member = await lockMemberByNo(tx, koperasiId, memberNo);
  if (!member) throw new AppError('MEMBER_NOT_FOUND', `member ${memberNo} not found`);
  return member;
}

export interface DepositResult {
  memberNo: string;
  amount: number;
  reference: string;
  transactionId: string;
  balance: number;
  available: number;
}

/** Record cash a member brought to the koperasi: Dr deposits cash / Cr the member's savings. */
export async function depositSavings(
  deps: MemberDeps,
  treasurer: UserPrincipal,
  memberNo: string,
  input: DepositInput,
  idempotency: { key: string; fingerprint: string },
): Promise<StoredResponse<DepositResult>> {
  if (input.amount > deps.config.MAX_DEPOSIT_AMOUNT) {
    throw new AppError(
      'AMOUNT_TOO_LARGE',
      `a single deposit is at most ${deps.config.MAX_DEPOSIT_AMOUNT} rupiah`,
    );
  }
  let depositedTo: UserRow | undefined;
  const result = await withIdempotency(
    deps.db,
    { scope: `user:${treasurer.userId}`, ...idempotency },
    async (tx) => {
      const member = await requireMember(tx, treasurer.koperasiId, memberNo);
      if (member.savingsAccountId === null) throw new Error(`member ${member.id} has no savings account`);
      const bookId = await bookOf(deps, tx, treasurer.koperasiId);
      const cash = await deps.ledger.requireAccount(tx, bookId, KOPERASI_ACCOUNTS.depositsCash.code);
      const txId = await deps.ledger.post(tx, {
        kind: 'deposit',
        memo: input.reference,
        lines: [
          { accountId: cash.id, side: 'D', amount: input.amount },
          { accountId: member.savingsAccountId, side: 'C', amount: input.amount },
        ],
      });
      await recordAudit(tx, {
        koperasiId: treasurer.koperasiId,
        actorType: 'treasurer',
        actorId: treasurer.userId,
        action: 'savings.deposit',
        subjectType: 'member',
        subjectId: member.id,
        after: { amount: input.amount, reference: input.reference, transactionId: txId },
      });
      depositedTo = member;
      const { balance, available } = await memberBalances(deps, tx, member);
      return {
        statusCode: 201,
        body: {
          memberNo: member.username,
          amount: toJsonAmount(input.amount),
          reference: input.reference,
          transactionId: txId.toString(),
          balance: toJsonAmount(balance),
          available: toJsonAmount(available),
        },
      };
    },
  );
  if (depositedTo) await publishBalance(deps, depositedTo);
  return result;
}

export async function unlockMemberPin(
  deps: MemberDeps,
  treasurer: UserPrincipal,
  memberNo: string,
): Promise<MemberView> {
  return withTransaction(deps.db, async (tx) => {
    const member = await requireLockedMember(tx, treasurer.koperasiId, memberNo);
    await unlockPin(tx, member.id);
    await recordAudit(tx, {
      koperasiId: treasurer.koperasiId,
      actorType: 'treasurer',
      actorId: treasurer.userId,
      action: 'member.pin_unlock',
      subjectType: 'member',
      subjectId: member.id,
      before: { pinFailures: member.pinFailures, locked: member.pinLockedAt !== null },
      after: { pinFailures: 0, locked: false },
    });
    return toMemberView(deps, tx, { ...member, pinFailures: 0, pinLockedAt: null });
  });
}

/**
 * The treasurer sets a new password for a member who forgot theirs: the member must replace it (and the
 * PIN) at the next login. Nothing else changes — a locked PIN stays locked until unlocked on its own.
 */
export async function resetMemberPassword(
  deps: MemberDeps,
  treasurer: UserPrincipal,
  memberNo: string,
  input: ResetPasswordInput,
): Promise<MemberView> {
  const passwordHash = await hashSecret(input.newPassword);
  return withTransaction(deps.db, async (tx) => {
    const member = await requireLockedMember(tx, treasurer.koperasiId, memberNo);
    await resetToTreasurerPassword(tx, member.id, passwordHash);
    await recordAudit(tx, {
      koperasiId: treasurer.koperasiId,
      actorType: 'treasurer',
      actorId: treasurer.userId,
      action: 'member.password_reset',
      subjectType: 'member',
      subjectId: member.id,
      // Never the password: only that the member must now choose their own.
      before: { mustChangePassword: member.mustChangePassword, mustChangePin: member.mustChangePin },
      after: { mustChangePassword: true, mustChangePin: true },
    });
    return toMemberView(deps, tx, member);
  });
}

export async function getMember(deps: MemberDeps, koperasiId: string, memberNo: string): Promise<MemberView> {
  return toMemberView(deps, deps.db, await requireMember(deps.db, koperasiId, memberNo));
}

export async function listMembers(
  deps: MemberDeps,
  koperasiId: string,
  limit: number,
  after?: string,
  search?: string,
) {
  const rows = await listMemberRows(deps.db, koperasiId, limit + 1, after, search);
  const page = rows.slice(0, limit);
  return {
    items: await Promise.all(page.map((m) => toMemberView(deps, deps.db, m))),
    nextCursor: rows.length > limit ? (page.at(-1)?.username ?? null) : null,
  };
}
