/**
 * What every real adapter shares around its calls: the option pieces (a pino logger, the adapter's name) and the
 * guard that keeps the port's never-throw contract against our own bugs and writes the one log line per call
 * (customer numbers masked). An adapter that throws anyway gets the outcome `onBug` gives for that operation:
 * `unavailable` for an inquiry (nothing was sent that costs money), `suspect` for a pay or status (the request
 * may have left, so nothing is proven).
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import type { BillTarget, InquiryOutcome, PayOutcome, StatusOutcome } from '../../src/billers/port.js';
import { maskCustomerNo } from '../../src/privacy.js';

const isLogger = (value: unknown): value is Logger =>
  typeof value === 'object' && value !== null && typeof (value as { info?: unknown }).info === 'function';

export const loggerOption = z.custom<Logger>(isLogger, { message: 'expected a pino logger' }).optional();

/** Also the `{adapter}` in /v1/callbacks/{adapter}. */
export const nameOption = (fallback: string) =>
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/)
    .default(fallback);

/** An outcome plus whether the upstream actually answered (for the log line). */
export interface Judged<T> {
  outcome: T;
  answered: boolean;
}

export const unavailableOnBug = (message: string): InquiryOutcome => ({
  kind: 'unavailable',
  rc: 'ADAPTER_ERROR',
  message,
});
/** Typed as the `suspect` case itself, so it fits a pay (PayOutcome) and a status (StatusOutcome) alike. */
export const suspectOnBug = (message: string): Extract<PayOutcome, { kind: 'suspect' }> => ({
  kind: 'suspect',
  rc: 'ADAPTER_ERROR',
  message,
});

export type Guard = <T extends InquiryOutcome | StatusOutcome | PayOutcome>(
  op: string,
  target: BillTarget,
  call: () => Promise<Judged<T>>,
  onBug: (message: string) => T,
) => Promise<T>;

/** The guard of one adapter: logs every call's result and turns our own exceptions into `onBug`'s outcome. */
export function createGuard(adapter: string, log: Logger): Guard {
  return async (op, target, call, onBug) => {
    let judged;
    try {
      judged = await call();
    } catch (error) {
      judged = {
        answered: false,
        outcome: onBug(`adapter error: ${error instanceof Error ? error.name : 'unknown'}`),
      };
    }
    const { outcome } = judged;
    const fields = {
      adapter,
      op,
      refId: target.refId,
      customer: maskCustomerNo(target.customerNo),
      rc: outcome.kind === 'bill' ? '00' : outcome.rc,
      outcome: outcome.kind,
    };
    if (judged.answered) log.info(fields, 'upstream answered');
    else log.warn(fields, 'upstream did not answer');
    return outcome;
  };
}
