/**
 * A transaction is one connection, and one connection runs one statement at a time: pg 8 queues a second
 * statement sent before the first answered (with a deprecation warning), pg 9 refuses it. The settlement looks up
 * its accounts inside its own transaction, the first time from PostgreSQL (the ledger's cache is empty).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withTransaction } from '../../src/db/client.js';
import { createLedger } from '../../src/ledger/index.js';
import { settlementAccountIds } from '../../src/payments/settle.js';
import { type GivenKoperasi, type TestApp, givenApp, givenKoperasi } from '../helpers/app.js';

let t: TestApp;
let kop: GivenKoperasi;

beforeAll(async () => {
  t = await givenApp();
  kop = await givenKoperasi(t);
});

afterAll(async () => {
  await t?.close();
});

it("looks up a settlement's accounts one statement after another inside its transaction", async () => {
  const warnings: string[] = [];
  const listen = (warning: Error) => warnings.push(warning.message);
  process.on('warning', listen);
  try {
    const cold = { ledger: createLedger() };
    const ids = await withTransaction(t.deps.db, (tx) =>
      settlementAccountIds(cold, tx, { koperasiId: kop.id, adapter: 'digiflazz' }),
    );
    // The same accounts a warm cache outside any transaction gives.
    expect(ids).toEqual(
      await settlementAccountIds(t.deps, t.deps.db, { koperasiId: kop.id, adapter: 'digiflazz' }),
    );
    await new Promise((resolve) => setImmediate(resolve)); // process warnings are emitted on the next tick
  } finally {
    process.off('warning', listen);
  }
  expect(warnings.filter((message) => message.includes('already executing a query'))).toEqual([]);
});
