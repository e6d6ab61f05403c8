/**
 * The one way the app talks to the API: JSON over fetch with the session's bearer token. Refusals
 * become ApiError with the problem document's stable `code`; a request that got no answer at all
 * (offline, connection reset) becomes ApiError code NETWORK.
 */
import { reportConnection } from './connectivity';
import { session, sessionEnd } from './session';

export interface Problem {
  code: string;
  status?: number;
  title?: string;
  detail?: string;
  [extra: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.code);
    this.name = 'ApiError';
  }
  get code(): string {
    return this.problem.code;
  }
  /** True when the request may not have reached the server: retrying the same request is safe only with the same Idempotency-Key. */
  get isNetwork(): boolean {
    return this.problem.code === 'NETWORK';
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Send no Authorization header (login). */
  anonymous?: boolean;
  /** This token instead of the session's (the forced change of credentials, before a session exists). */
  token?: string;
}

async function problemOf(response: Response): Promise<Problem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as Partial<Problem>;
      if (body && typeof body.code === 'string') return { ...body, code: body.code, status: response.status };
    } catch {
      // fall through to a generic problem
    }
  }
  const code =
    response.status === 429 ? 'RATE_LIMITED' : response.status === 503 ? 'SERVICE_UNAVAILABLE' : 'UNKNOWN';
  return { code, status: response.status };
}

/** fetch with auth; resolves only for 2xx, otherwise throws ApiError. */
export async function request(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const token = options.token ?? session.token();
  if (token && !options.anonymous) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body,
      signal: options.signal,
      cache: 'no-store',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    reportConnection(false);
    throw new ApiError(0, {
      code: 'NETWORK',
      detail: error instanceof Error ? error.message : String(error),
    });
  }
  reportConnection(true);
  if (response.ok) return response;
  const problem = await problemOf(response);
  if (
    response.status === 401 &&
    token &&
    !options.anonymous &&
    options.token === undefined &&
    problem.code === 'UNAUTHENTICATED'
  ) {
    // The token expired or was revoked: back to the login screen.
    sessionEnd.set('Sesi Anda telah berakhir. Silakan masuk lagi.');
    session.set(null);
  }
  throw new ApiError(response.status, problem);
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await request(path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const get = <T>(path: string, signal?: AbortSignal) => api<T>(path, { signal });
export const post = <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
  api<T>(path, { method: 'POST', body, headers });
export const put = <T>(path: string, body: unknown) => api<T>(path, { method: 'PUT', body });
export const patch = <T>(path: string, body: unknown) => api<T>(path, { method: 'PATCH', body });
export const del = (path: string) => api<undefined>(path, { method: 'DELETE' });

/** A query string from defined values only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
