/**
 * Queue names. Frozen: renaming a queue strands the jobs already in Redis under the old name.
 * The braces are Redis Cluster hash tags, so each queue's keys live in one slot. (Payments are not a BullMQ queue:
 * their jobs are outbox rows in PostgreSQL, see src/payments/claims.ts.)
 */
export const QUEUES = Object.freeze({
  recon: '{recon}',
});

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
