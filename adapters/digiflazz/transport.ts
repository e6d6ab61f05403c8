/**
 * Reading answers of the Digiflazz buyer API (the transport itself is adapters/shared/transport.ts).
 *
 * Vendor docs: https://developer.digiflazz.com/api/buyer/topup/ (single POST endpoint, JSON bodies).
 *
 * The transport never throws for upstream behaviour on money calls: it reports what it knows about
 * whether the request may have reached the upstream, and hands the raw body back as text so that a
 * truncated or non-JSON answer is detected by our own JSON.parse.
 */
import type { Exchange } from '../shared/transport.js';

export { createTransport, maskCustomerNo, type Exchange, type Transport } from '../shared/transport.js';

/** An exchange as the adapters read it: a body to parse, or why there is none (and whether we sent anything). */
export type Reading =
  { readable: true; body: string } | { readable: false; rc: string; message: string; sent: boolean };

/**
 * 4xx bodies are read (Digiflazz puts its rc in them); 5xx, 1xx and 3xx (redirects are never followed) are not.
 */
export function readAnswer(exchange: Exchange): Reading {
  switch (exchange.kind) {
    case 'not-sent':
      return {
        readable: false,
        sent: false,
        rc: exchange.code,
        message: `connection failed before sending (${exchange.code})`,
      };
    case 'lost':
      return exchange.code === 'TIMEOUT'
        ? { readable: false, sent: true, rc: 'TIMEOUT', message: 'no answer before the timeout' }
        : {
            readable: false,
            sent: true,
            rc: exchange.code,
            message: `connection lost after sending (${exchange.code})`,
          };
    case 'answered': {
      const status = exchange.httpStatus;
      if ((status >= 200 && status < 300) || (status >= 400 && status < 500)) {
        return { readable: true, body: exchange.body };
      }
      return {
        readable: false,
        sent: true,
        rc: `HTTP_${status}`,
        message: `upstream answered HTTP ${status}`,
      };
    }
  }
}
