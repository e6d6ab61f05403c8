/**
 * Rate limits beyond the login's per-address one. Each is keyed by who is asking, not where from:
 * behind a load balancer every client shares an address (unless TRUST_PROXY is set), and a password
 * guesser rotates addresses. Limits live in Redis, so they hold across every API process.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { AppError } from './errors.js';
import { userOf } from './auth.js';

const MINUTE = 60_000;

/** Per signed-in user, checked after authentication (preHandler). */
export function perUser(max: number) {
  return {
    max,
    timeWindow: MINUTE,
    hook: 'preHandler' as const,
    keyGenerator: (request: FastifyRequest) => `user:${userOf(request).userId}`,
  };
}

/**
 * Per account tried at /v1/auth/token or /v1/auth/office-token (koperasi + username from the body), from any address: a
 * preHandler beside the route's per-address limit (the plugin runs only one limit hook per request).
 */
export function perAccount(app: FastifyInstance, max: number): preHandlerAsyncHookHandler {
  const check = app.createRateLimit({
    max,
    timeWindow: MINUTE,
    keyGenerator: (request: FastifyRequest) => {
      // The body is validated already (zod): both are strings.
      // Office accounts (no koperasi) have a key space of their own.
      const body = request.body as { koperasi?: string; username: string };
      return `account:${body.koperasi?.toLowerCase() ?? '@office'}:${body.username.toLowerCase()}`;
    },
  });
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const limit = await check(request);
    if (limit.isAllowed || !limit.isExceeded) return;
    void reply.header('retry-after', String(limit.ttlInSeconds));
    throw new AppError(
      'RATE_LIMITED',
      `too many attempts for this account; retry in ${limit.ttlInSeconds} s`,
    );
  };
}
