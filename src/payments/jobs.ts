/**
 * Payment jobs. The outbox is the queue: a row exists while a payment needs the worker (written in the
 * transaction that makes it so), due at `due_at`; its `seq` moves on with every reschedule, so a step of an
 * older seq is a no-op. Workers claim due rows (job-state.ts, `claimDueJobs`) and run them (claims.ts).
 */
export interface PaymentJob {
  paymentId: string;
  seq: number;
}
