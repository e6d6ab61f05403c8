import { describe, expect, it } from 'vitest';
import {
  IllegalTransitionError,
  OPEN_STATUSES,
  PAYMENT_STATUSES,
  assertMove,
  canMove,
  isFinal,
  isOpen,
  nextStatuses,
} from '../../../src/payments/lifecycle.js';

describe('the payment lifecycle', () => {
  it('has exactly processing and suspect open; every other status is final', () => {
    expect(PAYMENT_STATUSES.filter(isOpen)).toEqual([...OPEN_STATUSES]);
    expect(PAYMENT_STATUSES.filter(isFinal).sort()).toEqual(['failed', 'refunded', 'success']);
  });

  it('lets an open payment end in success or failure, and a success only be refunded', () => {
    expect(nextStatuses('processing')).toEqual(['success', 'failed', 'suspect']);
    expect(nextStatuses('suspect')).toEqual(['success', 'failed', 'suspect']);
    expect(nextStatuses('success')).toEqual(['refunded']);
  });

  it('never leaves failed or refunded, never goes back to processing, never refunds what was not paid', () => {
    for (const from of PAYMENT_STATUSES) {
      expect(canMove(from, 'processing')).toBe(false);
      if (from === 'failed' || from === 'refunded') expect(nextStatuses(from)).toEqual([]);
      if (from !== 'success') expect(canMove(from, 'refunded')).toBe(false);
    }
    expect(() => assertMove('failed', 'success')).toThrow(IllegalTransitionError);
    expect(() => assertMove('suspect', 'success')).not.toThrow();
  });
});
