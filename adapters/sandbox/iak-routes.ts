/**
 * The IAK / mobilepulsa API, sandbox side, under `/iak`: postpaid `POST /api/v1/bill/check` (commands inq-pasca,
 * pay-pasca by tr_id, checkstatus), prepaid `POST /api/inquiry-pln`, `/api/top-up`, `/api/check-status`, and the
 * settlement file. Contract: docs/upstream-wire.md §"IAK dialect". A bad payload, username or sign is HTTP 400
 * (IAK: "400 is a failed bad request"); everything else is HTTP 200 with a code, except the scenario 5xx.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { isMeterOrIdpel, productFor, resolveTarget } from './catalog.js';
import { CODES, type Reason } from './codes.js';
import type { SandboxContext } from './context.js';
import { applyLatency, drawFault, loseAnswer, sendData, sendGatewayError, type Fault } from './faults.js';
import {
  checkStatusData,
  inquiryData,
  payData,
  plnInquiryData,
  postpaidRefusal,
  prepaidData,
  prepaidRefusal,
} from './iak-render.js';
import { sameTarget, type Lifecycle, type PayResult, type Target } from './lifecycle.js';
import { registerSettlementRoute } from './settlement-route.js';
import { requestSign, signMatches } from './sign.js';

const text = z.union([z.string(), z.int()]).transform(String);
const month = z
  .union([
    z.int(),
    z
      .string()
      .regex(/^\d{1,2}$/)
      .transform(Number),
  ])
  .pipe(z.int().min(1).max(12));
const base = { username: z.string().min(1), sign: z.string().min(1) };

const billCheck = z.discriminatedUnion('commands', [
  z.object({
    ...base,
    commands: z.literal('inq-pasca'),
    code: z.string().min(1),
    hp: text,
    ref_id: z.string().min(1).max(64),
    month: month.optional(),
  }),
  z.object({ ...base, commands: z.literal('pay-pasca'), tr_id: text }),
  z.object({ ...base, commands: z.literal('checkstatus'), ref_id: z.string().min(1).max(64) }),
]);
const inquiryPln = z.object({ ...base, customer_id: text, product_code: z.string().min(1).optional() });
const topUpBody = z.object({
  ...base,
  ref_id: z.string().min(1).max(64),
  customer_id: text,
  product_code: z.string().min(1),
});
const checkStatusBody = z.object({ ...base, ref_id: z.string().min(1).max(64) });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function registerIakRoutes(app: FastifyInstance, ctx: SandboxContext, lifecycle: Lifecycle): void {
  const store = ctx.stores.iak;
  const codes = CODES.iak;
  const { username, apiKey } = ctx.credentials.iak;
  const signed = (suffix: string, sign: string) => signMatches(requestSign(username, apiKey, suffix), sign);

  const badRequest = (reply: FastifyReply, reason: Reason) =>
    sendData(reply, { message: codes.of(reason).message }, 'none', 400);
  const refusePostpaid = (reply: FastifyReply, reason: Reason, request: unknown, fault: Fault = 'none') =>
    sendData(reply, postpaidRefusal(codes.of(reason), isRecord(request) ? request : {}), fault);
  const refusePrepaid = (reply: FastifyReply, reason: Reason, request: unknown, fault: Fault = 'none') =>
    sendData(
      reply,
      prepaidRefusal(codes.of(reason), isRecord(request) ? request : {}, store.balance()),
      fault,
    );

  /** Parses and authenticates; undefined when the answer (HTTP 400) has been sent. */
  function accept<T extends { username: string; sign: string }>(
    reply: FastifyReply,
    schema: z.ZodType<T>,
    raw: unknown,
    suffix: (body: T) => string,
  ): T | undefined {
    const parsed = schema.safeParse(raw);
    let problem: Reason = 'payload';
    if (parsed.success) {
      if (parsed.data.username !== username) problem = 'bad-username';
      else if (!signed(suffix(parsed.data), parsed.data.sign)) problem = 'bad-sign';
      else return parsed.data;
    }
    badRequest(reply, problem);
    return undefined;
  }

  function answerPay(
    reply: FastifyReply,
    result: PayResult,
    render: (result: Extract<PayResult, { kind: 'txn' }>) => unknown,
    refuse: (reason: Reason) => FastifyReply,
  ): FastifyReply {
    if (result.kind === 'lost') return sendGatewayError(reply, 504);
    if (result.kind === 'refused') return refuse(result.reason);
    if (result.misc) return loseAnswer(ctx, reply);
    return sendData(reply, render(result));
  }

  async function billCheckRoute(raw: unknown, reply: FastifyReply): Promise<FastifyReply> {
    const suffixOf = (b: z.output<typeof billCheck>) =>
      b.commands === 'pay-pasca' ? b.tr_id : b.commands === 'checkstatus' ? 'cs' : b.ref_id;
    const body = accept(reply, billCheck, raw, suffixOf);
    if (body === undefined) return reply;
    switch (body.commands) {
      case 'inq-pasca': {
        const resolved = resolveTarget('iak', body.code, body.hp, 'postpaid');
        if (!resolved.ok) return refusePostpaid(reply, resolved.problem, body);
        const target: Target = {
          refId: body.ref_id,
          sku: body.code,
          product: resolved.product,
          customerNo: body.hp,
          months: resolved.product.kind === 'bpjs' ? body.month : undefined,
        };
        const result = await lifecycle.inquire(target);
        if (result.kind === 'refused') return refusePostpaid(reply, result.reason, body);
        return sendData(reply, inquiryData(result.txn));
      }
      case 'pay-pasca': {
        const txn = store.byHandle.get(body.tr_id);
        store.countPayRequest(txn?.refId);
        if (txn === undefined || txn.product.kind === 'pln-prepaid') {
          return refusePostpaid(reply, 'unknown-handle', body);
        }
        const fault = drawFault(ctx);
        if (fault === 'http500') return sendGatewayError(reply, 500);
        const refuse = (reason: Reason) =>
          refusePostpaid(reply, reason, { ...body, ref_id: txn.refId }, fault);
        const render = () => payData(txn, store.balance());
        return answerPay(reply, lifecycle.pay(txn), render, refuse);
      }
      case 'checkstatus': {
        store.counters.statusRequests += 1;
        const txn = store.byRef.get(body.ref_id);
        if (txn === undefined) {
          const { rc, message } = codes.of('not-found');
          return sendData(reply, { ref_id: body.ref_id, status: 0, response_code: rc, message });
        }
        return sendData(reply, checkStatusData(txn));
      }
    }
  }

  async function topUpRoute(raw: unknown, reply: FastifyReply): Promise<FastifyReply> {
    const body = accept(reply, topUpBody, raw, (b) => b.ref_id);
    if (body === undefined) return reply;
    store.countPayRequest(body.ref_id);
    const resolved = resolveTarget('iak', body.product_code, body.customer_id, 'prepaid');
    if (!resolved.ok) return refusePrepaid(reply, resolved.problem, body);
    const target: Target = {
      refId: body.ref_id,
      sku: body.product_code,
      product: resolved.product,
      customerNo: body.customer_id,
      months: undefined,
    };
    const existing = store.byRef.get(body.ref_id);
    // "Re-sending the same ref_id does not create a new transaction; it acts as a status check."
    if (existing !== undefined && sameTarget(existing, target)) {
      return sendData(reply, prepaidData(existing, store.balance()));
    }
    const fault = existing === undefined ? drawFault(ctx) : 'none';
    if (fault === 'http500') return sendGatewayError(reply, 500);
    const result = await lifecycle.topUp(target);
    const render = (r: Extract<PayResult, { kind: 'txn' }>) => prepaidData(r.txn, store.balance());
    return answerPay(reply, result, render, (reason) => refusePrepaid(reply, reason, body, fault));
  }

  async function inquiryPlnRoute(raw: unknown, reply: FastifyReply): Promise<FastifyReply> {
    const body = accept(reply, inquiryPln, raw, (b) => b.customer_id);
    if (body === undefined) return reply;
    const code = body.product_code;
    const product = code === undefined ? undefined : productFor('iak', code, 'prepaid');
    const refuse = (reason: Reason) => {
      const { rc, message } = codes.of(reason);
      return sendData(reply, { customer_id: body.customer_id, status: 2, rc, message });
    };
    if (code !== undefined && product === undefined) return refuse('unknown-sku');
    if (!isMeterOrIdpel(body.customer_id)) return refuse('wrong-length');
    const result = await lifecycle.checkMeter(body.customer_id, product);
    if (result.kind === 'refused') return refuse(result.reason);
    return sendData(reply, plnInquiryData(body.customer_id, result.quote, code));
  }

  function checkStatusRoute(raw: unknown, reply: FastifyReply): FastifyReply {
    const body = accept(reply, checkStatusBody, raw, (b) => b.ref_id);
    if (body === undefined) return reply;
    store.counters.statusRequests += 1;
    const txn = store.byRef.get(body.ref_id);
    // Prepaid status has no "not received" digit (0 means "in process"), so an unknown ref carries no status.
    if (txn === undefined)
      return sendData(reply, { ref_id: body.ref_id, rc: '06', message: 'TRANSACTION NOT FOUND' });
    return sendData(reply, prepaidData(txn, store.balance()));
  }

  void app.register(
    async (scope) => {
      scope.setErrorHandler((error: { statusCode?: number }, _request, reply) => {
        if (error.statusCode !== undefined && error.statusCode < 500) return badRequest(reply, 'payload');
        ctx.log.error({ err: error }, 'sandbox iak route failed');
        return sendData(reply, { message: 'internal error' }, 'none', 500);
      });
      const route = (
        path: string,
        handler: (raw: unknown, reply: FastifyReply) => Promise<FastifyReply> | FastifyReply,
      ) =>
        scope.post(path, async (request, reply) => {
          await applyLatency(ctx);
          return handler(request.body, reply);
        });
      route('/api/v1/bill/check', billCheckRoute);
      route('/api/inquiry-pln', inquiryPlnRoute);
      route('/api/top-up', topUpRoute);
      route('/api/check-status', checkStatusRoute);
      registerSettlementRoute(scope, ctx, 'iak', '/api/v1/settlement/:date');
    },
    { prefix: '/iak' },
  );
}
