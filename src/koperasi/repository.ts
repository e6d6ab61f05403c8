import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { koperasi } from '../db/schema/index.js';

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

export async function findKoperasiByCode(db: DbOrTx, code: string): Promise<KoperasiRow | undefined> {
  const rows = await db.select().from(koperasi).where(eq(koperasi.code, code)).limit(1);
  return rows[0];
}

export async function findKoperasiById(db: DbOrTx, id: string): Promise<KoperasiRow | undefined> {
  const rows = await db.select().from(koperasi).where(eq(koperasi.id, id)).limit(1);
  return rows[0];
}
