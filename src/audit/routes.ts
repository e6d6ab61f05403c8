/** The audit log of the caller's koperasi (treasurer, pengawas): who did what, when, why. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../deps.js';
import { type AuthHooks, userOf } from '../http/auth.js';
import { auditPage, auditQuery, readAuditLog } from './viewer.js';

export function auditRoutes(deps: Deps, auth: AuthHooks): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/audit',
      {
        onRequest: auth.roles('treasurer', 'pengawas'),
        schema: {
          tags: ['audit'],
          summary: "The koperasi's audit log, newest first: filter by WIB days, actor, action, text",
          security: [{ bearer: [] }],
          querystring: auditQuery,
          response: { 200: auditPage },
        },
      },
      async (request) => readAuditLog(deps.db, userOf(request).koperasiId, request.query),
    );
  };
}
