import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../deps.js';
import { type AuthHooks, userOf } from '../http/auth.js';
import { dateSchema } from '../http/schemas.js';
import { closingDay } from './service.js';

export function closingRoutes(deps: Deps, auth: AuthHooks): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/closing',
      {
        onRequest: auth.roles('treasurer', 'pengawas'),
        schema: {
          tags: ['reports'],
          summary:
            'Tutup hari: a WIB day (default today) — payments by status, fee income, deposits and corrections, owed upstream, open items, reconciliation, balances at day end (treasurer, pengawas)',
          security: [{ bearer: [] }],
          querystring: z.strictObject({ date: dateSchema.optional() }),
        },
      },
      async (request) => closingDay(deps, userOf(request).koperasiId, request.query.date),
    );
  };
}
