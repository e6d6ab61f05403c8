/**
 * The payment lifecycle in one place: statuses, the transitions allowed between them, which are open and
 * which final. Every module that decides or queries by status imports it, in TypeScript or in SQL
 * (`OPEN_STATUSES_SQL`), so a new status or transition cannot be added in one copy and missed in another.
 *
 *   processing → success | failed | suspect;  suspect → success | failed | suspect;  success → refunded
 *
 * `failed` and `refunded` are final; `success` is final for the member but can still be reversed by the
 * upstream (a refund notice confirmed by its status, or its settlement file).
 */
import { type SQL, sql } from 'drizzle-orm';
import { PAYMENT_STATUSES, type PaymentStatus } from '../db/schema/index.js';

export { PAYMENT_STATUSES, type PaymentStatus };

const ALLOWED: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  processing: ['success', 'failed', 'suspect'],
  suspect: ['success', 'failed', 'suspect'],
  success: ['refunded'],
  failed: [],
  refunded: [],
};

/** Open: the member's money is held and Pintu owes the payment a next step (a job or a person). */
export const OPEN_STATUSES = ['processing', 'suspect'] as const satisfies readonly PaymentStatus[];
export type OpenStatus = (typeof OPEN_STATUSES)[number];

/** The open statuses as a SQL list: `status IN ${OPEN_STATUSES_SQL}`. */
export const OPEN_STATUSES_SQL: SQL = sql.raw(`(${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`);

export const isOpen = (status: PaymentStatus): status is OpenStatus => (OPEN_STATUSES as readonly PaymentStatus[]).includes(status);
export const isFinal = (status: PaymentStatus) => !isOpen(status);
export const canMove = (from: PaymentStatus, to: PaymentStatus) => ALLOWED[from].includes(to);
export const nextStatuses = (from: PaymentStatus): readonly PaymentStatus[] => ALLOWED[from];

export class IllegalTransitionError extends Error {
  constructor(from: PaymentStatus, to: PaymentStatus) {
    super(`payment cannot move from ${from} to ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

export function assertMove(from: PaymentStatus, to: PaymentStatus): void {
  if (!canMove(from, to)) throw new IllegalTransitionError(from, to);
}
