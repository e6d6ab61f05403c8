/**
 * The only reader of process.env. One zod schema, parsed once; every bad key is reported in one line.
 * Defaults are for local use (`npm ci && npm start` on a laptop with Postgres and Redis on their default ports).
 */
import { z } from 'zod';

const wibTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24 h, WIB)');

const boolFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const postgresUrl = z
  .string()
  .url()
  .refine((u) => /^postgres(ql)?:\/\//.test(u), 'expected a postgres:// URL');

const redisUrl = z
  .string()
  .url()
  .refine((u) => /^rediss?:\/\//.test(u), 'expected a redis:// URL');

const port = z.coerce.number().int().min(0).max(65535);

/**
 * Defaults for a laptop. They are printed in this repository, so anyone could mint a treasurer token
 * (JWT_SECRET), act as the operator (ADMIN_TOKEN) or forge a signed upstream callback
 * (DIGIFLAZZ_WEBHOOK_SECRET) with them: production refuses to start on any of them.
 */
export const LOCAL_SECRETS = Object.freeze({
  JWT_SECRET: 'pintu-local-development-jwt-secret-change-me',
  ADMIN_TOKEN: 'pintu-local-admin-token',
  DIGIFLAZZ_WEBHOOK_SECRET: 'sandbox-webhook-secret',
  /** base64 of sha256("pintu-local-checkpoint-key"): anyone could sign a checkpoint with it. */
  CHECKPOINT_SIGNING_KEY: 'aqL1GVK4pWIafuM+bqnZlo2cPK12cZQNYjvLfAvT5vM=',
});

/** The local defaults of the two database roles: the owner migrates, the service runs as pintu_app. */
export const LOCAL_DATABASE = Object.freeze({
  owner: 'postgres://postgres@127.0.0.1:5432/pintu',
  runtime: 'postgres://pintu_app@127.0.0.1:5432/pintu',
});

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * What the service connects as: a role that can read and insert history but not rewrite it (src/db/roles.ts).
   * Local default: pintu_app, created by `npm start` when missing.
   */
  DATABASE_URL: postgresUrl.default(LOCAL_DATABASE.runtime),
  /**
   * The tables' owner, for migrations and for granting the runtime role its privileges. Unset: in production,
   * nothing is migrated (a `pintu migrate` job with this URL does it) and the runtime role is only checked;
   * elsewhere the local default when DATABASE_URL is unset too, otherwise DATABASE_URL itself.
   */
  DATABASE_OWNER_URL: postgresUrl.optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
  /** Prefix of every Redis key (queues, rate limits, pub/sub); lets several deployments share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-z0-9:_-]{1,40}$/i)
    .default('pintu'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  ADMIN_TOKEN: z
    .string()
    .min(16, 'ADMIN_TOKEN must be at least 16 characters')
    .default(LOCAL_SECRETS.ADMIN_TOKEN),
  JWT_SECRET: z
    .string()
    .min(32, 'JWT_SECRET must be at least 32 characters')
    .default(LOCAL_SECRETS.JWT_SECRET),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  /** Per-IP attempts per minute on /v1/auth/token. */
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Attempts per minute on /v1/auth/token for one account, from any number of addresses. */
  AUTH_ACCOUNT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Inquiries per minute per user: each one costs an upstream call (aggregators block noisy buyers). */
  INQUIRY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Payment requests per minute per user. */
  PAYMENT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  /**
   * Which proxies to trust for the client address (X-Forwarded-For), as Fastify's trustProxy takes it:
   * `false` (default: the socket's address), `true`, a hop count, or comma-separated addresses/CIDRs.
   * Behind a load balancer, set it, or every client shares the balancer's rate-limit bucket.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v): boolean | number | string[] =>
      v === 'true'
        ? true
        : v === 'false'
          ? false
          : /^\d+$/.test(v)
            ? Number(v)
            : v
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean),
    ),
  /** Bearer token Prometheus sends to GET /metrics; without it only ADMIN_TOKEN may read metrics. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  /** `pintu worker` serves GET /metrics on this port when set (same tokens as the API's /metrics). */
  WORKER_METRICS_PORT: port.optional(),
  /** How long a stored Idempotency-Key answer is kept (the same key after that is a new request). */
  IDEMPOTENCY_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .default(168),
  PIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  MAX_DEPOSIT_AMOUNT: z.coerce.bigint().positive().default(1_000_000_000n),
  DEFAULT_KOPERASI_FEE: z.coerce.bigint().nonnegative().default(1_000n),
  QUOTE_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  PLN_CUTOFF_START: wibTime.default('23:00'),
  PLN_CUTOFF_END: wibTime.default('00:30'),
  /** Run the sandbox upstream in-process (npm start). 0 = any free port. */
  SANDBOX_ENABLED: boolFlag.default(true),
  SANDBOX_PORT: port.default(0),
  SANDBOX_SEED: z.coerce.number().int().default(20261129),
  SANDBOX_PENDING_MS: z.coerce.number().int().min(0).default(20_000),
  SANDBOX_REFUND_MS: z.coerce.number().int().min(0).default(60_000),
  /** The platform's deposit at each sandbox upstream (and the seeded ledger balance mirroring it). */
  SANDBOX_INITIAL_DEPOSIT: z.coerce.bigint().positive().default(1_000_000_000_000n),
  /** Public base URL the upstreams call back (defaults to this API). */
  CALLBACK_BASE_URL: z.string().url().optional(),
  DIGIFLAZZ_BASE_URL: z.string().url().optional(),
  DIGIFLAZZ_USERNAME: z.string().min(1).default('pintu-sandbox'),
  DIGIFLAZZ_API_KEY: z.string().min(1).default('sandbox-dev-key'),
  DIGIFLAZZ_WEBHOOK_SECRET: z.string().min(8).default(LOCAL_SECRETS.DIGIFLAZZ_WEBHOOK_SECRET),
  IAK_BASE_URL: z.string().url().optional(),
  IAK_PREPAID_BASE_URL: z.string().url().optional(),
  IAK_USERNAME: z.string().min(1).default('pintu-sandbox'),
  IAK_API_KEY: z.string().min(1).default('sandbox-dev-key'),
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(30_000),
  /** First poll of a suspect payment; each later poll waits about as long as the payment has been open (capped at 1 h). */
  POLL_INITIAL_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
  /**
   * Status polling of an unanswered upstream attempt stops after this long and the payment is listed for
   * a person. Far below the 90 days after which Digiflazz answers "Data belum ada" for a paid bill, and a
   * re-sent prepaid top-up (its status check) would create a new transaction.
   */
  STATUS_POLL_MAX_HOURS: z.coerce
    .number()
    .min(0.01)
    .max(24 * 30)
    .default(72),
  /**
   * A payment step that threw (database down…) runs again after JOB_BACKOFF_MS, doubling with each failure up to
   * its lease (UPSTREAM_TIMEOUT_MS + 30 s).
   */
  JOB_BACKOFF_MS: z.coerce.number().int().min(10).max(600_000).default(1_000),
  /** How often an idle worker looks for due payment steps (a new payment wakes it at once through its event). */
  WORKER_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(50),
  /** A suspect payment unresolved this long is listed for the treasurer. */
  SUSPECT_ALERT_MINUTES: z.coerce.number().int().min(1).default(60),
  RECON_CRON: z.string().min(9).default('30 6 * * *'),
  /** When the worker signs the day's ledger checkpoints (Asia/Jakarta): just after midnight, for the day that ended. */
  CHECKPOINT_CRON: z.string().min(9).default('5 0 * * *'),
  /** Ed25519 key that signs ledger checkpoints: a PKCS#8 PEM, or base64 of a 32-byte seed. */
  CHECKPOINT_SIGNING_KEY: z.string().min(40).default(LOCAL_SECRETS.CHECKPOINT_SIGNING_KEY),
  /** A payment the settlement does not list is asked about (status call) only this long after it was sent. */
  RECON_GRACE_HOURS: z.coerce.number().min(0).max(240).default(24),
  /** The morning run also revisits this many earlier days whose items are still waiting. */
  RECON_REVISIT_DAYS: z.coerce.number().int().min(0).max(90).default(14),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** How often a worker looks for autodebet runs that are due (src/autodebet/scheduler.ts). */
  AUTODEBET_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** Days after a subscription's due day it keeps trying when there is nothing to pay yet or savings are short. */
  AUTODEBET_RETRY_DAYS: z.coerce.number().int().min(0).max(20).default(5),
  /** The next try the same day after an upstream outage, the PLN cut-off or a payment that failed upstream. */
  AUTODEBET_RETRY_MINUTES: z.coerce.number().int().min(1).max(720).default(60),
});

export type Config = z.infer<typeof configSchema>;

const UPSTREAM_URLS = ['DIGIFLAZZ_BASE_URL', 'IAK_BASE_URL', 'IAK_PREPAID_BASE_URL'] as const;

/** An upstream URL that is not this machine: a real aggregator (or at least not our local sandbox). */
function isRealUpstream(url: string | undefined): boolean {
  if (url === undefined) return false;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return !(host === 'localhost' || host === '::1' || /^127\./.test(host));
}

/** Production (or a real upstream) with a secret left at its public default: one issue per secret. */
function publicSecrets(config: Config): string[] {
  const real = config.NODE_ENV === 'production' || UPSTREAM_URLS.some((key) => isRealUpstream(config[key]));
  if (!real) return [];
  return (Object.keys(LOCAL_SECRETS) as (keyof typeof LOCAL_SECRETS)[])
    .filter((key) => config[key] === LOCAL_SECRETS[key])
    .map(
      (key) => `${key}: unset, empty or the public development default; production needs a secret of its own`,
    );
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid configuration: ${issues.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Parse the environment (or any record of strings). Empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.keys(configSchema.shape);
  const input: Record<string, string> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const owner =
    parsed.data.DATABASE_OWNER_URL ??
    (parsed.data.NODE_ENV === 'production' ? undefined : (input.DATABASE_URL ?? LOCAL_DATABASE.owner));
  const config = { ...parsed.data, DATABASE_OWNER_URL: owner };
  const exposed = publicSecrets(config);
  if (exposed.length > 0) throw new ConfigError(exposed);
  return config;
}
