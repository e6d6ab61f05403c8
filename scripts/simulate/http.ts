/**
 * The clients' HTTP: JSON requests to the API with a bearer token and an optional Idempotency-Key, and the retry a
 * real app does: the same request with the same key again through 5xx answers and dead connections, until it gets
 * an answer that is not a 5xx or runs out of time.
 */
import { sleep } from './net.js';

export interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT';
  token?: string;
  body?: unknown;
  /** Sent as text/csv instead of JSON. */
  csv?: string;
  key?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Abort after this long, as a phone losing its connection would (the request may still be processed). */
  abortAfterMs?: number;
}

export async function call(base: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.key !== undefined) headers['idempotency-key'] = options.key;
  let body: string | undefined;
  if (options.csv !== undefined) {
    headers['content-type'] = 'text/csv';
    body = options.csv;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const signal = AbortSignal.timeout(options.abortAfterMs ?? options.timeoutMs ?? 30_000);
  const response = await fetch(`${base}${path}`, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    signal,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

export interface RetryStats {
  retries: number;
  networkErrors: number;
  serverErrors: number;
}

export const newRetryStats = (): RetryStats => ({ retries: 0, networkErrors: 0, serverErrors: 0 });

/**
 * The first call may be cut short (`abortAfterMs`); every retry is a plain call with the same key. Returns the
 * first answer below 500, or undefined when `deadlineMs` passed without one.
 */
export async function callRetrying(
  base: string,
  path: string,
  options: CallOptions,
  stats: RetryStats,
  deadlineMs = 60_000,
): Promise<Answer | undefined> {
  const deadline = Date.now() + deadlineMs;
  let first = true;
  for (;;) {
    try {
      const answer = await call(base, path, first ? options : { ...options, abortAfterMs: undefined });
      if (answer.status < 500) return answer;
      stats.serverErrors += 1;
    } catch {
      stats.networkErrors += 1;
    }
    first = false;
    if (Date.now() > deadline) return undefined;
    stats.retries += 1;
    await sleep(250 + Math.floor(Math.random() * 250));
  }
}

/** A field of a JSON answer, when it is a string. */
export function field(answer: Answer | undefined, name: string): string | undefined {
  const body = answer?.body;
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}
