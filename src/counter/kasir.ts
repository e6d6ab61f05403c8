/**
 * Kasir accounts: created, listed and disabled by the treasurer. A kasir signs in by username like the treasurer,
 * must replace the treasurer's password at the first login (like a member), has no savings and no PIN, and gets
 * a cash drawer account (cash_drawer:<kasirId>, "Kas loket <nama>") in the koperasi's book.
 */
import { hashSecret } from '../auth/secrets.js';
import type { UserPrincipal } from '../auth/tokens.js';
import { recordAudit } from '../audit.js';
import { type DbOrTx, withTransaction } from '../db/client.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { bookOf } from '../members/service.js';
import {
  type KasirRow,
  findKasir,
  insertKasir,
  listKasirRows,
  lockKasir,
  setKasirDisabled,
} from './repository.js';
import type { createKasirBody, kasirView } from './schemas.js';
import type { z } from 'zod';

type KasirDeps = Pick<Deps, 'db' | 'ledger' | 'clock'>;

export function toKasirView(kasir: KasirRow, openShiftId: string | null): z.infer<typeof kasirView> {
  return {
    id: kasir.id,
    username: kasir.username,
    name: kasir.name,
    phone: kasir.phone,
    role: 'kasir',
    disabled: kasir.disabledAt !== null,
    disabledAt: kasir.disabledAt?.toISOString() ?? null,
    mustChangePassword: kasir.mustChangePassword,
    openShiftId,
    createdAt: kasir.createdAt.toISOString(),
  };
}

export async function createKasir(
  deps: KasirDeps,
  treasurer: UserPrincipal,
  input: z.output<typeof createKasirBody>,
) {
  const passwordHash = await hashSecret(input.password);
  return withTransaction(deps.db, async (tx) => {
    const kasir = await insertKasir(tx, {
      koperasiId: treasurer.koperasiId,
      username: input.username,
      name: input.name,
      phone: input.phone ?? null,
      passwordHash,
    });
    if (!kasir)
      throw new AppError('USERNAME_TAKEN', `the username ${input.username} is taken in this koperasi`);
    const bookId = await bookOf(deps, tx, treasurer.koperasiId);
    await deps.ledger.openCashDrawerAccount(tx, bookId, kasir.id, kasir.name);
    await recordAudit(tx, {
      koperasiId: treasurer.koperasiId,
      actorType: 'treasurer',
      actorId: treasurer.userId,
      action: 'kasir.create',
      subjectType: 'user',
      subjectId: kasir.id,
      after: { username: kasir.username, name: kasir.name, role: 'kasir' },
    });
    return toKasirView(kasir, null);
  });
}

export async function listKasir(deps: Pick<Deps, 'db'>, koperasiId: string) {
  const rows = await listKasirRows(deps.db, koperasiId);
  return { items: rows.map((r) => toKasirView(r.kasir, r.openShiftId)) };
}

/**
 * Disable (or enable again) a kasir. A disabled kasir cannot sign in, and the counter refuses their tokens still
 * in flight. An open shift stays open: its drawer holds cash, and the treasurer closes it with the count.
 */
export async function setKasirEnabled(
  deps: KasirDeps,
  treasurer: UserPrincipal,
  kasirId: string,
  enabled: boolean,
) {
  return withTransaction(deps.db, async (tx) => {
    const kasir = await lockKasir(tx, treasurer.koperasiId, kasirId);
    if (!kasir) throw new AppError('KASIR_NOT_FOUND', 'kasir not found');
    const wasEnabled = kasir.disabledAt === null;
    const row =
      wasEnabled === enabled
        ? kasir
        : await setKasirDisabled(tx, kasir.id, enabled ? null : deps.clock.now());
    if (wasEnabled !== enabled) {
      await recordAudit(tx, {
        koperasiId: treasurer.koperasiId,
        actorType: 'treasurer',
        actorId: treasurer.userId,
        action: enabled ? 'kasir.enable' : 'kasir.disable',
        subjectType: 'user',
        subjectId: kasir.id,
        before: { disabled: !wasEnabled },
        after: { disabled: !enabled },
      });
    }
    const listed = (await listKasirRows(tx, treasurer.koperasiId)).find((r) => r.kasir.id === kasir.id);
    return toKasirView(row, listed?.openShiftId ?? null);
  });
}

/** The signed-in kasir's own row; a kasir disabled after signing in is refused here. */
export async function requireActiveKasir(db: DbOrTx, principal: UserPrincipal): Promise<KasirRow> {
  const kasir = await findKasir(db, principal.koperasiId, principal.userId);
  if (!kasir) throw new AppError('UNAUTHENTICATED', 'this account no longer exists');
  if (kasir.disabledAt)
    throw new AppError('FORBIDDEN', 'this kasir account has been disabled by the treasurer');
  return kasir;
}
