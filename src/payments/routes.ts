import { z } from 'zod';
import type { FastifyPluginAsync } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { inWibWindow } from '../clock.js';
import type { Deps } from '../deps.js';
import { type AuthHooks, userOf } from '../http/auth.js';
import { AppError } from '../http/errors.js';
import { fingerprint, idempotencyKeyOf } from '../idempotency/index.js';
import { perUser } from '../http/rate-limits.js';
import { problemSchema } from '../http/schemas.js';
import { listFees } from '../fees/service.js';
import { findKoperasiById } from '../koperasi/repository.js';
import { findUser } from '../members/repository.js';
import { toJsonAmount } from '../money.js';
import { handleCallback } from './callbacks.js';
import { createQuote } from './quotes.js';
import { renderReceipt } from './receipt.js';
import { findPaymentFor } from './repository.js';
import {
  inquiryBody,
  paymentBody,
  paymentList,
  paymentListQuery,
  paymentParams,
  paymentView,
  preferWait,
  quoteView,
  resolveBody,
} from './schemas.js';
import { createPayment, listPayments, resolvePayment, scopeOf, waitForFinal } from './service.js';
import { toPaymentView } from './view.js';

const productView = z.object({
  code: z.string(),
  name: z.string(),
  category: z.enum(['electricity', 'water', 'health']),
  kind: z.enum(['bill', 'token']),
  customerNoHint: z.string(),
  denominations: z.array(z.number().int()).nullable(),
  months: z.object({ min: z.number().int(), max: z.number().int() }).nullable(),
  koperasiFee: z.number().int().describe("this koperasi's fee, added to the biller's bill and admin"),
  cutOff: z.object({ active: z.boolean(), start: z.string(), end: z.string() }).nullable(),
});

/** `closing` aborts when the server shuts down: a Prefer: wait then answers with what it has. */
export function paymentRoutes(deps: Deps, auth: AuthHooks, closing: AbortSignal): FastifyPluginAsyncZod {
  const member = auth.roles('member');
  const anyone = auth.roles('member', 'treasurer', 'pengawas', 'kasir');
  return async (app) => {
    app.get(
      '/v1/products',
      {
        onRequest: anyone,
        schema: {
          tags: ['payments'],
          summary: 'Product catalog with this koperasi’s fees',
          security: [{ bearer: [] }],
          response: { 200: z.object({ items: z.array(productView) }) },
        },
      },
      async (request) => {
        const { koperasiId } = userOf(request);
        const now = deps.clock.now();
        // Every product's fee in one read (the fee list the treasurer sees), not one query per product.
        const fees = new Map((await listFees(deps, koperasiId)).map((f) => [f.product, f.amount]));
        const items = [];
        for (const p of deps.catalog.values()) {
          items.push({
            code: p.code,
            name: p.name,
            category: p.category,
            kind: p.kind,
            customerNoHint: p.customerNoHint,
            denominations: p.denominations?.map((d) => toJsonAmount(d)) ?? null,
            months: p.months ?? null,
            koperasiFee: fees.get(p.code) ?? toJsonAmount(deps.config.DEFAULT_KOPERASI_FEE),
            cutOff: p.plnCutOff
              ? {
                  active: inWibWindow(now, deps.config.PLN_CUTOFF_START, deps.config.PLN_CUTOFF_END),
                  start: deps.config.PLN_CUTOFF_START,
                  end: deps.config.PLN_CUTOFF_END,
                }
              : null,
          });
        }
        return { items };
      },
    );

    app.post(
      '/v1/inquiries',
      {
        onRequest: member,
        // Each inquiry costs an upstream call; aggregators block buyers that flood them.
        config: { rateLimit: perUser(deps.config.INQUIRY_RATE_LIMIT_PER_MINUTE) },
        schema: {
          tags: ['payments'],
          summary: 'Check a bill and get a quote (free, no debit)',
          security: [{ bearer: [] }],
          body: inquiryBody,
          response: { 201: quoteView, 404: problemSchema, 422: problemSchema, 503: problemSchema },
        },
      },
      async (request, reply) => reply.code(201).send(await createQuote(deps, userOf(request), request.body)),
    );

    app.post(
      '/v1/payments',
      {
        onRequest: member,
        config: { rateLimit: perUser(deps.config.PAYMENT_RATE_LIMIT_PER_MINUTE) },
        schema: {
          tags: ['payments'],
          summary:
            'Pay a quote from savings; requires Idempotency-Key; Prefer: wait=N waits up to N s for the outcome',
          security: [{ bearer: [] }],
          body: paymentBody,
          response: {
            200: paymentView,
            202: paymentView,
            403: problemSchema,
            409: problemSchema,
            422: problemSchema,
            423: problemSchema,
          },
        },
      },
      async (request, reply) => {
        const principal = userOf(request);
        const key = idempotencyKeyOf(request);
        const { paymentId, replayed, payment } = await createPayment(deps, principal, request.body, {
          key,
          fingerprint: fingerprint(deps.config.JWT_SECRET, 'payment', request.body),
        });
        const wait = preferWait(request.headers.prefer);
        // A new payment is answered from what was just written; a replay or a wait reads it again.
        const view =
          payment && wait === 0
            ? toPaymentView(payment, undefined, 'owner')
            : await waitForFinal(deps, principal, paymentId, wait, closing);
        if (replayed) void reply.header('idempotent-replayed', 'true');
        if (wait > 0) void reply.header('preference-applied', `wait=${wait}`);
        void reply.header('location', `/v1/payments/${paymentId}`);
        return reply.code(view.status === 'processing' || view.status === 'suspect' ? 202 : 200).send(view);
      },
    );

    app.get(
      '/v1/payments',
      {
        onRequest: anyone,
        schema: {
          tags: ['payments'],
          summary: 'Payments, newest first: a member sees their own, a treasurer the koperasi’s',
          security: [{ bearer: [] }],
          querystring: paymentListQuery,
          response: { 200: paymentList },
        },
      },
      async (request) => listPayments(deps, userOf(request), request.query),
    );

    app.get(
      '/v1/payments/:id',
      {
        onRequest: anyone,
        schema: {
          tags: ['payments'],
          summary: 'One payment',
          security: [{ bearer: [] }],
          params: paymentParams,
          response: { 200: paymentView, 404: problemSchema },
        },
      },
      async (request) => waitForFinal(deps, userOf(request), request.params.id, 0),
    );

    app.get(
      '/v1/payments/:id/receipt',
      {
        onRequest: anyone,
        schema: {
          tags: ['payments'],
          summary: 'The struk (PDF) of a successful payment: a 58 mm thermal slip (default) or A4',
          security: [{ bearer: [] }],
          params: paymentParams,
          querystring: z.strictObject({ format: z.enum(['58mm', 'a4']).default('58mm') }),
        },
      },
      async (request, reply) => {
        const principal = userOf(request);
        const payment = await findPaymentFor(deps.db, request.params.id, scopeOf(principal));
        if (!payment) throw new AppError('PAYMENT_NOT_FOUND', 'payment not found');
        if (payment.status !== 'success' && payment.status !== 'refunded') {
          throw new AppError('RECEIPT_NOT_AVAILABLE', `there is no receipt for a ${payment.status} payment`);
        }
        const [kop, kasir] = await Promise.all([
          findKoperasiById(deps.db, payment.koperasiId),
          payment.kasirId ? findUser(deps.db, payment.koperasiId, payment.kasirId) : undefined,
        ]);
        const pdf = await renderReceipt(
          {
            payment,
            koperasiName: kop?.name ?? '',
            memberName: payment.memberName ?? payment.payerName,
            productName: deps.catalog.get(payment.product)?.name ?? payment.product,
            kasirName: kasir?.name ?? null,
          },
          { layout: request.query.format },
        );
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="struk-${payment.id}.pdf"`)
          .header('cache-control', 'private, no-store')
          .send(pdf);
      },
    );

    app.post(
      '/v1/payments/:id/resolve',
      {
        onRequest: auth.roles('treasurer'),
        schema: {
          tags: ['payments'],
          summary: 'Resolve a suspect payment as success or failed, with a reason (treasurer, audited)',
          security: [{ bearer: [] }],
          params: paymentParams,
          body: resolveBody,
          response: { 200: paymentView, 404: problemSchema, 409: problemSchema },
        },
      },
      async (request) => resolvePayment(deps, userOf(request), request.params.id, request.body),
    );
  };
}

/** Callbacks need the raw bytes for signature checks, so they get their own body parser. */
export function callbackRoutes(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 256 * 1024 }, (_request, body, done) =>
      done(null, body),
    );
    app.post<{ Params: { adapter: string } }>(
      '/v1/callbacks/:adapter',
      { schema: { tags: ['callbacks'], summary: 'Signed upstream callbacks (digiflazz, iak)', hide: false } },
      async (request) => {
        const adapter = request.params.adapter;
        if (!/^[a-z][a-z0-9_-]{1,31}$/.test(adapter))
          throw new AppError('ADAPTER_UNKNOWN', 'no such adapter');
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const status = await handleCallback(deps, adapter, { headers: request.headers, rawBody });
        return { status };
      },
    );
  };
}
