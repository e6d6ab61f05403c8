import { getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowMapper, toBigInt } from '../../../src/db/rows.js';
import { paymentAttempts } from '../../../src/db/schema/index.js';

const toAttempt = rowMapper(paymentAttempts);
const raw = {
  payment_id: '01a2328c-7c9a-74f5-830d-42a8a55f351e',
  attempt_no: 2,
  adapter: 'iak',
  sku: 'PLNPOST',
  ref_id: 'ref-2',
  upstream_handle: null,
  state: 'success',
  rc: '00',
  message: 'SUCCESS',
  price: '102000',
  sent_at: new Date('2026-12-01T10:00:00Z'),
  answered_at: '2026-12-01T10:00:02.5+00:00',
};

describe('rows read with raw SQL', () => {
  it('come back as the schema row type: every column, bigint as bigint, timestamps as Date (from pg or from JSON)', () => {
    const attempt = toAttempt(raw);
    expect(Object.keys(attempt).sort()).toEqual(Object.keys(getTableColumns(paymentAttempts)).sort());
    expect(attempt).toMatchObject({ attemptNo: 2, price: 102_000n, upstreamHandle: null, state: 'success' });
    expect(attempt.sentAt).toEqual(new Date('2026-12-01T10:00:00Z'));
    expect(attempt.answeredAt).toEqual(new Date('2026-12-01T10:00:02.500Z'));
    expect(toAttempt({ ...raw, price: 102000 }).price).toBe(102_000n);
  });

  it('refuse a row that lacks a column of the schema instead of leaving it undefined', () => {
    const { answered_at: _gone, ...partial } = raw;
    expect(() => toAttempt(partial)).toThrow(/payment_attempts row read without its column answered_at/);
  });

  it('read integer ids as bigint and refuse anything else', () => {
    expect(toBigInt('9007199254740993')).toBe(9_007_199_254_740_993n);
    expect(() => toBigInt('12.5')).toThrow(TypeError);
    expect(() => toBigInt(1.5)).toThrow(TypeError);
  });
});
