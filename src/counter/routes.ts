/** The counter (loket): kasir accounts (treasurer), shifts and desk payments (kasir), read by treasurer and pengawas. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../deps.js';
import { type AuthHooks, userOf } from '../http/auth.js';
import { perUser } from '../http/rate-limits.js';
import { problemSchema } from '../http/schemas.js';
import { fingerprint, idempotencyKeyOf } from '../idempotency/index.js';
import { paymentView, preferWait } from '../payments/schemas.js';
import { waitForFinal } from '../payments/service.js';
import { counterInquiry, counterPayment, listCounterPayments, returnCash } from './desk.js';
import { createKasir, listKasir, setKasirEnabled } from './kasir.js';
import {
  closeShiftBody,
  counterInquiryBody,
  counterPaymentBody,
  counterPaymentList,
  counterPaymentListQuery,
  counterQuoteView,
  createKasirBody,
  currentShiftView,
  kasirList,
  kasirParams,
  kasirView,
  openShiftBody,
  shiftDetail as shiftDetailSchema,
  shiftList,
  shiftListQuery,
  shiftParams,
  shiftView,
} from './schemas.js';
import { closeShift, currentShift, listShifts, openShift, shiftDetail } from './shifts.js';

/** `closing` aborts when the server shuts down: a Prefer: wait then answers with what it has. */
export function counterRoutes(deps: Deps, auth: AuthHooks, closing?: AbortSignal): FastifyPluginAsyncZod {
  const treasurer = auth.roles('treasurer');
  const kasir = auth.roles('kasir');
  const readers = auth.roles('treasurer', 'pengawas');
  const everyone = auth.roles('kasir', 'treasurer', 'pengawas');
  const security = [{ bearer: [] }];
  const tags = ['counter'];
  const keyOf = (request: Parameters<typeof idempotencyKeyOf>[0], route: string, body: unknown) => ({
    key: idempotencyKeyOf(request),
    fingerprint: fingerprint(deps.config.JWT_SECRET, route, body),
  });

  return async (app) => {
    app.post(
      '/v1/kasir',
      {
        onRequest: treasurer,
        schema: {
          tags,
          summary:
            'Create a kasir (treasurer, audited); the kasir signs in by username and must replace the password first',
          security,
          body: createKasirBody,
          response: { 201: kasirView, 409: problemSchema },
        },
      },
      async (request, reply) => reply.code(201).send(await createKasir(deps, userOf(request), request.body)),
    );

    app.get(
      '/v1/kasir',
      {
        onRequest: readers,
        schema: {
          tags,
          summary: "The koperasi's kasir, with the shift each has open (treasurer, pengawas)",
          security,
          response: { 200: kasirList },
        },
      },
      async (request) => listKasir(deps, userOf(request).koperasiId),
    );

    for (const [action, enabled] of [
      ['disable', false],
      ['enable', true],
    ] as const) {
      app.post(
        `/v1/kasir/:id/${action}`,
        {
          onRequest: treasurer,
          schema: {
            tags,
            summary: enabled
              ? 'Let a disabled kasir sign in again (treasurer, audited)'
              : 'Disable a kasir: no sign-in, no counter work; an open shift stays for the treasurer to close (treasurer, audited)',
            security,
            params: kasirParams,
            response: { 200: kasirView, 404: problemSchema },
          },
        },
        async (request) => setKasirEnabled(deps, userOf(request), request.params.id, enabled),
      );
    }

    app.post(
      '/v1/counter/shifts',
      {
        onRequest: kasir,
        schema: {
          tags,
          summary:
            "Open the kasir's shift with the drawer's opening float (from the koperasi's cash); requires Idempotency-Key",
          security,
          body: openShiftBody,
          response: { 201: shiftView, 200: shiftView, 403: problemSchema, 409: problemSchema },
        },
      },
      async (request, reply) => {
        const result = await openShift(
          deps,
          userOf(request),
          request.body.openingFloat,
          keyOf(request, 'counter-shift-open', request.body),
        );
        if (result.replayed) void reply.header('idempotent-replayed', 'true');
        return reply.code(result.statusCode === 200 ? 200 : 201).send(result.body);
      },
    );

    app.get(
      '/v1/counter/shifts/current',
      {
        onRequest: kasir,
        schema: {
          tags,
          summary:
            "The kasir's open shift with the cash expected in the drawer now, and the cash still owed to customers",
          security,
          response: { 200: currentShiftView },
        },
      },
      async (request) => currentShift(deps, userOf(request)),
    );

    app.post(
      '/v1/counter/shifts/:id/close',
      {
        onRequest: auth.roles('kasir', 'treasurer'),
        schema: {
          tags,
          summary:
            'Close a shift with the counted cash: expected vs counted, the difference to selisih kas (the kasir their own; the treasurer any); requires Idempotency-Key',
          security,
          params: shiftParams,
          body: closeShiftBody,
          response: { 200: shiftView, 404: problemSchema, 409: problemSchema },
        },
      },
      async (request, reply) => {
        const result = await closeShift(
          deps,
          userOf(request),
          request.params.id,
          request.body,
          keyOf(request, `counter-shift-close:${request.params.id}`, request.body),
        );
        if (result.replayed) void reply.header('idempotent-replayed', 'true');
        return reply.code(200).send(result.body);
      },
    );

    app.get(
      '/v1/counter/shifts',
      {
        onRequest: everyone,
        schema: {
          tags,
          summary:
            "Shifts with expected, counted and difference: a WIB day's and every open one (treasurer, pengawas), or the kasir's own",
          security,
          querystring: shiftListQuery,
          response: { 200: shiftList },
        },
      },
      async (request) => listShifts(deps, userOf(request), request.query.date),
    );

    app.get(
      '/v1/counter/shifts/:id',
      {
        onRequest: everyone,
        schema: {
          tags,
          summary: 'One shift and every movement of its drawer: float, cash payments, returns, the closing',
          security,
          params: shiftParams,
          response: { 200: shiftDetailSchema, 404: problemSchema },
        },
      },
      async (request) => shiftDetail(deps, userOf(request), request.params.id),
    );

    app.post(
      '/v1/counter/inquiries',
      {
        onRequest: kasir,
        config: { rateLimit: perUser(deps.config.INQUIRY_RATE_LIMIT_PER_MINUTE) },
        schema: {
          tags,
          summary:
            'Check a bill at the desk (free): for a member (memberNo: to pay from savings or in cash) or a cash customer',
          security,
          body: counterInquiryBody,
          response: { 201: counterQuoteView, 404: problemSchema, 422: problemSchema, 503: problemSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await counterInquiry(deps, userOf(request), request.body)),
    );

    app.post(
      '/v1/counter/payments',
      {
        onRequest: kasir,
        config: { rateLimit: perUser(deps.config.PAYMENT_RATE_LIMIT_PER_MINUTE) },
        schema: {
          tags,
          summary:
            "Pay a desk quote in cash (into the kasir's drawer; needs an open shift) or from the member's savings with their PIN; requires Idempotency-Key; Prefer: wait=N",
          security,
          body: counterPaymentBody,
          response: {
            200: paymentView,
            202: paymentView,
            403: problemSchema,
            404: problemSchema,
            409: problemSchema,
            422: problemSchema,
            423: problemSchema,
          },
        },
      },
      async (request, reply) => {
        const principal = userOf(request);
        const { paymentId, replayed } = await counterPayment(
          deps,
          principal,
          request.body,
          keyOf(request, 'counter-payment', request.body),
        );
        const wait = preferWait(request.headers.prefer);
        const view = await waitForFinal(deps, principal, paymentId, wait, closing);
        if (replayed) void reply.header('idempotent-replayed', 'true');
        if (wait > 0) void reply.header('preference-applied', `wait=${wait}`);
        void reply.header('location', `/v1/payments/${paymentId}`);
        return reply.code(view.status === 'processing' || view.status === 'suspect' ? 202 : 200).send(view);
      },
    );

    app.post(
      '/v1/counter/payments/:id/cash-returned',
      {
        onRequest: kasir,
        schema: {
          tags,
          summary:
            "Record that the cash of a failed or refunded cash payment was handed back to the customer (from the kasir's drawer, once, audited); requires Idempotency-Key",
          security,
          params: shiftParams,
          response: { 200: paymentView, 404: problemSchema, 409: problemSchema, 422: problemSchema },
        },
      },
      async (request, reply) => {
        const principal = userOf(request);
        const result = await returnCash(
          deps,
          principal,
          request.params.id,
          keyOf(request, `counter-cash-return:${request.params.id}`, {}),
        );
        if (result.replayed) void reply.header('idempotent-replayed', 'true');
        return reply.code(200).send(await waitForFinal(deps, principal, result.body.paymentId, 0));
      },
    );

    app.get(
      '/v1/counter/payments',
      {
        onRequest: everyone,
        schema: {
          tags,
          summary:
            "Counter payments: the kasir's shift's, or a WIB day's (treasurer, pengawas); which failed cash payments still owe the customer their cash",
          security,
          querystring: counterPaymentListQuery,
          response: { 200: counterPaymentList, 404: problemSchema },
        },
      },
      async (request) => listCounterPayments(deps, userOf(request), request.query),
    );
  };
}
