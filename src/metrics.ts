/** Prometheus metrics, one registry per process (tests build many apps in one process). */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  payments: Counter<'product' | 'status'>;
  upstreamCalls: Counter<'adapter' | 'operation' | 'outcome'>;
  upstreamDuration: Histogram<'adapter' | 'operation'>;
  dbQueries: Counter;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'pintu_' });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'pintu_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    payments: new Counter({
      name: 'pintu_payments_total',
      help: 'Payments reaching a status, by product',
      labelNames: ['product', 'status'],
      registers: [registry],
    }),
    upstreamCalls: new Counter({
      name: 'pintu_upstream_calls_total',
      help: 'Upstream adapter calls by outcome',
      labelNames: ['adapter', 'operation', 'outcome'],
      registers: [registry],
    }),
    dbQueries: new Counter({
      name: 'pintu_db_queries_total',
      help: 'Statements this process sent to PostgreSQL (BEGIN and COMMIT count as statements)',
      registers: [registry],
    }),
    upstreamDuration: new Histogram({
      name: 'pintu_upstream_call_duration_seconds',
      help: 'Upstream adapter call duration',
      labelNames: ['adapter', 'operation'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
}
