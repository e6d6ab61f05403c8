/**
 * HTTP transport shared by the aggregator adapters: one keep-alive axios instance per adapter.
 *
 * The transport never throws for upstream behaviour on money calls: it reports what it knows about
 * whether the request may have reached the upstream, and hands the raw body back as text so that a
 * truncated or non-JSON answer is detected by the adapter's own JSON.parse, not hidden by axios.
 * How an answer is read (which HTTP statuses carry an rc) is each dialect's own (readAnswer).
 */
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import axios, { type AxiosInstance } from 'axios';

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

export function createTransport(timeoutMs: number): Transport {
  const client: AxiosInstance = axios.create({
    timeout: timeoutMs,
    validateStatus: () => true,
    responseType: 'text',
    // Keep the body as text: our JSON.parse must see truncated or garbage bodies.
    transformResponse: [(data: unknown) => data],
    httpAgent: new http.Agent({ keepAlive: true, timeout: FREE_SOCKET_TIMEOUT_MS }),
    httpsAgent: new https.Agent({ keepAlive: true, timeout: FREE_SOCKET_TIMEOUT_MS }),
    // A proxy from the environment would turn "connection refused" into an answer from the proxy.
    proxy: false,
    // Following a redirect could re-send a payment; a 3xx is reported as an answer (suspect).
    maxRedirects: 0,
    maxContentLength: MAX_ANSWER_BYTES,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
  });

  return {
    async postJson(url, body) {
      // axios' timeout covers the wait for headers and socket idleness; this deadline also bounds a
      // server that drips the body slowly.
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), timeoutMs);
      try {
        const response = await client.post<string>(url, JSON.stringify(body), { signal: deadline.signal });
        const text = typeof response.data === 'string' ? response.data : '';
        return { kind: 'answered', httpStatus: response.status, body: text };
      } catch (error) {
        return classifyError(error, deadline.signal.aborted);
      } finally {
        clearTimeout(timer);
      }
    },

    async getStream(url, what) {
      const headersDeadline = new AbortController();
      const timer = setTimeout(() => headersDeadline.abort(), timeoutMs);
      let response;
      try {
        response = await client.get<Readable>(url, {
          responseType: 'stream',
          maxContentLength: -1,
          signal: headersDeadline.signal,
        });
      } catch (error) {
        const { code } = classifyError(error, headersDeadline.signal.aborted);
        // The axios error is deliberately not attached as `cause`: its config carries the signed URL.
        // eslint-disable-next-line preserve-caught-error
        throw new Error(`${what} could not be fetched: ${code}`);
      } finally {
        clearTimeout(timer);
      }
      if (response.status !== 200) {
        response.data.destroy();
        throw new Error(`${what} is not available: upstream answered HTTP ${response.status}`);
      }
      return response.data;
    },
  };
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
  if (typeof code === 'string' && code !== 'ERR_BAD_RESPONSE') return code;
  // Happy-eyeballs connects fail with an AggregateError; nothing was sent only if every attempt was refused.
  if (Array.isArray(errors) && errors.length > 0) {
    const codes = new Set(errors.map(errorCode));
    const [only] = [...codes];
    if (codes.size === 1 && only !== undefined) return only;
  }
  if (cause !== undefined) return errorCode(cause);
  return typeof code === 'string' ? code : undefined;
}

/** Customer numbers are personal data: logs keep only the last 4 digits (the one masking rule, src/privacy.ts). */
export { maskCustomerNo } from '../../src/privacy.js';
