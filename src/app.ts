/**
 * buildApp(deps): the Fastify application with its plugins and every route registered explicitly.
 * It never listens; server.ts does, and tests inject requests into it.
 */
import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { authRoutes } from './auth/routes.js';
import type { Deps } from './deps.js';
import { feeRoutes } from './fees/routes.js';
import { createAuthHooks } from './http/auth.js';
import { healthRoutes } from './http/health.js';
import { gracefulShutdown } from './http/shutdown.js';
import { registerProblemHandlers, sendProblem } from './http/problem.js';
import { auditRoutes } from './audit/routes.js';
import { officeRoutes } from './office/routes.js';
import { transparencyRoutes } from './transparency/routes.js';
import { koperasiRoutes } from './koperasi/routes.js';
import { memberRoutes } from './members/routes.js';
import { savedNumberRoutes } from './members/saved-numbers-routes.js';
import { autodebetRoutes } from './autodebet/routes.js';
import { notificationRoutes } from './notifications/routes.js';
import { depositRoutes } from './deposits/routes.js';
import { closingRoutes } from './closing/routes.js';
import { counterRoutes } from './counter/routes.js';
import { eventRoutes } from './events/routes.js';
import { callbackRoutes, paymentRoutes } from './payments/routes.js';
import { reconRoutes, reconUploadRoutes } from './recon/routes.js';
import { reportRoutes } from './reports/routes.js';
import { webRoutes } from './web/routes.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** TRUST_PROXY as Fastify takes it; a hop count trusts that many proxies nearest to us. */
const trustedProxies = (setting: boolean | number | string[]) =>
  typeof setting === 'number' ? (_address: string, hop: number) => hop < setting : setting;

export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  // Typed as the default instance: pino's Logger generics would otherwise leak into every plugin type.
  const logger: FastifyBaseLogger = deps.log;
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: 64 * 1024,
    // The request id comes from a well-formed X-Request-Id header, or is generated.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    // Only proxies the operator names are believed about the client's address (rate limits, logs).
    trustProxy: trustedProxies(deps.config.TRUST_PROXY),
    routerOptions: { maxParamLength: 200 },
    // Errors the router raises before any route runs (a malformed %-escape, an over-long parameter).
    frameworkErrors: (error, request, reply) => {
      void sendProblem(request, reply, error);
    },
  });
  // The API speaks JSON only: any other body type is a 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandlers(app);

  const closing = gracefulShutdown(app);
  app.addHook('onSend', async (request, reply, payload) => {
    void reply.header('x-request-id', request.id);
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    deps.metrics.httpDuration
      .labels(request.method, request.routeOptions.url ?? 'unmatched', String(reply.statusCode))
      .observe(reply.elapsedTime / 1000);
  });

  await app.register(helmet, {
    // The API serves JSON and the Swagger UI; the UI needs inline styles and scripts of its own.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        // Not upgrade-insecure-requests: a koperasi office may serve the app over plain HTTP on its LAN,
        // and the browser would then fetch the scripts over https and show a blank page.
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(rateLimit, {
    global: false,
    redis: deps.redis,
    nameSpace: `${deps.config.REDIS_PREFIX}:ratelimit:`,
    skipOnError: false,
    errorResponseBuilder: (_request, context) => {
      const error = new Error(`too many requests; retry in ${Math.ceil(context.ttl / 1000)} s`) as Error & {
        statusCode: number;
      };
      error.statusCode = 429;
      return error;
    },
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Pintu API',
        version: '1.0.0',
        description:
          'Bill payments (PLN, PDAM, BPJS Kesehatan) for koperasi members, paid from their savings.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const auth = createAuthHooks(deps.tokens, deps.config.ADMIN_TOKEN, deps.config.METRICS_TOKEN);
  await app.register(healthRoutes(deps, auth));
  await app.register(authRoutes(deps, auth));
  await app.register(koperasiRoutes(deps, auth));
  await app.register(memberRoutes(deps, auth));
  await app.register(savedNumberRoutes(deps, auth));
  await app.register(autodebetRoutes(deps, auth));
  await app.register(notificationRoutes(deps, auth));
  await app.register(depositRoutes(deps, auth));
  await app.register(closingRoutes(deps, auth));
  await app.register(counterRoutes(deps, auth, closing));
  await app.register(feeRoutes(deps, auth));
  await app.register(paymentRoutes(deps, auth, closing));
  await app.register(callbackRoutes(deps));
  await app.register(eventRoutes(deps, auth, closing));
  await app.register(reportRoutes(deps, auth));
  await app.register(reconRoutes(deps, auth));
  await app.register(reconUploadRoutes(deps, auth));
  await app.register(auditRoutes(deps, auth));
  await app.register(officeRoutes(deps, auth));
  await app.register(transparencyRoutes(deps, auth));
  await app.register(webRoutes());
  return app;
}
