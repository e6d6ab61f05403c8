/**
 * A circuit breaker per adapter: after `threshold` consecutive transport-level failures (timeouts,
 * 5xx, unreachable) the adapter is kept out of routing for `openMs`; then one trial request is let
 * through (half-open) and its result closes or re-opens the circuit. Business answers (wrong number,
 * bill already paid) are not failures of the upstream and do not count.
 */
import type { Clock } from '../clock.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreaker {
  readonly state: BreakerState;
  /** May a request go to this adapter now? In half-open, only one trial at a time. */
  allow(): boolean;
  success(): void;
  failure(): void;
}

export function createCircuitBreaker(
  clock: Clock,
  options: { threshold?: number; openMs?: number } = {},
): CircuitBreaker {
  const threshold = options.threshold ?? 5;
  const openMs = options.openMs ?? 30_000;
  let failures = 0;
  let openedAt = 0;
  let state: BreakerState = 'closed';
  let trialInFlight = false;

  return {
    get state() {
      if (state === 'open' && clock.now().getTime() - openedAt >= openMs) state = 'half-open';
      return state;
    },
    allow() {
      const current = this.state;
      if (current === 'closed') return true;
      if (current === 'half-open' && !trialInFlight) {
        trialInFlight = true;
        return true;
      }
      return false;
    },
    success() {
      failures = 0;
      trialInFlight = false;
      state = 'closed';
    },
    failure() {
      trialInFlight = false;
      failures += 1;
      if (state === 'half-open' || failures >= threshold) {
        state = 'open';
        openedAt = clock.now().getTime();
      }
    },
  };
}
