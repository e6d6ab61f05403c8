/**
 * Sandbox options: one zod schema, every knob defaulted. The knobs (latency, faults, timings, callbacks,
 * settlement, fees) can also be changed at run time with `configure()` or `POST /_sandbox/config`.
 */
import type { Logger } from 'pino';
import { z } from 'zod';

const rate = z.number().min(0).max(1);
const ms = z.int().min(0);
const range = z
  .tuple([ms, ms])
  .refine(([min, max]) => min <= max, { message: 'expected [min, max] with min ≤ max' });
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');

/** The run-time knobs, without defaults (a `configure()` patch must not reset what it does not name). */
const knobFields = {
  /** Uniform latency added to every dialect request, [min, max] ms. */
  latencyMs: range,
  /** Share of dialect requests that are slow, and how slow (ppob.md §5: 10–40 s). */
  slowRate: rate,
  slowMs: range,
  /**
   * Probability of an injected fault on a pay request (pay-pasca, top-up), split evenly: HTTP 500 with nothing
   * recorded, or the payment processed and its answer replaced by garbage or cut-off JSON.
   */
  faultRate: rate,
  /** Share of 1105 answers that reset the socket instead of answering HTTP 500. */
  resetRate: rate,
  /** Pending scenarios (1039, 1040, 1099) resolve after this long. */
  pendingMs: ms,
  /** 1074 is refunded after this long. */
  refundMs: ms,
  /** 0103 answers after this long (past a client's usual 30 s timeout). */
  hangMs: ms,
  /** PLN cut-off window, WIB, [start, end); may wrap midnight. */
  cutOff: z.object({ start: hhmm, end: hhmm }).strict(),
  /** Callback knobs: deliver twice, deliver `update` before `create`, never deliver. */
  dupRate: rate,
  outOfOrderRate: rate,
  dropRate: rate,
  /** Waits before the retries of a callback answered non-2xx (at most 5 tries in all). */
  callbackRetryMs: z.array(ms).max(4),
  /** Extra SUCCESS rows per settlement file with ref_ids nobody sent (a recon break). */
  phantomRowsPerDay: z.int().min(0).max(1_000_000),
  /** Upstream admin fee per bill period (per token purchase), rupiah. */
  adminPerPeriod: z.int().min(0),
  /** Upstream commission per bill period (per token purchase), rupiah. */
  commissionPerPeriod: z.int().min(0),
};

export const KNOB_DEFAULTS = {
  latencyMs: [0, 0],
  slowRate: 0,
  slowMs: [10_000, 40_000],
  faultRate: 0,
  resetRate: 0.5,
  pendingMs: 20_000,
  refundMs: 60_000,
  hangMs: 35_000,
  cutOff: { start: '23:00', end: '00:30' },
  dupRate: 0,
  outOfOrderRate: 0,
  dropRate: 0,
  callbackRetryMs: [5_000, 30_000, 120_000, 600_000],
  phantomRowsPerDay: 0,
  adminPerPeriod: 2_500,
  commissionPerPeriod: 500,
} as const satisfies { [K in keyof typeof knobFields]: unknown };

export const knobsPatchSchema = z.object(knobFields).partial().strict();
export type SandboxKnobs = z.output<z.ZodObject<typeof knobFields>>;
export type SandboxKnobsPatch = z.input<typeof knobsPatchSchema>;

const isLogger = (value: unknown): value is Logger =>
  typeof value === 'object' && value !== null && typeof (value as { info?: unknown }).info === 'function';

const credentialsSchema = z
  .object({
    digiflazz: z
      .object({
        username: z.string().min(1).default('pintu-sandbox'),
        apiKey: z.string().min(1).default('sandbox-dev-key'),
        webhookSecret: z.string().min(1).default('sandbox-webhook-secret'),
      })
      .prefault({}),
    iak: z
      .object({
        username: z.string().min(1).default('pintu-sandbox'),
        apiKey: z.string().min(1).default('sandbox-dev-key'),
      })
      .prefault({}),
  })
  .prefault({});

export const sandboxOptionsSchema = z.object({
  credentials: credentialsSchema,
  /** Seeds every random draw (faults, latency, callback knobs, tokens, serials). */
  seed: z.int().default(20261129),
  /** Starting deposit at each upstream, rupiah. */
  initialDeposit: z
    .union([z.int().min(0), z.bigint().min(0n)])
    .default(1_000_000_000)
    .transform((value) => BigInt(value)),
  logger: z.custom<Logger>(isLogger, { message: 'expected a pino logger' }).optional(),
  /** The sandbox's time; `setClock()` overrides it. Default: the real time. */
  clock: z
    .custom<() => Date>((value) => typeof value === 'function', { message: 'expected () => Date' })
    .optional(),
  latencyMs: knobFields.latencyMs.default([...KNOB_DEFAULTS.latencyMs]),
  slowRate: knobFields.slowRate.default(KNOB_DEFAULTS.slowRate),
  slowMs: knobFields.slowMs.default([...KNOB_DEFAULTS.slowMs]),
  faultRate: knobFields.faultRate.default(KNOB_DEFAULTS.faultRate),
  resetRate: knobFields.resetRate.default(KNOB_DEFAULTS.resetRate),
  pendingMs: knobFields.pendingMs.default(KNOB_DEFAULTS.pendingMs),
  refundMs: knobFields.refundMs.default(KNOB_DEFAULTS.refundMs),
  hangMs: knobFields.hangMs.default(KNOB_DEFAULTS.hangMs),
  cutOff: knobFields.cutOff.default({ ...KNOB_DEFAULTS.cutOff }),
  dupRate: knobFields.dupRate.default(KNOB_DEFAULTS.dupRate),
  outOfOrderRate: knobFields.outOfOrderRate.default(KNOB_DEFAULTS.outOfOrderRate),
  dropRate: knobFields.dropRate.default(KNOB_DEFAULTS.dropRate),
  callbackRetryMs: knobFields.callbackRetryMs.default([...KNOB_DEFAULTS.callbackRetryMs]),
  phantomRowsPerDay: knobFields.phantomRowsPerDay.default(KNOB_DEFAULTS.phantomRowsPerDay),
  adminPerPeriod: knobFields.adminPerPeriod.default(KNOB_DEFAULTS.adminPerPeriod),
  commissionPerPeriod: knobFields.commissionPerPeriod.default(KNOB_DEFAULTS.commissionPerPeriod),
});

export type SandboxOptions = z.input<typeof sandboxOptionsSchema>;
export type ParsedSandboxOptions = z.output<typeof sandboxOptionsSchema>;
export type Credentials = ParsedSandboxOptions['credentials'];

export function knobsOf(options: ParsedSandboxOptions): SandboxKnobs {
  const {
    credentials: _credentials,
    seed: _seed,
    initialDeposit: _deposit,
    logger: _logger,
    clock: _clock,
    ...knobs
  } = options;
  return knobs;
}
