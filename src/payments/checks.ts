/**
 * Payment invariants `pintu ledger verify` checks beside the ledger's own: no payment is open without
 * a next step, and every payment's state agrees with its hold.
 */
import { sql } from 'drizzle-orm';
import type { VerifyCheck } from '../ledger/verify.js';
import { OPEN_STATUSES_SQL } from './lifecycle.js';

export const PAYMENT_CHECKS: VerifyCheck[] = [
  {
    name: 'open_payments_attended',
    description:
      'every processing or suspect payment has a scheduled next step (an outbox row) or is listed for a person',
    query: sql`
      SELECT p.id::text AS payment_id, p.status, p.koperasi_id::text AS koperasi_id
      FROM payments p
      WHERE p.status IN ${OPEN_STATUSES_SQL} AND p.review_reason IS NULL
        AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.payment_id = p.id)`,
  },
  {
    name: 'payments_match_holds',
    description:
      "each payment's hold is pending while it is open, posted once it succeeded, voided once it failed",
    query: sql`
      SELECT p.id::text AS payment_id, p.status, h.status AS hold_status
      FROM payments p JOIN holds h ON h.id = p.hold_id
      WHERE CASE p.status
              WHEN 'processing' THEN h.status <> 'pending'
              WHEN 'suspect' THEN h.status <> 'pending'
              WHEN 'success' THEN h.status <> 'posted'
              WHEN 'refunded' THEN h.status <> 'posted'
              WHEN 'failed' THEN h.status <> 'voided'
              ELSE true END`,
  },
];
