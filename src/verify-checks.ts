/** Every invariant `pintu ledger verify` checks beyond the ledger's own: the payments' and the counter's. */
import { COUNTER_CHECKS } from './counter/checks.js';
import type { VerifyCheck } from './ledger/verify.js';
import { PAYMENT_CHECKS } from './payments/checks.js';

export const DOMAIN_CHECKS: VerifyCheck[] = [...PAYMENT_CHECKS, ...COUNTER_CHECKS];
