/**
 * buildDeps(config): everything a process needs, built once and passed explicitly. No container,
 * no imported singletons. Tests pass overrides (clock, adapters, logger).
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type ProductSpec, loadCatalog } from '../config/products.js';
import { createDigiflazzAdapter } from '../adapters/digiflazz/index.js';
import { createIakAdapter } from '../adapters/iak/index.js';
import { type PinVerifier, createPinVerifier } from './auth/secrets.js';
import { type TokenService, createTokenService } from './auth/tokens.js';
import type { BillerAdapter } from './billers/port.js';
import { type BillerRegistry, createBillerRegistry } from './billers/registry.js';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { type Database, type Db, createDatabase } from './db/client.js';
import { type EventBus, createEventBus } from './events/bus.js';
import { type Ledger, createLedger } from './ledger/index.js';
import { type Logger, createLogger } from './logger.js';
import { type Metrics, createMetrics } from './metrics.js';
import { createRedis } from './queue/connections.js';
import { QUEUES } from './queue/names.js';
import { type CheckpointSigner, createCheckpointSigner } from './transparency/signing.js';

export interface Deps {
  config: Config;
  log: Logger;
  clock: Clock;
  database: Database;
  db: Db;
  redis: Redis;
  ledger: Ledger;
  tokens: TokenService;
  pins: PinVerifier;
  catalog: ReadonlyMap<string, ProductSpec>;
  billers: BillerRegistry;
  queues: { recon: Queue };
  events: EventBus;
  metrics: Metrics;
  /** The platform's Ed25519 key for ledger checkpoints. */
  signer: CheckpointSigner;
  close(): Promise<void>;
}

export interface DepsOverrides {
  clock?: Clock;
  log?: Logger;
  /** Replace the configured adapters (tests use the fake adapter or the sandbox on a random port). */
  adapters?: BillerAdapter[];
  /** Base URLs of the upstreams when not configured (npm start points them at the in-process sandbox). */
  upstreamUrls?: { digiflazz?: string; iak?: string };
  poolSize?: number;
  name?: string;
}

export function buildAdapters(
  config: Config,
  log: Logger,
  urls: DepsOverrides['upstreamUrls'] = {},
): BillerAdapter[] {
  const adapters: BillerAdapter[] = [];
  const digiflazzUrl = config.DIGIFLAZZ_BASE_URL ?? urls.digiflazz;
  if (digiflazzUrl) {
    adapters.push(
      createDigiflazzAdapter({
        baseUrl: digiflazzUrl,
        username: config.DIGIFLAZZ_USERNAME,
        apiKey: config.DIGIFLAZZ_API_KEY,
        webhookSecret: config.DIGIFLAZZ_WEBHOOK_SECRET,
        timeoutMs: config.UPSTREAM_TIMEOUT_MS,
        logger: log.child({ adapter: 'digiflazz' }),
      }),
    );
  }
  const iakUrl = config.IAK_BASE_URL ?? urls.iak;
  if (iakUrl) {
    adapters.push(
      createIakAdapter({
        baseUrl: iakUrl,
        prepaidBaseUrl: config.IAK_PREPAID_BASE_URL ?? iakUrl,
        username: config.IAK_USERNAME,
        apiKey: config.IAK_API_KEY,
        timeoutMs: config.UPSTREAM_TIMEOUT_MS,
        logger: log.child({ adapter: 'iak' }),
      }),
    );
  }
  return adapters;
}

export function buildDeps(config: Config, overrides: DepsOverrides = {}): Deps {
  const name = overrides.name ?? 'pintu';
  const log =
    overrides.log ??
    createLogger({
      level: config.LOG_LEVEL,
      pretty: config.NODE_ENV !== 'production' && process.stdout.isTTY,
      name,
    });
  const clock = overrides.clock ?? systemClock;
  const metrics = createMetrics();
  const database = createDatabase(config.DATABASE_URL, {
    poolSize: overrides.poolSize ?? config.DATABASE_POOL_SIZE,
    // Half the connections for the hot path's named statements (src/db/raw.ts), the rest for everything else.
    namedPoolSize: Math.floor((overrides.poolSize ?? config.DATABASE_POOL_SIZE) / 2),
    applicationName: name,
    onQuery: () => metrics.dbQueries.inc(),
  });
  const redis = createRedis(config.REDIS_URL, 'command', `${name}-cmd`);
  redis.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error'));
  const producer = createRedis(config.REDIS_URL, 'command', `${name}-producer`);
  producer.on('error', () => undefined);
  const queueOptions = { connection: producer, prefix: config.REDIS_PREFIX };
  const queues = {
    recon: new Queue(QUEUES.recon, queueOptions),
  };
  const adapters = overrides.adapters ?? buildAdapters(config, log, overrides.upstreamUrls);
  const events = createEventBus({
    publisher: redis,
    createSubscriber: () => createRedis(config.REDIS_URL, 'subscriber', `${name}-events`),
    channel: `${config.REDIS_PREFIX}:events`,
    log,
  });

  return {
    config,
    log,
    clock,
    database,
    db: database.db,
    redis,
    ledger: createLedger(clock),
    tokens: createTokenService(config.JWT_SECRET, config.ACCESS_TOKEN_TTL_SECONDS),
    pins: createPinVerifier(),
    catalog: loadCatalog(),
    billers: createBillerRegistry(adapters, clock),
    queues,
    events,
    metrics,
    signer: createCheckpointSigner(config.CHECKPOINT_SIGNING_KEY),
    async close() {
      await events.close();
      await queues.recon.close().catch(() => undefined);
      producer.disconnect();
      redis.disconnect();
      await database.close();
    },
  };
}
