/**
 * Sealing: appending committed journal transactions to their books' hash chains, after commit.
 *
 * An inline chain would make every payment of a koperasi wait for the previous one. Instead each
 * posting queues its transaction in `unsealed`; the sealer takes a batch of what has committed, in
 * id order, and appends one seal per (book, transaction) with hash = sha256(prev_hash || digest).
 * Only one sealer runs at a time (advisory lock), so the chains are linear. A transaction that commits
 * after a later id was sealed is simply sealed in a later batch: seq is commit-visible order.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Db, withTransaction } from '../db/client.js';
import { toRupiah } from '../money.js';

const SEALER_LOCK = 7_041_999_002;
export const GENESIS_HASH = Buffer.alloc(32);

export function chainHash(prevHash: Buffer, digest: Buffer): Buffer {
  return createHash('sha256').update(prevHash).update(digest).digest();
}

/** Seal up to `batchSize` committed transactions. Returns how many transactions were sealed. */
export async function sealBatch(db: Db, batchSize = 5_000): Promise<number> {
  return withTransaction(db, async (tx) => {
    const lock = await tx.execute<{ locked: boolean }>(
      sql`SELECT pg_try_advisory_xact_lock(${SEALER_LOCK}) AS locked`,
    );
    if (!lock.rows[0]?.locked) return 0;

    const taken = await tx.execute<{ tx_id: unknown }>(sql`
      DELETE FROM unsealed WHERE tx_id IN (SELECT tx_id FROM unsealed ORDER BY tx_id LIMIT ${batchSize})
      RETURNING tx_id`);
    if (taken.rows.length === 0) return 0;
    const txIds = taken.rows.map((r) => toRupiah(r.tx_id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

    const digests = await tx.execute<{ tx_id: unknown; book_id: unknown; digest: Buffer }>(sql`
      SELECT p.tx_id, p.book_id, pintu_tx_digest(p.tx_id, p.book_id) AS digest
      FROM (SELECT DISTINCT tx_id, book_id FROM entries WHERE tx_id = ANY(${sql.param(txIds)}::bigint[])) p
      ORDER BY p.tx_id, p.book_id`);

    const bookIds = [...new Set(digests.rows.map((r) => toRupiah(r.book_id)))];
    const heads = await tx.execute<{ book_id: unknown; seq: unknown; hash: Buffer }>(sql`
      SELECT b.id AS book_id, h.seq, h.hash
      FROM unnest(${sql.param(bookIds)}::bigint[]) AS b(id)
      LEFT JOIN LATERAL (
        SELECT seq, hash FROM journal_seals s WHERE s.book_id = b.id ORDER BY seq DESC LIMIT 1
      ) h ON true`);
    const head = new Map<bigint, { seq: bigint; hash: Buffer }>();
    for (const row of heads.rows) {
      head.set(toRupiah(row.book_id), {
        seq: row.seq === null ? 0n : toRupiah(row.seq),
        hash: row.hash ?? GENESIS_HASH,
      });
    }

    const seals = {
      book: [] as bigint[],
      seq: [] as bigint[],
      tx: [] as bigint[],
      prev: [] as string[],
      hash: [] as string[],
    };
    for (const row of digests.rows) {
      const bookId = toRupiah(row.book_id);
      const current = head.get(bookId) ?? { seq: 0n, hash: GENESIS_HASH };
      const hash = chainHash(current.hash, row.digest);
      seals.book.push(bookId);
      seals.seq.push(current.seq + 1n);
      seals.tx.push(toRupiah(row.tx_id));
      seals.prev.push(`\\x${current.hash.toString('hex')}`);
      seals.hash.push(`\\x${hash.toString('hex')}`);
      head.set(bookId, { seq: current.seq + 1n, hash });
    }
    if (seals.book.length > 0) {
      await tx.execute(sql`
        INSERT INTO journal_seals (book_id, seq, tx_id, prev_hash, hash)
        SELECT * FROM unnest(${sql.param(seals.book)}::bigint[], ${sql.param(seals.seq)}::bigint[],
                             ${sql.param(seals.tx)}::bigint[], ${sql.param(seals.prev)}::bytea[],
                             ${sql.param(seals.hash)}::bytea[])`);
    }
    return txIds.length;
  });
}

/** Seal until nothing is left (tests, `ledger verify --seal`, shutdown). */
export async function sealAll(db: Db, batchSize = 5_000): Promise<number> {
  let total = 0;
  for (;;) {
    const sealed = await sealBatch(db, batchSize);
    total += sealed;
    if (sealed < batchSize) return total;
  }
}
