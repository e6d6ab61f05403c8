/** Onboarding a koperasi: its row, its first treasurer, its ledger book — in one transaction. */
import { hashSecret } from '../auth/secrets.js';
import { recordAudit } from '../audit.js';
import { withTransaction } from '../db/client.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { insertUser } from '../members/repository.js';
import { findKoperasiContact, insertKoperasi } from './repository.js';
import type { CreateKoperasiInput } from './schemas.js';

export async function createKoperasi(
  deps: Pick<Deps, 'db' | 'ledger'>,
  input: CreateKoperasiInput,
  actor: { actorType: 'admin' | 'operator'; actorId: string | null } = { actorType: 'admin', actorId: null },
) {
  const passwordHash = await hashSecret(input.treasurer.password);
  return withTransaction(deps.db, async (tx) => {
    const created = await insertKoperasi(tx, {
      code: input.code,
      name: input.name,
      region: input.region ?? null,
    });
    if (!created)
      throw new AppError('KOPERASI_EXISTS', `a koperasi with code "${input.code}" already exists`);
    const treasurer = await insertUser(tx, {
      koperasiId: created.id,
      role: 'treasurer',
      username: input.treasurer.username,
      name: input.treasurer.name ?? input.treasurer.username,
      phone: input.treasurer.phone ?? null,
      passwordHash,
    });
    if (!treasurer) throw new Error('treasurer could not be created in a new koperasi');
    await deps.ledger.openKoperasiBook(tx, created.id);
    await recordAudit(tx, {
      koperasiId: created.id,
      ...actor,
      action: 'koperasi.create',
      subjectType: 'koperasi',
      subjectId: created.id,
      after: {
        code: created.code,
        name: created.name,
        region: created.region,
        treasurer: treasurer.username,
      },
    });
    return {
      id: created.id,
      code: created.code,
      name: created.name,
      region: created.region,
      treasurer: { id: treasurer.id, username: treasurer.username },
      createdAt: created.createdAt.toISOString(),
    };
  });
}

/** Whom a member who forgot the PIN or password should ask: the koperasi's name and its treasurer. */
export async function koperasiContact(deps: Pick<Deps, 'db'>, code: string) {
  const contact = await findKoperasiContact(deps.db, code);
  if (!contact) throw new AppError('NOT_FOUND', `no koperasi with code ${code}`);
  return contact;
}
