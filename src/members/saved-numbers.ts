/**
 * Saved customer numbers ("Nomor tersimpan"): a member's own numbers with a nickname, shown as chips on the pay
 * screen so the 2–4 bills paid every month take one tap. The member saves them (by hand or from one of their
 * payments) and manages them; a treasurer may read, add and remove them for a member without a phone (issue 14's
 * autodebet is set up that way), audited. The member sees their numbers in full, staff masked (src/privacy.ts).
 */
import { sql } from 'drizzle-orm';
import type { ProductSpec } from '../../config/products.js';
import type { UserPrincipal } from '../auth/tokens.js';
import { recordAudit } from '../audit.js';
import { type DbOrTx, type Tx, withTransaction } from '../db/client.js';
import { rowMapper, type RawRow } from '../db/rows.js';
import { savedNumbers } from '../db/schema/index.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { requireProduct } from '../payments/quotes.js';
import { findPaymentFor } from '../payments/repository.js';
import { maskCustomerNo } from '../privacy.js';
import {
  type CreateSavedNumberInput,
  SAVED_NUMBERS_LIMIT,
  type SavedNumberView,
  type UpdateSavedNumberInput,
} from './saved-numbers-schemas.js';

type SavedDeps = Pick<Deps, 'db' | 'catalog'>;
type SavedRow = typeof savedNumbers.$inferSelect;

/** Who reads: the member the numbers belong to (in full), or staff of the koperasi (masked). */
export type Viewer = 'owner' | 'staff';

/** Whose numbers, and who acts on them: the member themselves or a treasurer (audited). */
export interface SavedNumbersOf {
  koperasiId: string;
  memberId: string;
  actor: UserPrincipal;
}

const viewerOf = (of: SavedNumbersOf): Viewer => (of.actor.userId === of.memberId ? 'owner' : 'staff');
const fromRaw = rowMapper(savedNumbers);

function toView(row: SavedRow & { lastPaid?: Date | null }, viewer: Viewer): SavedNumberView {
  const lastPaid = row.lastPaid ?? row.lastPaidAt;
  return {
    id: row.id,
    product: row.product,
    customerNo: viewer === 'owner' ? row.customerNo : maskCustomerNo(row.customerNo),
    nickname: row.nickname,
    months: row.months,
    lastPaidAt: lastPaid?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const invalid = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', `${path}: ${message}`, { errors: [{ path: `body.${path}`, message }] });

/** The inquiry's own rules for one product: its customer-number pattern, and months only where it has them. */
function checkTarget(product: ProductSpec, customerNo: string, months: number | null | undefined): void {
  if (!product.customerNoPattern.test(customerNo))
    throw invalid('customerNo', `expected ${product.customerNoHint}`);
  if (months === null || months === undefined) return;
  if (!product.months) throw invalid('months', `${product.code} takes no months`);
  if (months < product.months.min || months > product.months.max)
    throw invalid('months', `pay ${product.months.min}–${product.months.max} months`);
}

async function listRows(db: DbOrTx, koperasiId: string, memberId: string) {
  // The latest successful payment to each number, whoever made it pay: the chips put the usual bills first.
  const rows = await db.execute<RawRow & { last_paid: string | Date | null }>(sql`
    SELECT s.*, greatest(s.last_paid_at, paid.at) AS last_paid
    FROM saved_numbers s
    LEFT JOIN LATERAL (
      SELECT max(coalesce(p.finished_at, p.created_at)) AS at FROM payments p
      WHERE p.member_id = s.member_id AND p.koperasi_id = s.koperasi_id AND p.product = s.product
        AND p.customer_no = s.customer_no AND p.status = 'success') paid ON true
    WHERE s.koperasi_id = ${koperasiId} AND s.member_id = ${memberId}
    ORDER BY last_paid DESC NULLS LAST, s.created_at DESC, s.id`);
  return rows.rows.map((raw) => ({
    ...fromRaw(raw),
    lastPaid: raw.last_paid === null ? null : new Date(raw.last_paid),
  }));
}

export async function listSavedNumbers(deps: SavedDeps, of: SavedNumbersOf) {
  const rows = await listRows(deps.db, of.koperasiId, of.memberId);
  const viewer = viewerOf(of);
  return { items: rows.map((r) => toView(r, viewer)), limit: SAVED_NUMBERS_LIMIT };
}

async function audit(tx: Tx, of: SavedNumbersOf, action: string, row: SavedRow, after: boolean) {
  if (viewerOf(of) === 'owner') return;
  const shown = { product: row.product, customerNo: maskCustomerNo(row.customerNo), nickname: row.nickname };
  await recordAudit(tx, {
    koperasiId: of.koperasiId,
    actorType: of.actor.role,
    actorId: of.actor.userId,
    action,
    subjectType: 'member',
    subjectId: of.memberId,
    ...(after
      ? { after: { savedNumberId: row.id, ...shown } }
      : { before: { savedNumberId: row.id, ...shown } }),
  });
}

/** What to save: typed by hand (checked as the inquiry checks it), or taken from one of the member's payments. */
async function targetOf(deps: SavedDeps, tx: Tx, of: SavedNumbersOf, input: CreateSavedNumberInput) {
  if ('paymentId' in input) {
    const payment = await findPaymentFor(tx, input.paymentId, {
      koperasiId: of.koperasiId,
      memberId: of.memberId,
    });
    if (!payment) throw new AppError('PAYMENT_NOT_FOUND', 'payment not found');
    return {
      product: payment.product,
      customerNo: payment.customerNo,
      months: payment.months,
      lastPaidAt: payment.status === 'success' ? (payment.finishedAt ?? payment.createdAt) : null,
    };
  }
  const product = requireProduct(deps, input.product);
  checkTarget(product, input.customerNo, input.months);
  return {
    product: product.code,
    customerNo: input.customerNo,
    months: input.months ?? null,
    lastPaidAt: null,
  };
}

export async function saveNumber(
  deps: SavedDeps,
  of: SavedNumbersOf,
  input: CreateSavedNumberInput,
): Promise<SavedNumberView> {
  return withTransaction(deps.db, async (tx) => {
    // One member's saves one at a time, so the limit holds under concurrent requests.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`saved:${of.memberId}`}, 0))`);
    const target = await targetOf(deps, tx, of, input);
    const existing = await tx.execute<{ id: string }>(sql`
      SELECT id FROM saved_numbers WHERE member_id = ${of.memberId} AND product = ${target.product}
        AND customer_no = ${target.customerNo}`);
    if (existing.rows[0])
      throw new AppError('SAVED_NUMBER_EXISTS', 'this number is already saved for this product', {
        savedNumberId: existing.rows[0].id,
      });
    const count = await tx.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM saved_numbers WHERE member_id = ${of.memberId}`,
    );
    if ((count.rows[0]?.n ?? 0) >= SAVED_NUMBERS_LIMIT)
      throw new AppError(
        'SAVED_NUMBERS_FULL',
        `at most ${SAVED_NUMBERS_LIMIT} saved numbers; delete one first`,
        {
          limit: SAVED_NUMBERS_LIMIT,
        },
      );
    const [row] = await tx
      .insert(savedNumbers)
      .values({ koperasiId: of.koperasiId, memberId: of.memberId, nickname: input.nickname, ...target })
      .returning();
    if (!row) throw new Error('the insert of a saved number returned nothing');
    await audit(tx, of, 'saved_number.create', row, true);
    return toView(row, viewerOf(of));
  });
}

const notFound = () => new AppError('NOT_FOUND', 'saved number not found');

/** Rename, or change the months of, one of the member's own numbers (members only). */
export async function updateSavedNumber(
  deps: SavedDeps,
  of: SavedNumbersOf,
  id: string,
  input: UpdateSavedNumberInput,
): Promise<SavedNumberView> {
  return withTransaction(deps.db, async (tx) => {
    const found = await tx.execute<RawRow>(sql`
      SELECT * FROM saved_numbers WHERE id = ${id} AND koperasi_id = ${of.koperasiId}
        AND member_id = ${of.memberId} FOR UPDATE`);
    const current = found.rows[0] ? fromRaw(found.rows[0]) : undefined;
    if (!current) throw notFound();
    const product = deps.catalog.get(current.product);
    if (input.months !== undefined && product) checkTarget(product, current.customerNo, input.months);
    const updated = await tx.execute<RawRow>(sql`
      UPDATE saved_numbers SET nickname = ${input.nickname ?? current.nickname},
        months = ${input.months === undefined ? current.months : input.months}, updated_at = now()
      WHERE id = ${id} RETURNING *`);
    return toView(fromRaw(updated.rows[0]!), viewerOf(of));
  });
}

export async function deleteSavedNumber(deps: SavedDeps, of: SavedNumbersOf, id: string): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const deleted = await tx.execute<RawRow>(sql`
      DELETE FROM saved_numbers WHERE id = ${id} AND koperasi_id = ${of.koperasiId}
        AND member_id = ${of.memberId} RETURNING *`);
    if (!deleted.rows[0]) throw notFound();
    await audit(tx, of, 'saved_number.delete', fromRaw(deleted.rows[0]), false);
  });
}
