import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { koperasi, users } from '../db/schema/index.js';

export type KoperasiRow = typeof koperasi.$inferSelect;

/** Insert a koperasi; undefined when the code is taken. */
export async function insertKoperasi(
  db: DbOrTx,
  input: { code: string; name: string; region?: string | null },
): Promise<KoperasiRow | undefined> {
  const rows = await db
    .insert(koperasi)
    .values(input)
    .onConflictDoNothing({ target: koperasi.code })
    .returning();
  return rows[0];
}

/** Codes are stored in lower case; any case finds the koperasi. */
export async function findKoperasiByCode(db: DbOrTx, code: string): Promise<KoperasiRow | undefined> {
  const rows = await db.select().from(koperasi).where(eq(koperasi.code, code.toLowerCase())).limit(1);
  return rows[0];
}

/** Whom a member who forgot the PIN or password should call: the koperasi's first treasurer. */
export async function findKoperasiContact(
  db: DbOrTx,
  code: string,
): Promise<{ name: string; treasurerName: string | null; treasurerPhone: string | null } | undefined> {
  const rows = await db
    .select({ name: koperasi.name, treasurerName: users.name, treasurerPhone: users.phone })
    .from(koperasi)
    .leftJoin(users, and(eq(users.koperasiId, koperasi.id), eq(users.role, 'treasurer')))
    .where(eq(koperasi.code, code.toLowerCase()))
    .orderBy(asc(users.createdAt), asc(users.id))
    .limit(1);
  return rows[0];
}

export async function findKoperasiById(db: DbOrTx, id: string): Promise<KoperasiRow | undefined> {
  const rows = await db.select().from(koperasi).where(eq(koperasi.id, id)).limit(1);
  return rows[0];
}
