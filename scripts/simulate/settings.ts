/**
 * Timings and knobs of a simulated stack. Short enough that a minute of load shows many whole payment lives
 * (pending → final, success → late refund, suspect → polled), long enough that the upstream timeout is a real
 * wait: slow answers and the 0103 hang outlast it.
 */
import type { SandboxKnobsPatch } from '../../adapters/sandbox/index.js';

export const ADMIN_TOKEN = 'simulation-admin-token-0001';
export const JWT_SECRET = 'simulation-jwt-secret-simulation-jwt-secret';
export const UPSTREAM_TIMEOUT_MS = 3_000;
export const PENDING_MS = 4_000;
export const REFUND_MS = 6_000;
export const HANG_MS = 5_000;
export const SLOW_MS: [number, number] = [UPSTREAM_TIMEOUT_MS + 500, UPSTREAM_TIMEOUT_MS + 2_000];
export const CALLBACK_RETRY_MS = [500, 1_500, 4_000, 8_000];
export const SUSPECT_ALERT_MINUTES = 1;
/**
 * The refund rule must hold for any grace window (the spec asks for a status call saying "not found" before an
 * absent payment is failed), so the simulation compresses the grace to nothing: hours of upstream silence
 * happen in seconds here.
 */
export const RECON_GRACE_HOURS = 0;

/**
 * After this long since an attempt was sent, no request of it can still reach the sandbox: Pintu gave up on it
 * (timeout), and the sandbox's slowest path (slow answer, 0103 hang) is over.
 */
export const NOTHING_IN_FLIGHT_AFTER_MS = UPSTREAM_TIMEOUT_MS + SLOW_MS[1] + HANG_MS + 5_000;

/** The sandbox's knobs for the whole load; the drain turns the callback and fault knobs off. */
export const LOAD_KNOBS: SandboxKnobsPatch = {
  latencyMs: [0, 15],
  faultRate: 0.02,
  resetRate: 0.5,
  hangMs: HANG_MS,
  slowMs: SLOW_MS,
  dupRate: 0.15,
  outOfOrderRate: 0.2,
  dropRate: 0.1,
  callbackRetryMs: CALLBACK_RETRY_MS,
};

export const QUIET_KNOBS: SandboxKnobsPatch = {
  faultRate: 0,
  slowRate: 0,
  dupRate: 0,
  outOfOrderRate: 0,
  dropRate: 0,
};

/** Pintu's environment for the API and worker processes (plus URLs and the fake clock, added by stack.ts). */
export function pintuEnv(cutOff: { start: string; end: string }, seed: number): Record<string, string> {
  return {
    ADMIN_TOKEN,
    JWT_SECRET,
    REDIS_PREFIX: 'sim',
    SANDBOX_ENABLED: 'false',
    SANDBOX_SEED: String(seed),
    SANDBOX_PENDING_MS: String(PENDING_MS),
    SANDBOX_REFUND_MS: String(REFUND_MS),
    UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
    POLL_INITIAL_MS: '500',
    WORKER_CONCURRENCY: '16',
    DATABASE_POOL_SIZE: '8',
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    AUTH_ACCOUNT_RATE_LIMIT_PER_MINUTE: '10000',
    INQUIRY_RATE_LIMIT_PER_MINUTE: '100000',
    PAYMENT_RATE_LIMIT_PER_MINUTE: '100000',
    // Polls of an unanswered attempt end after 3 minutes here, so that path (a person decides) runs too.
    STATUS_POLL_MAX_HOURS: '0.05',
    SUSPECT_ALERT_MINUTES: String(SUSPECT_ALERT_MINUTES),
    PLN_CUTOFF_START: cutOff.start,
    PLN_CUTOFF_END: cutOff.end,
    RECON_GRACE_HOURS: String(RECON_GRACE_HOURS),
    // A few seconds of PostgreSQL outage exhaust a payment job's retries.
    JOB_BACKOFF_MS: '200',
    SHUTDOWN_GRACE_MS: '3000',
    LOG_LEVEL: 'warn',
  };
}
