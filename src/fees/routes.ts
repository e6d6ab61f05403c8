import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../deps.js';
import { type AuthHooks, userOf } from '../http/auth.js';
import { problemSchema } from '../http/schemas.js';
import { listFees, setFee } from './service.js';

const feeView = z.object({
  product: z.string(),
  amount: z.number().int(),
  isDefault: z.boolean(),
  updatedAt: z.string().nullable(),
});

const feeBody = z.strictObject({
  amount: z
    .union([z.number().int().min(0), z.string().regex(/^\d{1,7}$/)])
    .transform((v) => BigInt(v))
    .refine((v) => v <= 1_000_000n, 'a koperasi fee is at most Rp 1.000.000'),
});

export function feeRoutes(deps: Deps, auth: AuthHooks): FastifyPluginAsyncZod {
  const treasurer = auth.roles('treasurer');
  const readers = auth.roles('treasurer', 'pengawas');
  return async (app) => {
    app.get(
      '/v1/fees',
      {
        onRequest: readers,
        schema: {
          tags: ['fees'],
          summary: 'Koperasi fee per product',
          security: [{ bearer: [] }],
          response: { 200: z.object({ items: z.array(feeView) }) },
        },
      },
      async (request) => ({ items: await listFees(deps, userOf(request).koperasiId) }),
    );
    app.put(
      '/v1/fees/:product',
      {
        onRequest: treasurer,
        schema: {
          tags: ['fees'],
          summary: 'Set the koperasi fee (rupiah) for a product (treasurer, audited)',
          security: [{ bearer: [] }],
          params: z.strictObject({
            product: z.string().regex(/^[A-Z][A-Z0-9_]{2,40}$/, 'a product code such as PLN_POSTPAID'),
          }),
          body: feeBody,
          response: { 200: feeView, 404: problemSchema },
        },
      },
      async (request) => setFee(deps, userOf(request), request.params.product, request.body.amount),
    );
  };
}
