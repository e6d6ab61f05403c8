/**
 * Queue names. Frozen: renaming a queue strands the jobs already in Redis under the old name.
 * The braces are Redis Cluster hash tags, so each queue's keys live in one slot.
 */
export const QUEUES = Object.freeze({
  payments: '{payments}',
  recon: '{recon}',
});

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
