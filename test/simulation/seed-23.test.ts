/**
 * The seeded ground-truth simulation, seed 23, 40 s of load with every fault kind: Pintu's verdicts must agree
 * with what the upstream really did (no violations). One seed per file so vitest runs them beside other files.
 */
import { describe, expect, it } from 'vitest';
import { EVERY_FAULT, hasFaketime, runSimulation } from './run-seed.js';

describe.skipIf(!hasFaketime)('simulation, seed 23', () => {
  it('finds no violation of the refund rule, the balances or the ledger', async () => {
    const result = await runSimulation(23, 40);
    console.log(JSON.stringify(result.summary));
    expect(result.violations).toEqual([]);
    expect(result.summary.violations).toBe(0);
    expect(result.summary.payments).toBeGreaterThan(30);
    for (const kind of EVERY_FAULT) expect(result.summary.faults[kind], kind).toBeGreaterThan(0);
    expect(result.code).toBe(0);
  }, 600_000);
});
