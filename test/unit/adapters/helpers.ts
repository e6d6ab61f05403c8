/**
 * Shared fixtures for the adapter unit tests: a pino logger captured into an array, a closed local port
 * (for "connection refused") and a helper that reads a stream to text.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import type { Readable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { expect } from 'vitest';
import type { PayOutcome, StatusOutcome } from '../../../src/billers/port.js';

export function capturedLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

/** A port on 127.0.0.1 that was just closed: connecting to it is refused before anything is sent. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Expected pay/status outcome in table form: 'success' | 'suspect' | 'refunded' | 'not_found' |
 * 'failed:created' | 'failed:not-created'.
 */
export type Expected =
  'success' | 'suspect' | 'refunded' | 'not_found' | 'failed:created' | 'failed:not-created';

/** Asserts the outcome kind AND, for failures, whether a transaction was created. */
export function expectOutcome(outcome: PayOutcome | StatusOutcome, expected: Expected): void {
  const [kind, created] = expected.split(':');
  expect(outcome.kind).toBe(kind);
  if (kind === 'failed') {
    expect(outcome).toHaveProperty('transactionCreated', created === 'created');
  } else {
    expect(outcome).not.toHaveProperty('transactionCreated');
  }
}

/** Expands "40 41 42" into rows. */
export function each<V>(codes: string, expected: V): Array<[string, V]> {
  return codes.split(' ').map((rc) => [rc, expected]);
}
