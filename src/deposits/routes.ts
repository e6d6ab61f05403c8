/**
 * Deposits by their number (the journal transaction id the deposit route answers): the deposit with its
 * WhatsApp text, its receipt (bukti setoran) as a PDF, and its one correction.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../deps.js';
import { type AuthHooks, userOf } from '../http/auth.js';
import { problemSchema } from '../http/schemas.js';
import { fingerprint, idempotencyKeyOf } from '../idempotency/index.js';
import { renderDepositReceipt } from './receipt.js';
import { correctionBody, correctionResponse, depositParams, depositView } from './schemas.js';
import { correctDeposit, requireDeposit, toDepositView } from './service.js';

export function depositRoutes(deps: Deps, auth: AuthHooks): FastifyPluginAsyncZod {
  const readers = auth.roles('treasurer', 'pengawas');
  const security = [{ bearer: [] }];
  return async (app) => {
    app.get(
      '/v1/deposits/:id',
      {
        onRequest: readers,
        schema: {
          tags: ['members'],
          summary:
            'One savings deposit: member, amount, balance after, who took it, its correction, and a WhatsApp text (treasurer, pengawas)',
          security,
          params: depositParams,
          response: { 200: depositView, 404: problemSchema },
        },
      },
      async (request) =>
        toDepositView(await requireDeposit(deps, userOf(request).koperasiId, request.params.id)),
    );

    app.get(
      '/v1/deposits/:id/receipt.pdf',
      {
        onRequest: readers,
        schema: {
          tags: ['members'],
          summary: 'The deposit receipt (bukti setoran) as a PDF struk (treasurer, pengawas)',
          security,
          params: depositParams,
        },
      },
      async (request, reply) => {
        const deposit = await requireDeposit(deps, userOf(request).koperasiId, request.params.id);
        const pdf = await renderDepositReceipt(deposit);
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="bukti-setoran-${deposit.txId}.pdf"`)
          .header('cache-control', 'private, no-store')
          .send(pdf);
      },
    );

    app.post(
      '/v1/deposits/:id/correction',
      {
        onRequest: auth.roles('treasurer'),
        schema: {
          tags: ['members'],
          summary:
            'Correct a wrong deposit with a new reversing entry and a reason (treasurer, audited, once per deposit); requires Idempotency-Key',
          security,
          params: depositParams,
          body: correctionBody,
          response: {
            201: correctionResponse,
            200: correctionResponse,
            404: problemSchema,
            409: problemSchema,
            422: problemSchema,
          },
        },
      },
      async (request, reply) => {
        const key = idempotencyKeyOf(request);
        const route = `deposit-correction:${request.params.id}`;
        const result = await correctDeposit(deps, userOf(request), request.params.id, request.body, {
          key,
          fingerprint: fingerprint(deps.config.JWT_SECRET, route, request.body),
        });
        if (result.replayed) void reply.header('idempotent-replayed', 'true');
        return reply.code(result.statusCode === 200 ? 200 : 201).send(result.body);
      },
    );
  };
}
