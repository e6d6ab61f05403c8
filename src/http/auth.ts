/**
 * Authentication and role checks as Fastify onRequest hooks: they run before the body is parsed and
 * validated, so an anonymous or wrong-role caller learns nothing about a route's shape. A request carries at most one principal:
 * the platform admin (the static ADMIN_TOKEN) or a user with a JWT access token. Koperasi scoping is
 * then done by every repository query taking the principal's koperasiId.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Principal, Role, TokenService, UserPrincipal } from '../auth/tokens.js';
import { AppError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/.exec(header.trim());
  return match?.[1];
}

export interface AuthHooks {
  admin: onRequestAsyncHookHandler;
  roles(...roles: Role[]): onRequestAsyncHookHandler;
  /** Prometheus: METRICS_TOKEN, or the admin token. Metrics name adapters, routes and volumes. */
  metrics: onRequestAsyncHookHandler;
}

export function createAuthHooks(tokens: TokenService, adminToken: string, metricsToken?: string): AuthHooks {
  const adminDigest = digest(adminToken);
  const isAdminToken = (token: string) => timingSafeEqual(digest(token), adminDigest);
  const metricsDigest = metricsToken === undefined ? undefined : digest(metricsToken);
  const isMetricsToken = (token: string) =>
    metricsDigest !== undefined && timingSafeEqual(digest(token), metricsDigest);

  return {
    async admin(request: FastifyRequest, _reply: FastifyReply) {
      const token = bearer(request);
      if (!token) throw new AppError('UNAUTHENTICATED', 'send Authorization: Bearer <ADMIN_TOKEN>');
      if (!isAdminToken(token)) throw new AppError('FORBIDDEN', 'this route needs the platform admin token');
      request.principal = { kind: 'admin' };
    },
    async metrics(request: FastifyRequest, _reply: FastifyReply) {
      const token = bearer(request);
      if (!token) throw new AppError('UNAUTHENTICATED', 'send Authorization: Bearer <METRICS_TOKEN>');
      if (!isMetricsToken(token) && !isAdminToken(token))
        throw new AppError('FORBIDDEN', 'this route needs METRICS_TOKEN');
    },
    roles(...roles: Role[]) {
      return async (request: FastifyRequest, _reply: FastifyReply) => {
        const token = bearer(request);
        if (!token) throw new AppError('UNAUTHENTICATED', 'send Authorization: Bearer <access token>');
        const principal = await tokens.verify(token);
        if (!principal) {
          if (isAdminToken(token))
            throw new AppError('FORBIDDEN', 'the platform admin cannot act as a koperasi user');
          throw new AppError('UNAUTHENTICATED', 'the access token is invalid or expired');
        }
        if (!roles.includes(principal.role)) {
          throw new AppError('FORBIDDEN', `this route is for: ${roles.join(', ')}`);
        }
        request.principal = principal;
      };
    },
  };
}

/** The authenticated user of a route guarded by `roles(...)`. */
export function userOf(request: FastifyRequest): UserPrincipal {
  const principal = request.principal;
  if (principal?.kind !== 'user') throw new AppError('UNAUTHENTICATED', 'not authenticated');
  return principal;
}
