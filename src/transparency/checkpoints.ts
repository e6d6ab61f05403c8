/**
 * Signed ledger checkpoints. For each book: the head of its hash chain (seq, transaction, hash), the number of
 * entries and the balances of its accounts as of that head, as one canonical JSON payload signed with the
 * platform's Ed25519 key. Every WIB day (the worker, just after midnight, for the day that ended) and on demand
 * (`pintu ledger checkpoint`). Stored append-only; a copy kept elsewhere (the office exports them) lets
 * `pintu ledger verify --checkpoints FILE` prove later that history up to each head is unchanged, even by
 * someone who edited entries as the tables' owner and re-sealed the chain: re-sealing changes the head hash.
 *
 * Everything a checkpoint covers is sealed and immutable, so its figures read through the seals (seq ≤ head)
 * need no snapshot isolation: a payment committing meanwhile is simply after the head.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../db/client.js';
import { sealAll } from '../ledger/sealing.js';
import { type CheckpointSigner, fingerprint, verifyWithPublicKey } from './signing.js';

export interface CheckpointPayload {
  v: 1;
  book: string;
  koperasi: string | null;
  day: string;
  kind: 'daily' | 'on_demand';
  seq: string;
  tx: string | null;
  head: string;
  entries: string;
  /** [account code, balance in the account's normal direction], sorted by code. */
  balances: [string, string][];
  at: string;
  key: string;
}

export interface CheckpointRow {
  id: string;
  book_id: string;
  koperasi_id: string | null;
  day: string;
  kind: 'daily' | 'on_demand';
  seq: string;
  tx_id: string | null;
  head_hash: Buffer;
  entry_count: string;
  balances: [string, string][];
  key_id: string;
  payload: string;
  signature: Buffer;
  created_at: Date;
}

interface Head {
  book_id: string;
  koperasi_id: string | null;
  seq: string;
  tx_id: string | null;
  hash: Buffer | null;
}

/** The figures of one book through seal `seq`: entry count and per-account balances. */
async function figuresThrough(db: DbOrTx, bookId: string, seq: string) {
  const rows = await db.execute<{ code: string; balance: string; n: string }>(sql`
    SELECT a.code,
           sum(CASE WHEN (e.side = 'D') = (a.type IN ('asset', 'expense')) THEN e.amount ELSE -e.amount END)::text AS balance,
           count(*)::text AS n
    FROM journal_seals s
    JOIN entries e ON e.tx_id = s.tx_id AND e.book_id = s.book_id
    JOIN accounts a ON a.id = e.account_id
    WHERE s.book_id = ${bookId} AND s.seq <= ${seq}
    GROUP BY a.code ORDER BY a.code COLLATE "C"`);
  const balances: [string, string][] = rows.rows.map((r) => [r.code, r.balance]);
  const entries = rows.rows.reduce((sum, r) => sum + BigInt(r.n), 0n);
  return { balances, entries: entries.toString() };
}

/**
 * Take a checkpoint of every book (or of one koperasi's book). Daily checkpoints are once per book and day:
 * a re-run, a retry or a second worker inserts nothing. Returns the checkpoints written.
 */
export async function takeCheckpoints(
  deps: { db: Db; signer: CheckpointSigner; now: Date },
  input: { day: string; kind: 'daily' | 'on_demand'; koperasiId?: string },
): Promise<CheckpointRow[]> {
  await sealAll(deps.db);
  const heads = await deps.db.execute<Head & Record<string, unknown>>(sql`
    SELECT b.id::text AS book_id, b.koperasi_id::text AS koperasi_id,
           coalesce(h.seq, 0)::text AS seq, h.tx_id::text AS tx_id, h.hash
    FROM books b
    LEFT JOIN LATERAL (SELECT seq, tx_id, hash FROM journal_seals s WHERE s.book_id = b.id ORDER BY seq DESC LIMIT 1) h ON true
    WHERE ${input.koperasiId ? sql`b.koperasi_id = ${input.koperasiId}` : sql`true`}
      ${
        input.kind === 'daily'
          ? sql`AND NOT EXISTS (SELECT 1 FROM ledger_checkpoints c WHERE c.book_id = b.id AND c.day = ${input.day}::date AND c.kind = 'daily')`
          : sql``
      }
    ORDER BY b.id`);
  const written: CheckpointRow[] = [];
  for (const head of heads.rows) {
    const { balances, entries } = await figuresThrough(deps.db, head.book_id, head.seq);
    const headHash = head.hash ?? Buffer.alloc(32);
    const payload: CheckpointPayload = {
      v: 1,
      book: head.book_id,
      koperasi: head.koperasi_id,
      day: input.day,
      kind: input.kind,
      seq: head.seq,
      tx: head.tx_id,
      head: headHash.toString('hex'),
      entries,
      balances,
      at: deps.now.toISOString(),
      key: deps.signer.keyId,
    };
    const text = JSON.stringify(payload);
    const signature = deps.signer.sign(text);
    const inserted = await deps.db.execute<CheckpointRow & Record<string, unknown>>(sql`
      INSERT INTO ledger_checkpoints (book_id, koperasi_id, day, kind, seq, tx_id, head_hash, entry_count, balances,
                                      key_id, payload, signature, created_at)
      VALUES (${head.book_id}, ${head.koperasi_id}, ${input.day}::date, ${input.kind}, ${head.seq}, ${head.tx_id},
              ${`\\x${headHash.toString('hex')}`}::bytea, ${entries}, ${JSON.stringify(balances)}::jsonb,
              ${deps.signer.keyId}, ${text}, ${`\\x${signature.toString('hex')}`}::bytea, ${deps.now})
      ON CONFLICT DO NOTHING
      RETURNING id::text, book_id::text, koperasi_id::text, day::text, kind, seq::text, tx_id::text, head_hash,
                entry_count::text, balances, key_id, payload, signature, created_at`);
    if (inserted.rows[0]) written.push(inserted.rows[0]);
  }
  return written;
}

/** Checkpoints in a range of days, newest first; `koperasiIds` null = every book (the platform's included). */
export async function listCheckpoints(
  db: DbOrTx,
  filter: { koperasiIds: string[] | null; from?: string; to?: string; limit: number },
): Promise<(CheckpointRow & { koperasi_name: string | null })[]> {
  const rows = await db.execute<
    CheckpointRow & { koperasi_name: string | null } & Record<string, unknown>
  >(sql`
    SELECT c.id::text, c.book_id::text, c.koperasi_id::text, c.day::text, c.kind, c.seq::text, c.tx_id::text,
           c.head_hash, c.entry_count::text, c.balances, c.key_id, c.payload, c.signature, c.created_at,
           k.name AS koperasi_name
    FROM ledger_checkpoints c LEFT JOIN koperasi k ON k.id = c.koperasi_id
    WHERE ${filter.koperasiIds === null ? sql`true` : sql`c.koperasi_id = ANY(${sql.param(filter.koperasiIds)}::uuid[])`}
      ${filter.from ? sql`AND c.day >= ${filter.from}::date` : sql``}
      ${filter.to ? sql`AND c.day <= ${filter.to}::date` : sql``}
    ORDER BY c.day DESC, c.id DESC
    LIMIT ${filter.limit}`);
  return rows.rows;
}

/** The latest checkpoint of each koperasi book (for the office and the member page). */
export async function latestCheckpoints(db: DbOrTx, koperasiIds: string[]) {
  const rows = await db.execute<{
    koperasi_id: string;
    book_id: string;
    day: string;
    created_at: Date;
    seq: string;
    entry_count: string;
    signature: Buffer;
  }>(sql`
    SELECT DISTINCT ON (koperasi_id) koperasi_id::text, book_id::text, day::text, created_at, seq::text,
           entry_count::text, signature
    FROM ledger_checkpoints WHERE koperasi_id = ANY(${sql.param(koperasiIds)}::uuid[])
    ORDER BY koperasi_id, day DESC, created_at DESC, id DESC`);
  return new Map(
    rows.rows.map((r) => [
      r.koperasi_id,
      { ...r, created_at: new Date(r.created_at), fingerprint: fingerprint(r.signature) },
    ]),
  );
}

/** The koperasi's checkpoint of a day for its report: the daily one, else the latest taken that day. */
export async function checkpointOfDay(db: DbOrTx, koperasiId: string, day: string) {
  const rows = await db.execute<{ kind: string; seq: string; entry_count: string; signature: Buffer }>(sql`
    SELECT kind, seq::text, entry_count::text, signature FROM ledger_checkpoints
    WHERE koperasi_id = ${koperasiId} AND day::text = ${day}
    ORDER BY (kind = 'daily') DESC, created_at DESC, id DESC LIMIT 1`);
  const row = rows.rows[0];
  if (!row) return null;
  return {
    day,
    kind: row.kind,
    seq: Number(row.seq),
    entries: Number(row.entry_count),
    fingerprint: fingerprint(row.signature),
  };
}

/** A checkpoint as exported (GET /v1/transparency/checkpoints) and read back by `verify --checkpoints`. */
export const exportedCheckpoint = z.object({
  payload: z.string().min(2),
  signature: z.string().regex(/^[A-Za-z0-9+/=_-]+$/),
});

export function toExported(row: CheckpointRow & { koperasi_name?: string | null }) {
  return {
    id: row.id,
    bookId: row.book_id,
    koperasiId: row.koperasi_id,
    koperasiName: row.koperasi_name ?? null,
    day: row.day,
    kind: row.kind,
    seq: Number(row.seq),
    txId: row.tx_id,
    headHash: row.head_hash.toString('hex'),
    entries: Number(row.entry_count),
    balances: row.balances.map(([account, balance]) => ({ account, balance: Number(balance) })),
    createdAt: new Date(row.created_at).toISOString(),
    fingerprint: fingerprint(row.signature),
    keyId: row.key_id,
    payload: row.payload,
    signature: row.signature.toString('base64'),
  };
}

const payloadSchema = z.object({
  v: z.literal(1),
  book: z.string().regex(/^\d+$/),
  koperasi: z.string().nullable(),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  kind: z.enum(['daily', 'on_demand']),
  seq: z.string().regex(/^\d+$/),
  tx: z.string().regex(/^\d+$/).nullable(),
  head: z.string().regex(/^[0-9a-f]{64}$/),
  entries: z.string().regex(/^\d+$/),
  balances: z.array(z.tuple([z.string(), z.string().regex(/^-?\d+$/)])),
  at: z.string(),
  key: z.string(),
});

export interface CheckpointProblem {
  book: string | null;
  koperasi: string | null;
  day: string | null;
  problem: string;
}

/**
 * Check exported checkpoints against the database: each signature is the platform's, and the book's history up
 * to each checkpoint's head still has the same head hash, entry count and balances. Returns what does not hold,
 * each naming the book and the day.
 */
export async function verifyCheckpoints(
  db: DbOrTx,
  publicKey: { keyId: string; pem: string },
  exported: unknown[],
): Promise<{ checked: number; problems: CheckpointProblem[] }> {
  const problems: CheckpointProblem[] = [];
  let checked = 0;
  for (const [index, item] of exported.entries()) {
    const parsed = exportedCheckpoint.safeParse(item);
    if (!parsed.success) {
      problems.push({
        book: null,
        koperasi: null,
        day: null,
        problem: `item ${index + 1}: not an exported checkpoint`,
      });
      continue;
    }
    let payload: z.infer<typeof payloadSchema>;
    try {
      payload = payloadSchema.parse(JSON.parse(parsed.data.payload));
    } catch {
      problems.push({
        book: null,
        koperasi: null,
        day: null,
        problem: `item ${index + 1}: unreadable payload`,
      });
      continue;
    }
    const where = { book: payload.book, koperasi: payload.koperasi, day: payload.day };
    if (payload.key !== publicKey.keyId) {
      problems.push({
        ...where,
        problem: `signed by key ${payload.key}, not this platform's key ${publicKey.keyId}`,
      });
      continue;
    }
    if (
      !verifyWithPublicKey(publicKey.pem, parsed.data.payload, Buffer.from(parsed.data.signature, 'base64'))
    ) {
      problems.push({
        ...where,
        problem: 'the signature does not match the payload (the checkpoint was altered)',
      });
      continue;
    }
    checked++;
    const seal = await db.execute<{ tx_id: string; hash: Buffer }>(sql`
      SELECT tx_id::text, hash FROM journal_seals WHERE book_id = ${payload.book} AND seq = ${payload.seq}`);
    const found = seal.rows[0];
    if (payload.seq === '0') {
      if (!/^0{64}$/.test(payload.head))
        problems.push({ ...where, problem: 'an empty chain with a non-zero head' });
    } else if (!found) {
      problems.push({
        ...where,
        problem: `seal ${payload.seq} of the chain no longer exists: history was removed`,
      });
      continue;
    } else if (found.hash.toString('hex') !== payload.head || found.tx_id !== payload.tx) {
      problems.push({
        ...where,
        problem: `chain head at seal ${payload.seq} is ${found.hash.toString('hex').slice(0, 16)}…, the checkpoint signed ${payload.head.slice(0, 16)}…: history up to this day was changed`,
      });
      continue;
    }
    const now = await figuresThrough(db, payload.book, payload.seq);
    if (now.entries !== payload.entries)
      problems.push({
        ...where,
        problem: `${now.entries} entries up to seal ${payload.seq}, the checkpoint signed ${payload.entries}`,
      });
    const signed = new Map(payload.balances);
    const differing = now.balances
      .filter(([code, balance]) => signed.get(code) !== balance)
      .map(([code]) => code);
    const missing = payload.balances
      .filter(([code]) => !now.balances.some(([c]) => c === code))
      .map(([code]) => code);
    if (differing.length + missing.length > 0)
      problems.push({
        ...where,
        problem: `balances differ from the checkpoint for ${[...differing, ...missing].slice(0, 5).join(', ')}`,
      });
  }
  return { checked, problems };
}

/** Record a run of `ledger verify`: when, whether it passed, which checks failed in which books. */
export async function recordVerification(
  db: DbOrTx,
  input: {
    source: 'cli' | 'worker';
    ok: boolean;
    failed: { name: string; books: string[] }[];
    checkpointsChecked: number;
  },
): Promise<void> {
  await db.execute(sql`
    INSERT INTO ledger_verifications (source, ok, failed_checks, checkpoints_checked)
    VALUES (${input.source}, ${input.ok}, ${JSON.stringify(input.failed)}::jsonb, ${input.checkpointsChecked})`);
}

/** The latest verification, and for each of the given books whether it failed there. */
export async function latestVerification(db: DbOrTx) {
  const rows = await db.execute<{
    checked_at: Date;
    ok: boolean;
    failed_checks: { name: string; books: string[] }[];
  }>(
    sql`SELECT checked_at, ok, failed_checks FROM ledger_verifications ORDER BY checked_at DESC, id DESC LIMIT 1`,
  );
  const last = rows.rows[0];
  if (!last) return undefined;
  const failedBooks = new Set(last.failed_checks.flatMap((c) => c.books));
  /** A failure not attributed to any book (e.g. a missing trigger) counts against every book. */
  const everyBook = last.failed_checks.some((c) => c.books.length === 0);
  return {
    checkedAt: new Date(last.checked_at),
    ok: last.ok,
    okForBook: (bookId: string) => last.ok || (!everyBook && !failedBooks.has(bookId)),
  };
}
