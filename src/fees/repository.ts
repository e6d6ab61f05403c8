/** The fees table: the koperasi fee per product. */
import { and, eq, sql } from 'drizzle-orm';
import type { Database, DbOrTx } from '../db/client.js';
import { runNamed } from '../db/raw.js';
import { fees } from '../db/schema/index.js';
import type { Rupiah } from '../money.js';

export type FeeRow = typeof fees.$inferSelect;

export async function findFee(db: DbOrTx, koperasiId: string, product: string): Promise<Rupiah | undefined> {
  const rows = await db
    .select({ amount: fees.amount })
    .from(fees)
    .where(and(eq(fees.koperasiId, koperasiId), eq(fees.product, product)))
    .limit(1);
  return rows[0]?.amount;
}

/** findFee as a named statement, for the inquiry's hot path (no query building per call). */
export async function findFeeFast(
  database: Database,
  koperasiId: string,
  product: string,
): Promise<Rupiah | undefined> {
  const rows = await runNamed<{ amount: string }>(
    database.pool,
    'pintu_find_fee',
    sql`SELECT amount::text AS amount FROM fees WHERE koperasi_id = ${koperasiId}::uuid AND product = ${product}::text`,
  );
  return rows[0] ? BigInt(rows[0].amount) : undefined;
}

export async function listFeeRows(db: DbOrTx, koperasiId: string): Promise<FeeRow[]> {
  return db.select().from(fees).where(eq(fees.koperasiId, koperasiId));
}

export async function upsertFee(
  db: DbOrTx,
  input: { koperasiId: string; product: string; amount: Rupiah; updatedBy: string },
): Promise<void> {
  await db.execute(sql`
    INSERT INTO fees (koperasi_id, product, amount, updated_by) VALUES (${input.koperasiId}, ${input.product}, ${input.amount}, ${input.updatedBy})
    ON CONFLICT (koperasi_id, product) DO UPDATE SET amount = EXCLUDED.amount, updated_at = now(), updated_by = EXCLUDED.updated_by`);
}
