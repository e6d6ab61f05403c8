/**
 * Transparency: the koperasi's own totals for everyone in it (members included), signed ledger checkpoints
 * for those who keep the books (treasurer, pengawas) and the office, and the platform's public key.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../deps.js';
import type { AuthHooks } from '../http/auth.js';
import { AppError } from '../http/errors.js';
import { calendarDateSchema } from '../http/schemas.js';
import { koperasiInRegion } from '../office/repository.js';
import { listCheckpoints, toExported } from './checkpoints.js';
import { transparencySummary } from './service.js';

export const PUBLIC_KEY_PATH = '/.well-known/pintu-ledger-key.json';

export function transparencyRoutes(deps: Deps, auth: AuthHooks): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      PUBLIC_KEY_PATH,
      {
        schema: {
          tags: ['transparency'],
          summary: "The platform's Ed25519 public key that signs ledger checkpoints",
        },
      },
      async (_request, reply) => {
        void reply.header('cache-control', 'public, max-age=3600');
        return {
          keyId: deps.signer.keyId,
          algorithm: 'Ed25519',
          publicKeyPem: deps.signer.publicKeyPem,
          jwk: deps.signer.jwk,
        };
      },
    );

    app.get(
      '/v1/transparency/summary',
      {
        onRequest: auth.roles('member', 'treasurer', 'pengawas'),
        schema: {
          tags: ['transparency'],
          summary:
            "The koperasi's totals today and this month, its latest checkpoint and verification (no personal data)",
          security: [{ bearer: [] }],
        },
      },
      async (request) => {
        const principal = request.principal;
        if (principal?.kind !== 'user') throw new AppError('UNAUTHENTICATED', 'not authenticated');
        return transparencySummary(deps, principal.koperasiId);
      },
    );

    // Koperasi users read their own book; the office its region's books (one koperasi with ?koperasi=).
    const checkpointsQuery = z.strictObject({
      from: calendarDateSchema.optional(),
      to: calendarDateSchema.optional(),
      koperasi: z.string().uuid().optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    });
    app.get(
      '/v1/transparency/checkpoints',
      {
        onRequest: auth.either(['treasurer', 'pengawas'], ['supervisor', 'operator']),
        schema: {
          tags: ['transparency'],
          summary:
            'Signed ledger checkpoints, newest first (export them: `pintu ledger verify --checkpoints FILE`)',
          security: [{ bearer: [] }],
          querystring: checkpointsQuery,
        },
      },
      async (request) => {
        const principal = request.principal;
        const { from, to, koperasi, limit } = request.query;
        let koperasiIds: string[] | null;
        if (principal?.kind === 'user') {
          if (koperasi && koperasi !== principal.koperasiId)
            throw new AppError('NOT_FOUND', 'koperasi not found');
          koperasiIds = [principal.koperasiId];
        } else {
          const region = principal?.kind === 'office' ? principal.region : null;
          if (koperasi) {
            const found = await koperasiInRegion(deps.db, region, koperasi);
            if (found.length === 0) throw new AppError('NOT_FOUND', 'koperasi not found');
            koperasiIds = [koperasi];
          } else
            koperasiIds = region === null ? null : (await koperasiInRegion(deps.db, region)).map((k) => k.id);
        }
        const rows = await listCheckpoints(deps.db, { koperasiIds, from, to, limit });
        return { publicKeyUrl: PUBLIC_KEY_PATH, keyId: deps.signer.keyId, checkpoints: rows.map(toExported) };
      },
    );
  };
}
