import { describe, expect, it } from 'vitest';
import { SQLSTATE, assertionOf, sqlStateOf } from '../../../src/db/assertions.js';

describe('database assertions', () => {
  it('gives every assertion its own SQLSTATE of class PN', () => {
    const codes = Object.values(SQLSTATE);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^PN[0-9A-Z]{3}$/);
  });

  it('names the assertion from the code of a pg error, bare or wrapped by drizzle, whatever the message says', () => {
    expect(assertionOf({ code: 'PN002', message: 'anything' })).toBe('pinLocked');
    expect(
      assertionOf(
        Object.assign(new Error('Failed query: …'), {
          cause: { code: 'PN001', message: 'the PIN is locked' },
        }),
      ),
    ).toBe('quoteClaimed');
    expect(assertionOf({ code: '23514', message: 'the PIN is locked' })).toBeUndefined();
    expect(assertionOf(new Error('the PIN is locked'))).toBeUndefined();
    expect(sqlStateOf({ code: 'ECONNREFUSED' })).toBeUndefined();
    expect(sqlStateOf({ cause: { code: '40001' } })).toBe('40001');
  });
});
