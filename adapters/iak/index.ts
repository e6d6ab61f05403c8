/**
 * IAK / mobilepulsa adapter (client side of docs/upstream-wire.md §"IAK dialect").
 *
 * Vendor docs: https://api.iak.id/api/postpaid/core/products/pln/inquiry (inq-pasca, returns tr_id),
 * https://api.iak.id/api/postpaid/core/products/telco/payment (pay-pasca by tr_id),
 * https://api.iak.id/api/postpaid/core/check-status (checkstatus, sign md5(username+api_key+"cs")),
 * https://api.iak.id/api/postpaid/flow, https://api.iak.id/api/postpaid/response-code,
 * https://api.iak.id/api/prepaid/core/v2/transaction/top-up (re-sending a ref_id never creates a new transaction),
 * https://api.iak.id/api/prepaid/callback. Mirror: api.irongatedigital.com.
 *
 * A target with `denomination` is a PLN token (prepaid host): inquiry-pln, top-up, check-status.
 * Everything else is postpaid: inq-pasca (→ tr_id = Bill.upstreamHandle), pay-pasca, checkstatus.
 */
import { pino } from 'pino';
import { z } from 'zod';
import {
  type Judged,
  createGuard,
  loggerOption,
  nameOption,
  suspectOnBug,
  unavailableOnBug,
} from '../shared/upstream-guard.js';
import type {
  BillerAdapter,
  BillTarget,
  InquiryOutcome,
  PayOutcome,
  StatusOutcome,
} from '../../src/billers/port.js';
import { parseIakCallback } from './callback.js';
import { inquiryVerdict } from './codes.js';
import { judgeTransaction } from './outcome.js';
import { asPayOutcome, compactDate, readInquiry } from './parse.js';
import { iakSign } from './signature.js';
import { createTransport, readAnswer, type Reading } from './transport.js';

const httpUrl = z.url({ protocol: /^https?$/ });

export const iakOptionsSchema = z.object({
  /** Postpaid host, e.g. https://mobilepulsa.net or the sandbox http://127.0.0.1:<port>/iak */
  baseUrl: httpUrl,
  /** Prepaid host (inquiry-pln, top-up, check-status), e.g. https://prepaid.iak.id; defaults to baseUrl. */
  prepaidBaseUrl: httpUrl.optional(),
  username: z.string().min(1),
  apiKey: z.string().min(1),
  timeoutMs: z.int().positive().default(30_000),
  name: nameOption('iak'),
  logger: loggerOption,
});
export type IakOptions = z.input<typeof iakOptionsSchema>;

export function createIakAdapter(options: IakOptions): BillerAdapter {
  const parsed = iakOptionsSchema.safeParse(options);
  if (!parsed.success) throw new Error(`invalid iak adapter options:\n${z.prettifyError(parsed.error)}`);
  const { username, apiKey, timeoutMs, name } = parsed.data;
  const baseUrl = parsed.data.baseUrl.replace(/\/+$/, '');
  const prepaidBaseUrl = (parsed.data.prepaidBaseUrl ?? baseUrl).replace(/\/+$/, '');
  const billUrl = `${baseUrl}/api/v1/bill/check`;
  const log = parsed.data.logger ?? pino({ level: 'silent' });
  const transport = createTransport(timeoutMs);

  const sign = (suffix: string): string => iakSign(username, apiKey, suffix);
  const post = async (url: string, body: Record<string, unknown>): Promise<Reading> =>
    readAnswer(await transport.postJson(url, body));

  async function inquire(target: BillTarget): Promise<Judged<InquiryOutcome>> {
    const { denomination } = target;
    const reading =
      denomination !== undefined
        ? await post(`${prepaidBaseUrl}/api/inquiry-pln`, {
            username,
            customer_id: target.customerNo,
            product_code: target.sku,
            sign: sign(target.customerNo),
          })
        : await post(billUrl, {
            commands: 'inq-pasca',
            username,
            code: target.sku,
            hp: target.customerNo,
            ref_id: target.refId,
            sign: sign(target.refId),
            ...(target.months !== undefined ? { month: target.months } : {}),
          });
    if (!reading.readable) {
      return { answered: false, outcome: { kind: 'unavailable', rc: reading.rc, message: reading.message } };
    }
    const view = readInquiry(reading.body, denomination);
    if (!view.ok) {
      return { answered: true, outcome: { kind: 'unavailable', rc: 'MALFORMED', message: view.problem } };
    }
    const { code: rc, message, refId, bill } = view.value;
    if (refId !== undefined && refId !== target.refId) {
      return {
        answered: true,
        outcome: { kind: 'unavailable', rc, message: 'answer is for another ref_id' },
      };
    }
    const isPln = denomination !== undefined || /pln/i.test(target.sku);
    const verdict = inquiryVerdict(rc, isPln);
    if (verdict.kind === 'rejected') {
      return { answered: true, outcome: { kind: 'rejected', reason: verdict.reason, rc, message } };
    }
    if (verdict.kind === 'unavailable') {
      return { answered: true, outcome: { kind: 'unavailable', rc, message } };
    }
    const parsedBill = bill();
    if (!parsedBill.ok) {
      return {
        answered: true,
        outcome: { kind: 'unavailable', rc: 'MALFORMED', message: parsedBill.problem },
      };
    }
    return { answered: true, outcome: { kind: 'bill', bill: parsedBill.bill } };
  }

  async function pay(target: BillTarget & { upstreamHandle?: string }): Promise<Judged<StatusOutcome>> {
    const prepaid = target.denomination !== undefined;
    const trId = target.upstreamHandle;
    if (!prepaid && !trId) {
      const message = 'no tr_id: pay-pasca needs the inquiry handle';
      return {
        answered: false,
        outcome: { kind: 'failed', rc: 'NO_TR_ID', message, transactionCreated: false },
      };
    }
    const reading = prepaid
      ? await post(`${prepaidBaseUrl}/api/top-up`, {
          username,
          ref_id: target.refId,
          customer_id: target.customerNo,
          product_code: target.sku,
          sign: sign(target.refId),
        })
      : await post(billUrl, { commands: 'pay-pasca', username, tr_id: trId, sign: sign(trId ?? '') });
    if (!reading.readable) {
      // Nothing sent, or HTTP 400 (documented as a bad request that created nothing): safe to fail over.
      const outcome: StatusOutcome =
        !reading.sent || reading.badRequest
          ? { kind: 'failed', rc: reading.rc, message: reading.message, transactionCreated: false }
          : { kind: 'suspect', rc: reading.rc, message: reading.message };
      return { answered: reading.badRequest, outcome };
    }
    return {
      answered: true,
      outcome: judgeTransaction(target, reading.body, prepaid ? 'prepaid-pay' : 'postpaid-pay'),
    };
  }

  async function status(target: BillTarget & { upstreamHandle?: string }): Promise<Judged<StatusOutcome>> {
    const prepaid = target.denomination !== undefined;
    const reading = prepaid
      ? await post(`${prepaidBaseUrl}/api/check-status`, {
          username,
          ref_id: target.refId,
          sign: sign(target.refId),
        })
      : await post(billUrl, { commands: 'checkstatus', username, ref_id: target.refId, sign: sign('cs') });
    if (!reading.readable) {
      // A status request that was refused, rejected (400) or lost proves nothing about the payment.
      return {
        answered: reading.badRequest,
        outcome: { kind: 'suspect', rc: reading.rc, message: reading.message },
      };
    }
    return {
      answered: true,
      outcome: judgeTransaction(target, reading.body, prepaid ? 'prepaid-status' : 'postpaid-status'),
    };
  }

  const run = createGuard(name, log);

  return {
    name,

    inquiry(target) {
      return run('inquiry', target, () => inquire(target), unavailableOnBug);
    },

    async pay(target): Promise<PayOutcome> {
      return asPayOutcome(await run('pay', target, () => pay(target), suspectOnBug));
    },

    status(target) {
      return run('status', target, () => status(target), suspectOnBug);
    },

    parseCallback(request) {
      let result;
      try {
        result = parseIakCallback(request, username, apiKey);
      } catch {
        result = { kind: 'rejected', reason: 'malformed' } as const;
      }
      if (result.kind === 'event') {
        const { refId, outcome } = result;
        log.info({ adapter: name, refId, rc: outcome.rc, outcome: outcome.kind }, 'callback accepted');
      } else {
        log.warn({ adapter: name, reason: result.reason }, 'callback rejected');
      }
      return result;
    },

    async fetchSettlement(date) {
      const compact = compactDate(date);
      const query = new URLSearchParams({ username, sign: sign(`settlement${compact}`) });
      const url = `${baseUrl}/api/v1/settlement/${compact}?${query.toString()}`;
      return transport.getStream(url, `${name} settlement for ${date}`);
    },
  };
}
