/**
 * Every integration file: no statement is sent on a connection still running one. pg 8 queues it with a
 * deprecation warning (once per process) and pg 9 refuses it; inside a transaction it is code that assumed its
 * reads ran in parallel on one connection.
 */
import { afterAll, expect } from 'vitest';

const seen: string[] = [];
process.on('warning', (warning) => {
  if (warning.message.includes('already executing a query')) seen.push(warning.stack ?? warning.message);
});

afterAll(async () => {
  await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
  expect(seen, 'a statement sent on a busy connection (stack of the call)').toEqual([]);
});
