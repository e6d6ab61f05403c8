/**
 * A worker's Prometheus metrics (`WORKER_METRICS_PORT`): statements sent to PostgreSQL, upstream calls,
 * payments settled, process CPU and memory: what each replica does, scraped like the API's /metrics and
 * behind the same tokens (METRICS_TOKEN or ADMIN_TOKEN).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Deps } from './deps.js';
import { createAuthHooks } from './http/auth.js';

export async function serveWorkerMetrics(deps: Deps, port: number): Promise<FastifyInstance> {
  const auth = createAuthHooks(deps.tokens, deps.config.ADMIN_TOKEN, deps.config.METRICS_TOKEN);
  const app = Fastify({ logger: false });
  app.get('/metrics', { onRequest: auth.metrics }, async (_request, reply) =>
    reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  );
  await app.listen({ port, host: deps.config.HOST });
  return app;
}
