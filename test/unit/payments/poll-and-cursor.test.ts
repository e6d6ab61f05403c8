import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/http/errors.js';
import { pollDelayMs } from '../../../src/payments/outcome.js';
import { decodeCursor, encodeCursor } from '../../../src/payments/service.js';

describe('status poll delays', () => {
  const deps = { config: { POLL_INITIAL_MS: 2_000 } } as Parameters<typeof pollDelayMs>[0];

  it('start at POLL_INITIAL_MS, then wait about as long as the attempt has been open, at most an hour', () => {
    expect(pollDelayMs(deps, 0)).toBe(2_000);
    expect(pollDelayMs(deps, 1_500)).toBe(2_000);
    expect(pollDelayMs(deps, 60_000)).toBe(60_000);
    expect(pollDelayMs(deps, 5 * 3_600_000)).toBe(3_600_000);
  });

  it('so the number of polls grows with the logarithm of the time open, not linearly', () => {
    let open = 0;
    let polls = 0;
    while (open < 24 * 3_600_000) {
      open += pollDelayMs(deps, open);
      polls += 1;
    }
    expect(polls).toBeLessThan(40);
  });
});

describe('history cursors', () => {
  const last = {
    createdAt: new Date('2026-12-01T10:00:00.123Z'),
    id: '01a2328c-7c9a-74f5-830d-42a8a55f351e',
  };

  it('round-trip the last item of a page exactly (milliseconds and id)', () => {
    expect(decodeCursor(encodeCursor(last))).toEqual(last);
  });

  it('refuse anything this API did not issue with a 400 problem, never a value Postgres would reject', () => {
    const forged = [
      'not-a-cursor',
      Buffer.from('2026-12-01|x').toString('base64url'),
      Buffer.from(`2026-12-01T10:00:00.123Z|${last.id}|extra`).toString('base64url'),
      Buffer.from(`0000-00-00T00:00:00.000Z|${last.id}`).toString('base64url'),
      Buffer.from(`2026-12-01T10:00:00.123Z|'; DROP TABLE payments; --`).toString('base64url'),
    ];
    for (const cursor of forged) {
      expect(() => decodeCursor(cursor)).toThrow(AppError);
    }
  });
});
