/**
 * Every error leaves the API as application/problem+json (RFC 9457) with a stable `code`.
 * 5xx details are logged, never sent.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorCode, statusFor } from './errors.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  instance?: string;
  requestId?: string;
  [extra: string]: unknown;
}

const TITLES: Partial<Record<ErrorCode, string>> = {
  VALIDATION_FAILED: 'The request is not valid',
  MALFORMED_JSON: 'The request body is not valid JSON',
  INTERNAL: 'Something went wrong on our side',
  SERVICE_UNAVAILABLE: 'The service is temporarily unavailable',
};

const titleFor = (code: ErrorCode) =>
  TITLES[code] ?? code.charAt(0) + code.slice(1).toLowerCase().replaceAll('_', ' ');

export function problem(code: ErrorCode, detail: string, extra: Record<string, unknown> = {}): Problem {
  return {
    type: `https://pintu.id/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: titleFor(code),
    status: statusFor(code),
    code,
    detail,
    ...extra,
  };
}

/** Connection-level failures of Postgres or Redis: the request may be retried shortly. */
export function isDependencyDown(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as { code?: string; message?: string; cause?: unknown };
    if (
      e.code &&
      [
        'ECONNREFUSED',
        'ECONNRESET',
        'ETIMEDOUT',
        'EPIPE',
        '57P01',
        '57P02',
        '57P03',
        '08006',
        '08001',
        '08003',
        '08000',
      ].includes(e.code)
    ) {
      return true;
    }
    if (
      e.message &&
      /Connection terminated|connection timeout|timeout exceeded when trying to connect|Connection is closed|MaxRetriesPerRequest|Stream isn't writeable/i.test(
        e.message,
      )
    ) {
      return true;
    }
    current = e.cause;
  }
  return false;
}

interface Mapped {
  problem: Problem;
  headers?: Record<string, string>;
  log: 'none' | 'warn' | 'error';
}

function mapError(error: FastifyError | AppError | Error): Mapped {
  if (error instanceof AppError) {
    const headers =
      error.status === 503
        ? { 'retry-after': error.code === 'UPSTREAM_UNAVAILABLE' ? '10' : '5' }
        : undefined;
    return { problem: problem(error.code, error.message, error.extra), headers, log: 'none' };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((v) => ({
      path: `${error.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`,
      message: v.message ?? 'invalid',
    }));
    const first = errors[0];
    return {
      problem: problem('VALIDATION_FAILED', first ? `${first.path}: ${first.message}` : 'invalid request', {
        errors,
      }),
      log: 'none',
    };
  }
  const fe = error as FastifyError;
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { problem: problem('MALFORMED_JSON', fe.message), log: 'none' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { problem: problem('PAYLOAD_TOO_LARGE', 'the request body is too large'), log: 'none' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return { problem: problem('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json'), log: 'none' };
    case 'FST_ERR_VALIDATION':
    case 'FST_ERR_BAD_URL':
      return { problem: problem('VALIDATION_FAILED', fe.message), log: 'none' };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { problem: problem('VALIDATION_FAILED', 'a path parameter is too long'), log: 'none' };
  }
  if (fe.statusCode === 429) {
    return { problem: problem('RATE_LIMITED', 'too many requests, slow down'), log: 'warn' };
  }
  // JSON.parse errors thrown by content-type parsers (e.g. prototype poisoning) carry a 400.
  if (fe.statusCode === 400 || error instanceof SyntaxError) {
    return { problem: problem('MALFORMED_JSON', 'the request body could not be parsed'), log: 'none' };
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code: ErrorCode =
      fe.statusCode === 404
        ? 'NOT_FOUND'
        : fe.statusCode === 413
          ? 'PAYLOAD_TOO_LARGE'
          : fe.statusCode === 415
            ? 'UNSUPPORTED_MEDIA_TYPE'
            : 'VALIDATION_FAILED';
    return { problem: problem(code, fe.message), log: 'none' };
  }
  if (isDependencyDown(error)) {
    return {
      problem: problem('SERVICE_UNAVAILABLE', 'a dependency is unavailable; retry shortly'),
      headers: { 'retry-after': '5' },
      log: 'warn',
    };
  }
  return { problem: problem('INTERNAL', 'an unexpected error occurred; it has been logged'), log: 'error' };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: Error): FastifyReply {
  const mapped = mapError(error);
  if (mapped.log === 'error') request.log.error({ err: error }, 'request failed');
  else if (mapped.log === 'warn') request.log.warn({ err: error }, 'request refused');
  const body: Problem = { ...mapped.problem, instance: request.url.split('?')[0], requestId: request.id };
  if (mapped.headers) void reply.headers(mapped.headers);
  return reply.code(body.status).type('application/problem+json; charset=utf-8').send(body);
}

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: Error, request, reply) => sendProblem(request, reply, error));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      request,
      reply,
      new AppError('NOT_FOUND', `no route for ${request.method} ${request.url.split('?')[0]}`),
    ),
  );
}
