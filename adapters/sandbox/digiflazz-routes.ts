/**
 * The Digiflazz buyer API, sandbox side: `POST /digiflazz/v1/transaction` (the `commands` field selects
 * inq-pasca, pay-pasca, status-pasca, pln-subscribe; none = prepaid top-up) and the settlement file.
 * Contract: docs/upstream-wire.md §"Digiflazz dialect". Every answer is HTTP 200 with an rc, except the
 * scenario-driven 5xx and a body that is not JSON (HTTP 400, rc 40).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { isMeterOrIdpel, productFor, resolveTarget } from './catalog.js';
import { CODES, type Reason } from './codes.js';
import type { SandboxContext } from './context.js';
import { meterCheckData, refusalData, transactionData } from './digiflazz-render.js';
import { applyLatency, drawFault, loseAnswer, sendData, sendGatewayError, type Fault } from './faults.js';
import type { Lifecycle, PayResult, Target } from './lifecycle.js';
import { sameTarget } from './lifecycle.js';
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

const requestBody = z.object({
  commands: z.string().optional(),
  username: z.string().min(1),
  buyer_sku_code: z.string().min(1).optional(),
  customer_no: text.optional(),
  ref_id: z.string().min(1).max(64).optional(),
  sign: z.string().min(1),
  /** (ext) BPJS months. */
  month: month.optional(),
  /** Prepaid: the most the buyer will pay (developer.digiflazz.com/api/buyer/topup `max_price`). */
  max_price: z
    .union([
      z.int(),
      z
        .string()
        .regex(/^\d{1,15}$/)
        .transform(Number),
    ])
    .pipe(z.int().min(0))
    .optional(),
});
type RequestBody = z.output<typeof requestBody>;
type Complete = RequestBody & { buyer_sku_code: string; customer_no: string; ref_id: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function registerDigiflazzRoutes(
  app: FastifyInstance,
  ctx: SandboxContext,
  lifecycle: Lifecycle,
): void {
  const store = ctx.stores.digiflazz;
  const codes = CODES.digiflazz;
  const { username, apiKey } = ctx.credentials.digiflazz;

  const refuse = (
    reply: FastifyReply,
    reason: Reason,
    request: unknown,
    fault: Fault = 'none',
    status = 200,
  ) =>
    sendData(
      reply,
      refusalData(codes.of(reason), isRecord(request) ? request : {}, store.balance()),
      fault,
      status,
    );

  function answerPay(reply: FastifyReply, result: PayResult, request: Complete, fault: Fault): FastifyReply {
    if (result.kind === 'lost') return sendGatewayError(reply, 504);
    if (result.kind === 'refused') return refuse(reply, result.reason, request, fault);
    if (result.misc) return loseAnswer(ctx, reply);
    return sendData(reply, transactionData(result.txn, store.balance()), fault);
  }

  async function postpaid(reply: FastifyReply, body: Complete, command: string): Promise<FastifyReply> {
    const resolved = resolveTarget('digiflazz', body.buyer_sku_code, body.customer_no, 'postpaid');
    if (command === 'pay-pasca') store.countPayRequest(body.ref_id);
    if (command === 'status-pasca') store.counters.statusRequests += 1;
    if (!resolved.ok) return refuse(reply, resolved.problem, body);
    const target: Target = {
      refId: body.ref_id,
      sku: body.buyer_sku_code,
      product: resolved.product,
      customerNo: body.customer_no,
      months: resolved.product.kind === 'bpjs' ? body.month : undefined,
    };
    if (command === 'inq-pasca') {
      const result = await lifecycle.inquire(target);
      if (result.kind === 'refused') return refuse(reply, result.reason, body);
      return sendData(reply, transactionData(result.txn, store.balance()));
    }
    const txn = store.byRef.get(body.ref_id);
    // pay-pasca and status-pasca name the product and customer again; a mismatch is another transaction's ref.
    if (txn !== undefined && (txn.sku !== target.sku || txn.customerNo !== target.customerNo)) {
      return refuse(reply, 'duplicate-ref', body);
    }
    if (command === 'status-pasca') {
      // An inquiry alone is no transaction: "not found" until a pay was recorded.
      if (txn === undefined || txn.state === 'inquired') return refuse(reply, 'not-found', body);
      return sendData(reply, transactionData(txn, store.balance()));
    }
    if (txn === undefined) return refuse(reply, 'not-found', body);
    const fault = drawFault(ctx);
    if (fault === 'http500') return sendGatewayError(reply, 500);
    return answerPay(reply, lifecycle.pay(txn), body, fault);
  }

  async function topUp(reply: FastifyReply, body: Complete): Promise<FastifyReply> {
    store.countPayRequest(body.ref_id);
    const resolved = resolveTarget('digiflazz', body.buyer_sku_code, body.customer_no, 'prepaid');
    if (!resolved.ok) return refuse(reply, resolved.problem, body);
    const target: Target = {
      refId: body.ref_id,
      sku: body.buyer_sku_code,
      product: resolved.product,
      customerNo: body.customer_no,
      months: undefined,
    };
    const existing = store.byRef.get(body.ref_id);
    // Re-sending a ref is the status check: no fault draw, it must not look like a new payment.
    if (existing !== undefined && sameTarget(existing, target)) {
      return sendData(reply, transactionData(existing, store.balance()));
    }
    const fault = existing === undefined ? drawFault(ctx) : 'none';
    if (fault === 'http500') return sendGatewayError(reply, 500);
    const limits = body.max_price === undefined ? {} : { maxPrice: BigInt(body.max_price) };
    return answerPay(reply, await lifecycle.topUp(target, limits), body, fault);
  }

  async function meterCheck(reply: FastifyReply, body: RequestBody): Promise<FastifyReply> {
    const customerNo = body.customer_no ?? '';
    if (!signMatches(requestSign(username, apiKey, customerNo), body.sign))
      return refuse(reply, 'bad-sign', body);
    const sku = body.buyer_sku_code;
    const product = sku === undefined ? undefined : productFor('digiflazz', sku, 'prepaid');
    if (sku !== undefined && product === undefined) return refuse(reply, 'unknown-sku', body);
    if (!isMeterOrIdpel(customerNo)) return refuse(reply, 'wrong-length', body);
    const result = await lifecycle.checkMeter(customerNo, product);
    if (result.kind === 'refused') return refuse(reply, result.reason, body);
    return sendData(reply, meterCheckData(customerNo, result.quote, sku));
  }

  void app.register(
    async (scope) => {
      scope.setErrorHandler((error: { statusCode?: number }, request, reply) => {
        if (error.statusCode !== undefined && error.statusCode < 500) {
          return refuse(reply, 'payload', request.body, 'none', 400);
        }
        ctx.log.error({ err: error }, 'sandbox digiflazz route failed');
        return sendData(reply, { rc: '99', status: 'Pending', message: 'internal error' }, 'none', 500);
      });

      scope.post('/v1/transaction', async (request, reply) => {
        await applyLatency(ctx);
        const parsed = requestBody.safeParse(request.body);
        if (!parsed.success) return refuse(reply, 'payload', request.body);
        const body = parsed.data;
        if (body.username !== username) return refuse(reply, 'bad-username', body);
        const command = body.commands ?? 'topup';
        if (command === 'pln-subscribe') return meterCheck(reply, body);
        const { buyer_sku_code: sku, customer_no: customerNo, ref_id: refId } = body;
        if (sku === undefined || customerNo === undefined || refId === undefined) {
          return refuse(reply, 'payload', body);
        }
        if (!signMatches(requestSign(username, apiKey, refId), body.sign))
          return refuse(reply, 'bad-sign', body);
        const complete: Complete = { ...body, buyer_sku_code: sku, customer_no: customerNo, ref_id: refId };
        if (command === 'topup') return topUp(reply, complete);
        if (command === 'inq-pasca' || command === 'pay-pasca' || command === 'status-pasca') {
          return postpaid(reply, complete, command);
        }
        return refuse(reply, 'payload', body);
      });

      registerSettlementRoute(scope, ctx, 'digiflazz', '/v1/settlement/:date');
    },
    { prefix: '/digiflazz' },
  );
}
