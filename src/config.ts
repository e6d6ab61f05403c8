/**
 * The only reader of process.env. One zod schema, parsed once; every bad key is reported in one line.
 * Defaults are for local use (`npm ci && npm start` on a laptop with Postgres and Redis on their default ports).
 */
import { z } from 'zod';

const wibTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24 h, WIB)');

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

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: postgresUrl.default('postgres://postgres@127.0.0.1:5432/pintu'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
  /** Prefix of every Redis key (queues, rate limits, pub/sub); lets several deployments share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-z0-9:_-]{1,40}$/i)
    .default('pintu'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters').default('pintu-local-admin-token'),
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').default('pintu-local-development-jwt-secret-change-me'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  /** Per-IP attempts per minute on /v1/auth/token. */
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
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
  DIGIFLAZZ_WEBHOOK_SECRET: z.string().min(8).default('sandbox-webhook-secret'),
  IAK_BASE_URL: z.string().url().optional(),
  IAK_PREPAID_BASE_URL: z.string().url().optional(),
  IAK_USERNAME: z.string().min(1).default('pintu-sandbox'),
  IAK_API_KEY: z.string().min(1).default('sandbox-dev-key'),
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(30_000),
  /** First poll of a suspect payment; each later poll waits twice as long (capped at 1 h). */
  POLL_INITIAL_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(50),
  /** A suspect payment unresolved this long is listed for the treasurer. */
  SUSPECT_ALERT_MINUTES: z.coerce.number().int().min(1).default(60),
  RECON_CRON: z.string().min(9).default('30 6 * * *'),
  RECON_GRACE_HOURS: z.coerce.number().int().min(0).max(240).default(24),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
});

export type Config = z.infer<typeof configSchema>;

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
  return parsed.data;
}
