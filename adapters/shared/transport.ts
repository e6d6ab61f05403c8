/**
 * HTTP transport shared by the aggregator adapters: Node's own HTTP client on keep-alive sockets, one agent
 * per adapter (axios cost the worker about 7 % of its CPU on the payment path and added nothing we use).
 *
 * The transport never throws for upstream behaviour on money calls: it reports what it knows about
 * whether the request may have reached the upstream, and hands the raw body back as text so that a
 * truncated or non-JSON answer is detected by the adapter's own JSON.parse.
 * How an answer is read (which HTTP statuses carry an rc) is each dialect's own (readAnswer).
 * No redirect is followed (it could re-send a payment: a 3xx is an answer, read as suspect) and no proxy
 * from the environment is used (it would turn "connection refused" into an answer from the proxy).
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';

/** What one request/response exchange proved about the request reaching the upstream. */
export type Exchange =
  | { kind: 'answered'; httpStatus: number; body: string }
  /** The connection was never established: nothing was sent, so nothing can have happened upstream. */
  | { kind: 'not-sent'; code: string }
  /** The request may have been sent (timeout, reset, hang up): the upstream may have acted. */
  | { kind: 'lost'; code: string };

export interface Transport {
  postJson(url: string, body: Record<string, unknown>): Promise<Exchange>;
  /** Streams a GET response. Throws on network errors and non-200 answers (not a money call). */
  getStream(url: string, what: string): Promise<Readable>;
}

/** Errors raised before a TCP connection exists: the request bytes never left this process. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);
/** Answers are a few kB; anything larger is not an aggregator's answer. */
const MAX_ANSWER_BYTES = 1_000_000;
/**
 * Idle keep-alive sockets are closed after 4 s, below Node's default server keepAliveTimeout (5 s), so we
 * rarely write a request onto a socket the server is closing (that would surface as ECONNRESET = suspect).
 */
const FREE_SOCKET_TIMEOUT_MS = 4_000;

class AnswerTooLarge extends Error {
  readonly code = 'ANSWER_TOO_LARGE';
}

export function createTransport(timeoutMs: number): Transport {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, timeout: FREE_SOCKET_TIMEOUT_MS }),
    'https:': new https.Agent({ keepAlive: true, timeout: FREE_SOCKET_TIMEOUT_MS }),
  };

  /** One request; resolves with the response once its headers are in, rejects on any error before that. */
  function send(
    url: string,
    options: { method: 'GET' | 'POST'; body?: string; signal: AbortSignal },
  ): Promise<IncomingMessage> {
    const target = new URL(url);
    const agent = target.protocol === 'https:' ? agents['https:'] : agents['http:'];
    const client = target.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = client.request(
        target,
        {
          method: options.method,
          agent,
          signal: options.signal,
          headers: {
            Accept: 'application/json',
            ...(options.body === undefined
              ? {}
              : {
                  'Content-Type': 'application/json',
                  'Content-Length': Buffer.byteLength(options.body),
                }),
          },
        },
        resolve,
      );
      request.on('error', reject);
      request.end(options.body);
    });
  }

  return {
    async postJson(url, body) {
      // One deadline for everything: connecting, the headers, and a body dripped slowly.
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), timeoutMs);
      try {
        const response = await send(url, {
          method: 'POST',
          body: JSON.stringify(body),
          signal: deadline.signal,
        });
        const text = await readText(response);
        return { kind: 'answered', httpStatus: response.statusCode ?? 0, body: text };
      } catch (error) {
        return classifyError(error, deadline.signal.aborted);
      } finally {
        clearTimeout(timer);
      }
    },

    async getStream(url, what) {
      const headersDeadline = new AbortController();
      const timer = setTimeout(() => headersDeadline.abort(), timeoutMs);
      let response: IncomingMessage;
      try {
        response = await send(url, { method: 'GET', signal: headersDeadline.signal });
      } catch (error) {
        const { code } = classifyError(error, headersDeadline.signal.aborted);
        // The error is deliberately not attached as `cause`: it may carry the signed URL.
        // eslint-disable-next-line preserve-caught-error
        throw new Error(`${what} could not be fetched: ${code}`);
      } finally {
        clearTimeout(timer);
      }
      if (response.statusCode !== 200) {
        response.destroy();
        throw new Error(`${what} is not available: upstream answered HTTP ${response.statusCode}`);
      }
      return response;
    },
  };
}

/** The whole body as text, at most MAX_ANSWER_BYTES; rejects if the connection breaks before its end. */
async function readText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES) {
      response.destroy();
      throw new AnswerTooLarge(`the answer is larger than ${MAX_ANSWER_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  // A response cut short (the connection closed mid-body) ends the iteration with an error, not here.
  if (!response.complete) throw Object.assign(new Error('the answer was cut short'), { code: 'ECONNRESET' });
  return Buffer.concat(chunks).toString('utf8');
}

function classifyError(error: unknown, deadlineHit: boolean): Exclude<Exchange, { kind: 'answered' }> {
  if (deadlineHit) return { kind: 'lost', code: 'TIMEOUT' };
  const code = errorCode(error);
  if (code !== undefined && NOT_SENT_CODES.has(code)) return { kind: 'not-sent', code };
  if (code !== undefined && TIMEOUT_CODES.has(code)) return { kind: 'lost', code: 'TIMEOUT' };
  return { kind: 'lost', code: code ?? 'NETWORK_ERROR' };
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  // Happy-eyeballs connects fail with an AggregateError; nothing was sent only if every attempt was refused.
  if (Array.isArray(errors) && errors.length > 0) {
    const codes = new Set(errors.map(errorCode));
    const [only] = [...codes];
    if (codes.size === 1 && only !== undefined) return only;
  }
  if (cause !== undefined) return errorCode(cause);
  return undefined;
}

/** Customer numbers are personal data: logs keep only the last 4 digits (the one masking rule, src/privacy.ts). */
export { maskCustomerNo } from '../../src/privacy.js';
