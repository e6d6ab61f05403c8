import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../deps.js';
import { type AuthHooks, actorOf } from '../http/auth.js';
import { problemSchema } from '../http/schemas.js';
import { createKoperasiBody, koperasiCodeParams, koperasiContact, koperasiResponse } from './schemas.js';
import { createKoperasi, koperasiContact as findContact } from './service.js';

export function koperasiRoutes(deps: Deps, auth: AuthHooks): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/koperasi',
      {
        onRequest: auth.admin,
        schema: {
          tags: ['platform'],
          summary: 'Onboard a koperasi and its first treasurer (platform admin)',
          security: [{ bearer: [] }],
          body: createKoperasiBody,
          response: { 201: koperasiResponse, 409: problemSchema },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const by =
          actor.actorType === 'operator'
            ? { actorType: 'operator' as const, actorId: actor.actorId }
            : undefined;
        return reply.code(201).send(await createKoperasi(deps, request.body, by));
      },
    );

    app.get(
      '/v1/koperasi/:code/contact',
      {
        // Public (the login screen's "Lupa PIN/kata sandi?"), so limited per address like the login.
        config: { rateLimit: { max: deps.config.AUTH_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 } },
        schema: {
          tags: ['auth'],
          summary:
            "Whom to ask about a forgotten PIN or password: the koperasi's name and its treasurer's name and phone (public)",
          params: koperasiCodeParams,
          response: { 200: koperasiContact, 404: problemSchema, 429: problemSchema },
        },
      },
      async (request) => findContact(deps, request.params.code),
    );
  };
}
