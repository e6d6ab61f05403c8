/**
 * Reading answers of the IAK (mobilepulsa) API (the transport itself is adapters/shared/transport.ts).
 *
 * Vendor docs: https://api.iak.id/api/postpaid/response-code (HTTP 200 = read the rc, 400 = failed bad
 * request, any other status = pending), https://api.iak.id/api/prepaid/core/v2/transaction/top-up.
 *
 * The transport never throws for upstream behaviour on money calls: it reports what it knows about
 * whether the request may have reached the upstream, and hands the raw body back as text so that a
 * truncated or non-JSON answer is detected by our own JSON.parse.
 */
import type { Exchange } from '../shared/transport.js';

export { createTransport, maskCustomerNo, type Exchange, type Transport } from '../shared/transport.js';

/** An exchange as the adapter reads it: a body to parse, or why there is none. */
export type Reading =
  | { readable: true; body: string }
  | {
      readable: false;
      rc: string;
      message: string;
      /** False when the connection was never established. */
      sent: boolean;
      /** HTTP 400: IAK documents it as a failed bad request, so no transaction was created. */
      badRequest: boolean;
    };

/** IAK: HTTP 200 → read the rc; 400 → failed bad request; any other status → pending (suspect). */
export function readAnswer(exchange: Exchange): Reading {
  switch (exchange.kind) {
    case 'not-sent': {
      const message = `connection failed before sending (${exchange.code})`;
      return { readable: false, sent: false, badRequest: false, rc: exchange.code, message };
    }
    case 'lost':
      return exchange.code === 'TIMEOUT'
        ? {
            readable: false,
            sent: true,
            badRequest: false,
            rc: 'TIMEOUT',
            message: 'no answer before the timeout',
          }
        : {
            readable: false,
            sent: true,
            badRequest: false,
            rc: exchange.code,
            message: `connection lost after sending (${exchange.code})`,
          };
    case 'answered': {
      const status = exchange.httpStatus;
      if (status === 200) return { readable: true, body: exchange.body };
      const message = `upstream answered HTTP ${status}`;
      return { readable: false, sent: true, badRequest: status === 400, rc: `HTTP_${status}`, message };
    }
  }
}
