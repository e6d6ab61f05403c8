/**
 * The koperasi fee per product: a fixed rupiah amount the koperasi adds to each payment and keeps
 * as fee income. Configured by the treasurer; DEFAULT_KOPERASI_FEE until then.
 */
import type { UserPrincipal } from '../auth/tokens.js';
import { recordAudit } from '../audit.js';
import { type DbOrTx, withTransaction } from '../db/client.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { type Rupiah, toJsonAmount } from '../money.js';
import { findFee, findFeeNamed, listFeeRows, upsertFee } from './repository.js';

export async function koperasiFee(
  deps: Pick<Deps, 'config'>,
  db: DbOrTx,
  koperasiId: string,
  product: string,
): Promise<Rupiah> {
  return (await findFee(db, koperasiId, product)) ?? deps.config.DEFAULT_KOPERASI_FEE;
}

/** The fee an inquiry charges: the same answer as koperasiFee, through the hot path's named statement. */
export async function inquiryFee(
  deps: Pick<Deps, 'config' | 'database'>,
  koperasiId: string,
  product: string,
): Promise<Rupiah> {
  return (await findFeeNamed(deps.database, koperasiId, product)) ?? deps.config.DEFAULT_KOPERASI_FEE;
}

export async function listFees(deps: Pick<Deps, 'config' | 'db' | 'catalog'>, koperasiId: string) {
  const rows = await listFeeRows(deps.db, koperasiId);
  const set = new Map(rows.map((r) => [r.product, r]));
  return [...deps.catalog.values()].map((p) => {
    const row = set.get(p.code);
    return {
      product: p.code,
      amount: toJsonAmount(row?.amount ?? deps.config.DEFAULT_KOPERASI_FEE),
      isDefault: row === undefined,
      updatedAt: row?.updatedAt.toISOString() ?? null,
    };
  });
}

export async function setFee(
  deps: Pick<Deps, 'config' | 'db' | 'catalog'>,
  treasurer: UserPrincipal,
  product: string,
  amount: Rupiah,
) {
  if (!deps.catalog.has(product)) throw new AppError('PRODUCT_UNKNOWN', `unknown product ${product}`);
  return withTransaction(deps.db, async (tx) => {
    const before = await koperasiFee(deps, tx, treasurer.koperasiId, product);
    await upsertFee(tx, { koperasiId: treasurer.koperasiId, product, amount, updatedBy: treasurer.userId });
    await recordAudit(tx, {
      koperasiId: treasurer.koperasiId,
      actorType: 'treasurer',
      actorId: treasurer.userId,
      action: 'fee.set',
      subjectType: 'fee',
      subjectId: product,
      before: { amount: before },
      after: { amount },
    });
    return { product, amount: toJsonAmount(amount), isDefault: false, updatedAt: new Date().toISOString() };
  });
}
