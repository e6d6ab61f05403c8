import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../deps.js';
import { type AuthHooks, actorOf } from '../http/auth.js';
import { problemSchema } from '../http/schemas.js';
import { createKoperasiBody, koperasiResponse } from './schemas.js';
import { createKoperasi } from './service.js';

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
  };
}
