import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client.js';
import { users } from '../db/schema/index.js';

export type UserRow = typeof users.$inferSelect;

/** Insert a user; undefined when the username is taken in that koperasi. */
export async function insertUser(
  db: DbOrTx,
  input: {
    koperasiId: string;
    role: 'treasurer' | 'member' | 'pengawas';
    username: string;
    name: string;
    phone?: string | null;
    passwordHash: string;
    pinHash?: string | null;
    /** Credentials chosen by someone else: the user must replace them at the first login. */
    mustChangePassword?: boolean;
    mustChangePin?: boolean;
  },
): Promise<UserRow | undefined> {
  const rows = await db
    .insert(users)
    .values({ ...input, phone: input.phone ?? null, pinHash: input.pinHash ?? null })
    .onConflictDoNothing({ target: [users.koperasiId, users.username] })
    .returning();
  return rows[0];
}

/** Every lookup is scoped by koperasi: an id of another koperasi is simply not found. */
export async function findUser(db: DbOrTx, koperasiId: string, userId: string): Promise<UserRow | undefined> {
  const rows = await db
    .select()
    .from(users)
    .where(and(eq(users.koperasiId, koperasiId), eq(users.id, userId)))
    .limit(1);
  return rows[0];
}

const memberByNo = (db: DbOrTx, koperasiId: string, memberNo: string) =>
  db
    .select()
    .from(users)
    .where(and(eq(users.koperasiId, koperasiId), eq(users.username, memberNo), eq(users.role, 'member')))
    .limit(1);

export async function findMemberByNo(
  db: DbOrTx,
  koperasiId: string,
  memberNo: string,
): Promise<UserRow | undefined> {
  return (await memberByNo(db, koperasiId, memberNo))[0];
}

/** The member's row, locked until the transaction ends (PIN unlock, savings changes). */
export async function lockMemberByNo(
  tx: Tx,
  koperasiId: string,
  memberNo: string,
): Promise<UserRow | undefined> {
  return (await memberByNo(tx, koperasiId, memberNo).for('update'))[0];
}

export async function findUserForLogin(db: DbOrTx, koperasiCode: string, username: string) {
  const rows = await db.execute<{
    id: string;
    koperasi_id: string;
    role: 'treasurer' | 'member' | 'pengawas' | 'kasir';
    password_hash: string;
    must_change: boolean;
  }>(sql`
    SELECT u.id, u.koperasi_id, u.role, u.password_hash, (u.must_change_password OR u.must_change_pin) AS must_change
    FROM users u JOIN koperasi k ON k.id = u.koperasi_id
    WHERE k.code = ${koperasiCode.toLowerCase()} AND u.username = ${username}`);
  return rows.rows[0];
}

/** The user's row, locked until the transaction ends (a credential change). */
export async function lockUser(tx: Tx, koperasiId: string, userId: string): Promise<UserRow | undefined> {
  const rows = await tx
    .select()
    .from(users)
    .where(and(eq(users.koperasiId, koperasiId), eq(users.id, userId)))
    .for('update')
    .limit(1);
  return rows[0];
}

/** The user chose a new password: it is theirs, so the forced change of it is done. */
export async function setOwnPassword(db: DbOrTx, userId: string, passwordHash: string): Promise<UserRow> {
  const rows = await db
    .update(users)
    .set({ passwordHash, mustChangePassword: false })
    .where(eq(users.id, userId))
    .returning();
  return rows[0]!;
}

/** The member chose a new PIN: the count of wrong guesses starts again (a lock stays a lock). */
export async function setOwnPin(db: DbOrTx, userId: string, pinHash: string): Promise<UserRow> {
  const rows = await db
    .update(users)
    .set({ pinHash, pinFailures: 0, mustChangePin: false })
    .where(eq(users.id, userId))
    .returning();
  return rows[0]!;
}

/** The treasurer set a password for the member: the member must replace it, and the PIN, at the next login. */
export async function resetToTreasurerPassword(
  db: DbOrTx,
  userId: string,
  passwordHash: string,
): Promise<void> {
  await db
    .update(users)
    .set({ passwordHash, mustChangePassword: true, mustChangePin: true })
    .where(eq(users.id, userId));
}

export async function setSavingsAccount(db: DbOrTx, userId: string, accountId: bigint): Promise<void> {
  await db.update(users).set({ savingsAccountId: accountId }).where(eq(users.id, userId));
}

export async function listMembers(
  db: DbOrTx,
  koperasiId: string,
  limit: number,
  after?: string,
  search?: string,
) {
  // A search matches any part of the member number, the name or the phone; LIKE's own characters are literal.
  const like = search === undefined ? undefined : `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .select()
    .from(users)
    .where(
      and(
        eq(users.koperasiId, koperasiId),
        eq(users.role, 'member'),
        after === undefined ? undefined : sql`${users.username} > ${after}`,
        like === undefined
          ? undefined
          : sql`(${users.username} ILIKE ${like} OR ${users.name} ILIKE ${like} OR coalesce(${users.phone}, '') ILIKE ${like})`,
      ),
    )
    .orderBy(users.username)
    .limit(limit);
}

/**
 * Take one of the `max` PIN guesses BEFORE checking the PIN: the counter is raised atomically, so
 * however many guesses arrive at once, at most `max` are ever checked. False when none is left.
 */
export async function reservePinGuess(db: DbOrTx, userId: string, max: number): Promise<boolean> {
  const rows = await db.execute(sql`
    UPDATE users SET pin_failures = pin_failures + 1
    WHERE id = ${userId} AND pin_locked_at IS NULL AND pin_failures < ${max}
    RETURNING pin_failures`);
  return rows.rows.length === 1;
}

/** The reserved guess was wrong: it stays counted; the PIN locks once `max` guesses failed. */
export async function recordPinFailure(db: DbOrTx, userId: string, max: number) {
  const rows = await db.execute<{ pin_failures: number; locked: boolean }>(sql`
    UPDATE users SET pin_locked_at = CASE WHEN pin_failures >= ${max} THEN coalesce(pin_locked_at, now()) ELSE pin_locked_at END
    WHERE id = ${userId}
    RETURNING pin_failures, pin_locked_at IS NOT NULL AS locked`);
  return rows.rows[0]!;
}

/** The reserved guess was right: the count starts again. */
export async function resetPinFailures(db: DbOrTx, userId: string): Promise<void> {
  await db.execute(sql`UPDATE users SET pin_failures = 0 WHERE id = ${userId} AND pin_failures <> 0`);
}

export async function unlockPin(db: DbOrTx, userId: string): Promise<void> {
  await db.update(users).set({ pinFailures: 0, pinLockedAt: null }).where(eq(users.id, userId));
}
