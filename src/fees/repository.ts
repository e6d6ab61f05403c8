/** The fees table: the koperasi fee per product. */
import { eq, sql } from 'drizzle-orm';
import type { Database, DbOrTx } from '../db/client.js';
import { runNamed } from '../db/raw.js';
import { fees } from '../db/schema/index.js';
import type { Rupiah } from '../money.js';

export type FeeRow = typeof fees.$inferSelect;

/** One fee: the inquiry reads it on its hot path, a fee change inside its transaction. */
const feeSql = (koperasiId: string, product: string) =>
  sql`SELECT amount::text AS amount FROM fees WHERE koperasi_id = ${koperasiId}::uuid AND product = ${product}::text`;

const toFee = (rows: { amount: string }[]): Rupiah | undefined =>
  rows[0] ? BigInt(rows[0].amount) : undefined;

export async function findFee(db: DbOrTx, koperasiId: string, product: string): Promise<Rupiah | undefined> {
  return toFee((await db.execute<{ amount: string }>(feeSql(koperasiId, product))).rows);
}

/** The same read as a named statement on the hot path's pool (src/db/raw.ts): every inquiry makes it. */
export async function findFeeNamed(
  database: Pick<Database, 'named'>,
  koperasiId: string,
  product: string,
): Promise<Rupiah | undefined> {
  return toFee(
    await runNamed<{ amount: string }>(database.named, 'pintu_find_fee', feeSql(koperasiId, product)),
  );
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
