import { sql } from 'drizzle-orm';
import type { FastifyPluginAsync } from 'fastify';
import type { Deps } from '../deps.js';
import type { AuthHooks } from './auth.js';
import { AppError } from './errors.js';

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref(),
    ),
  ]);

export function healthRoutes(deps: Deps, auth: AuthHooks): FastifyPluginAsync {
  return async (app) => {
    app.get('/health/live', { schema: { tags: ['ops'], summary: 'The process is up' } }, async () => ({
      status: 'ok',
    }));

    app.get(
      '/health/ready',
      { schema: { tags: ['ops'], summary: 'Postgres and Redis answer' } },
      async () => {
        const [postgres, redis] = await Promise.allSettled([
          withTimeout(deps.db.execute(sql`SELECT 1`), 2_000),
          withTimeout(deps.redis.ping(), 2_000),
        ]);
        const checks = {
          postgres: postgres.status === 'fulfilled' ? 'ok' : 'down',
          redis: redis.status === 'fulfilled' ? 'ok' : 'down',
        };
        if (checks.postgres !== 'ok' || checks.redis !== 'ok') {
          throw new AppError(
            'SERVICE_UNAVAILABLE',
            `not ready: postgres ${checks.postgres}, redis ${checks.redis}`,
            { checks },
          );
        }
        return { status: 'ready', checks };
      },
    );

    app.get(
      '/metrics',
      {
        onRequest: auth.metrics,
        schema: { tags: ['ops'], summary: 'Prometheus metrics (Bearer METRICS_TOKEN)', hide: true },
      },
      async (_request, reply) =>
        reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
    );
  };
}
