/**
 * What a run prints: each violation on its own line (with the payment id and the command that replays the seed),
 * then, as the very last line, one JSON object: seed, seconds, payments, faults by kind, violations, and more.
 */

export interface Violation {
  /** Which check (1–5 of the brief, or idempotency, forged callbacks, drain). */
  check: string;
  paymentId?: string;
  message: string;
}

export interface Summary {
  seed: number;
  seconds: number;
  payments: number;
  faults: Record<string, number>;
  violations: number;
  [more: string]: unknown;
}

export function violationLine(violation: Violation, replay: string): string {
  const payment = violation.paymentId === undefined ? '' : ` payment=${violation.paymentId}`;
  return `VIOLATION [${violation.check}]${payment} ${violation.message} | replay: ${replay}`;
}

/** The summary with its first five keys in the documented order. */
export function summaryLine(summary: Summary): string {
  const { seed, seconds, payments, faults, violations, ...rest } = summary;
  return JSON.stringify({ seed, seconds, payments, faults, violations, ...rest });
}
