/**
 * The koperasi's supervisory board (pengawas): accounts created by the treasurer that read everything the
 * treasurer reads and change nothing. Every write route admits only `treasurer` or `member`, so a pengawas
 * token is refused there (403) without a rule of its own.
 */
import { z } from 'zod';
import { hashSecret } from '../auth/secrets.js';
import type { UserPrincipal } from '../auth/tokens.js';
import { recordAudit } from '../audit.js';
import { withTransaction } from '../db/client.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { nameSchema, passwordSchema, usernameSchema } from '../http/schemas.js';
import { insertUser } from './repository.js';

export const createPengawasBody = z.strictObject({
  username: usernameSchema,
  name: nameSchema,
  password: passwordSchema,
});

export const pengawasView = z.object({
  id: z.string().uuid(),
  username: z.string(),
  name: z.string(),
  role: z.literal('pengawas'),
});

export async function createPengawas(
  deps: Pick<Deps, 'db'>,
  treasurer: UserPrincipal,
  input: z.output<typeof createPengawasBody>,
) {
  const passwordHash = await hashSecret(input.password);
  return withTransaction(deps.db, async (tx) => {
    const user = await insertUser(tx, {
      koperasiId: treasurer.koperasiId,
      role: 'pengawas',
      username: input.username,
      name: input.name,
      passwordHash,
    });
    if (!user)
      throw new AppError('USERNAME_TAKEN', `the username ${input.username} is taken in this koperasi`);
    await recordAudit(tx, {
      koperasiId: treasurer.koperasiId,
      actorType: 'treasurer',
      actorId: treasurer.userId,
      action: 'pengawas.create',
      subjectType: 'user',
      subjectId: user.id,
      after: { username: user.username, name: user.name, role: 'pengawas' },
    });
    return { id: user.id, username: user.username, name: user.name, role: 'pengawas' as const };
  });
}
