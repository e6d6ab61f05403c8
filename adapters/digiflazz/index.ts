/**
 * Digiflazz buyer API adapter (client side of docs/upstream-wire.md §"Digiflazz dialect").
 *
 * Vendor docs: https://developer.digiflazz.com/api/buyer/cek-tagihan/ (inq-pasca),
 * https://developer.digiflazz.com/api/buyer/bayar-tagihan/ (pay-pasca, same ref_id, same day),
 * https://developer.digiflazz.com/api/buyer/topup/ (prepaid; re-sending the ref_id is the status check),
 * https://developer.my.digiflazz.com/api/buyer/check-status, https://developer.digiflazz.com/api/buyer/response-code,
 * https://developer.digiflazz.com/api/buyer/webhook/.
 *
 * A target with `denomination` is a PLN token (prepaid): inquiry = pln-subscribe, pay and status = top-up.
 * Everything else is postpaid: inq-pasca / pay-pasca / status-pasca.
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
  Rupiah,
  StatusOutcome,
} from '../../src/billers/port.js';
import { parseDigiflazzCallback } from './callback.js';
import { inquiryVerdict, payVerdict, type Operation } from './codes.js';
import { asPayOutcome, compactDate, readInquiry, transactionOutcome } from './parse.js';
import { meterCheckSign, settlementSign, transactionSign } from './signature.js';
import { createTransport, readAnswer } from './transport.js';
import { decode, transactionAnswer } from './wire.js';

export const digiflazzOptionsSchema = z.object({
  /** e.g. https://api.digiflazz.com or the sandbox http://127.0.0.1:<port>/digiflazz */
  baseUrl: z.url({ protocol: /^https?$/ }),
  username: z.string().min(1),
  apiKey: z.string().min(1),
  /** Webhook HMAC secret; without it every callback is rejected. */
  webhookSecret: z.string().min(1).optional(),
  timeoutMs: z.int().positive().default(30_000),
  name: nameOption('digiflazz'),
  logger: loggerOption,
});
export type DigiflazzOptions = z.input<typeof digiflazzOptionsSchema>;

export function createDigiflazzAdapter(options: DigiflazzOptions): BillerAdapter {
  const parsed = digiflazzOptionsSchema.safeParse(options);
  if (!parsed.success)
    throw new Error(`invalid digiflazz adapter options:\n${z.prettifyError(parsed.error)}`);
  const { username, apiKey, webhookSecret, timeoutMs, name } = parsed.data;
  const baseUrl = parsed.data.baseUrl.replace(/\/+$/, '');
  const transactionUrl = `${baseUrl}/v1/transaction`;
  const log = parsed.data.logger ?? pino({ level: 'silent' });
  const transport = createTransport(timeoutMs);

  /** inq-pasca / pay-pasca / status-pasca, or (no `commands`) the prepaid top-up that doubles as its status. */
  function transactionBody(commands: string | undefined, target: BillTarget): Record<string, unknown> {
    return {
      ...(commands !== undefined ? { commands } : {}),
      username,
      buyer_sku_code: target.sku,
      customer_no: target.customerNo,
      ref_id: target.refId,
      sign: transactionSign(username, apiKey, target.refId),
    };
  }

  async function inquire(target: BillTarget): Promise<Judged<InquiryOutcome>> {
    const { denomination } = target;
    const body =
      denomination !== undefined
        ? {
            commands: 'pln-subscribe',
            username,
            buyer_sku_code: target.sku,
            customer_no: target.customerNo,
            sign: meterCheckSign(username, apiKey, target.customerNo),
          }
        : {
            ...transactionBody('inq-pasca', target),
            ...(target.months !== undefined ? { month: target.months } : {}),
          };
    const reading = readAnswer(await transport.postJson(transactionUrl, body));
    if (!reading.readable) {
      return { answered: false, outcome: { kind: 'unavailable', rc: reading.rc, message: reading.message } };
    }

    const view = readInquiry(reading.body, denomination);
    if (!view.ok) {
      return { answered: true, outcome: { kind: 'unavailable', rc: 'MALFORMED', message: view.problem } };
    }
    const { rc, status, message, refId, bill } = view.value;
    const unavailable = (why: string): Judged<InquiryOutcome> => ({
      answered: true,
      outcome: { kind: 'unavailable', rc, message: why },
    });
    if (refId !== undefined && refId !== target.refId) return unavailable('answer is for another ref_id');

    const verdict = inquiryVerdict(rc, status);
    if (verdict.kind === 'rejected') {
      return { answered: true, outcome: { kind: 'rejected', reason: verdict.reason, rc, message } };
    }
    if (verdict.kind === 'unavailable') return unavailable(message);
    const parsedBill = bill();
    if (!parsedBill.ok) {
      return {
        answered: true,
        outcome: { kind: 'unavailable', rc: 'MALFORMED', message: parsedBill.problem },
      };
    }
    return { answered: true, outcome: { kind: 'bill', bill: parsedBill.bill } };
  }

  /**
   * pay and status share the mapping; they differ on rc 50, request-level rejects and "not sent". A
   * prepaid top-up carries `max_price` (the price we quoted): Digiflazz refuses it rather than charge
   * more. The status check of a top-up re-sends it with the same cap.
   */
  async function settle(
    op: Operation,
    target: BillTarget & { maxPrice?: Rupiah },
  ): Promise<Judged<StatusOutcome>> {
    const prepaid = target.denomination !== undefined;
    const commands = prepaid ? undefined : op === 'pay' ? 'pay-pasca' : 'status-pasca';
    const body = {
      ...transactionBody(commands, target),
      ...(prepaid && target.maxPrice !== undefined ? { max_price: Number(target.maxPrice) } : {}),
    };
    const reading = readAnswer(await transport.postJson(transactionUrl, body));
    if (!reading.readable) {
      // Nothing left this process: for pay that proves no transaction; for status it proves nothing.
      const outcome: StatusOutcome =
        !reading.sent && op === 'pay'
          ? { kind: 'failed', rc: reading.rc, message: reading.message, transactionCreated: false }
          : { kind: 'suspect', rc: reading.rc, message: reading.message };
      return { answered: false, outcome };
    }
    const decoded = decode(transactionAnswer, reading.body);
    if (!decoded.ok) {
      return { answered: true, outcome: { kind: 'suspect', rc: 'MALFORMED', message: decoded.problem } };
    }
    const data = decoded.value.data;
    if (data.ref_id != null && data.ref_id !== target.refId) {
      return {
        answered: true,
        outcome: { kind: 'suspect', rc: data.rc, message: 'answer is for another ref_id' },
      };
    }
    const verdict = payVerdict(data.rc, data.status ?? undefined, op);
    return { answered: true, outcome: transactionOutcome(data, verdict, prepaid) };
  }

  const run = createGuard(name, log);

  return {
    name,

    inquiry(target) {
      return run('inquiry', target, () => inquire(target), unavailableOnBug);
    },

    pay(target) {
      const call = async () => {
        const { answered, outcome } = await settle('pay', target);
        return { answered, outcome: asPayOutcome(outcome) };
      };
      return run<PayOutcome>('pay', target, call, suspectOnBug);
    },

    status(target) {
      return run('status', target, () => settle('status', target), suspectOnBug);
    },

    parseCallback(request) {
      let result;
      try {
        result = parseDigiflazzCallback(request, webhookSecret);
      } catch {
        result = { kind: 'rejected', reason: 'malformed' } as const;
      }
      if (result.kind === 'event') {
        log.info(
          { adapter: name, refId: result.refId, rc: result.outcome.rc, outcome: result.outcome.kind },
          'callback accepted',
        );
      } else {
        log.warn({ adapter: name, reason: result.reason }, 'callback rejected');
      }
      return result;
    },

    async fetchSettlement(date) {
      const compact = compactDate(date);
      const query = new URLSearchParams({ username, sign: settlementSign(username, apiKey, compact) });
      const url = `${baseUrl}/v1/settlement/${compact}?${query.toString()}`;
      return transport.getStream(url, `${name} settlement for ${date}`);
    },
  };
}
