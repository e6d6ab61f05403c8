/**
 * The circuit breaker keeps a failing upstream out, then lets exactly one trial request through; a pay
 * it holds back is never sent (so it may fail over), a status it holds back proves nothing.
 */
import { describe, expect, it } from 'vitest';
import { createFakeAdapter } from '../../../adapters/fake/index.js';
import { createCircuitBreaker } from '../../../src/billers/breaker.js';
import { createLogger } from '../../../src/logger.js';
import { createMetrics } from '../../../src/metrics.js';
import { callPay, callStatus } from '../../../src/payments/upstream.js';

const target = { refId: 'R1', sku: 'pln', customerNo: '530000000000', amount: 102_500n };

function givenOpenBreaker() {
  let now = 0;
  const breaker = createCircuitBreaker({ now: () => new Date(now) }, { threshold: 2, openMs: 1_000 });
  breaker.failure();
  breaker.failure();
  return { breaker, advance: (ms: number) => (now += ms) };
}

describe('the circuit breaker', () => {
  it('opens after the threshold and lets one trial through once the open time has passed', () => {
    const { breaker, advance } = givenOpenBreaker();
    expect(breaker.state).toBe('open');
    expect(breaker.allow()).toBe(false);
    advance(1_000);
    expect(breaker.state).toBe('half-open');
    expect(breaker.allow()).toBe(true);
    expect(breaker.allow()).toBe(false);
    breaker.success();
    expect(breaker.state).toBe('closed');
    expect(breaker.allow()).toBe(true);
  });

  it('re-opens when the trial fails', () => {
    const { breaker, advance } = givenOpenBreaker();
    advance(1_000);
    expect(breaker.allow()).toBe(true);
    breaker.failure();
    expect(breaker.state).toBe('open');
  });
});

describe('calls behind the breaker', () => {
  const deps = { log: createLogger({ level: 'silent' }), metrics: createMetrics() };

  it('never sends a pay while the circuit is open, and says nothing was created', async () => {
    const adapter = createFakeAdapter({ name: 'digiflazz' });
    const { breaker } = givenOpenBreaker();
    const outcome = await callPay(deps, { adapter, breaker }, target);
    expect(outcome).toMatchObject({ kind: 'failed', transactionCreated: false, rc: 'CIRCUIT_OPEN' });
    expect(adapter.calls).toHaveLength(0);
  });

  it('sends only the one trial pay while half-open; the others are held back', async () => {
    const adapter = createFakeAdapter({ name: 'digiflazz' });
    const gate = adapter.hold('pay');
    const { breaker, advance } = givenOpenBreaker();
    advance(1_000);
    const trial = callPay(deps, { adapter, breaker }, target);
    const held = await callPay(deps, { adapter, breaker }, { ...target, refId: 'R2' });
    expect(held).toMatchObject({ kind: 'failed', transactionCreated: false });
    gate.release();
    expect((await trial).kind).toBe('success');
    expect(adapter.calls.filter((c) => c.method === 'pay')).toHaveLength(1);
  });

  it('answers a held-back status as unproven (suspect), never as a failure', async () => {
    const adapter = createFakeAdapter({ name: 'digiflazz' });
    const { breaker } = givenOpenBreaker();
    expect(await callStatus(deps, { adapter, breaker }, target)).toMatchObject({
      kind: 'suspect',
      rc: 'CIRCUIT_OPEN',
    });
    expect(adapter.calls).toHaveLength(0);
  });
});
