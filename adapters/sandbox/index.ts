/**
 * The sandbox upstream: a small Fastify app speaking both upstream dialects (Digiflazz under `/digiflazz`, IAK under
 * `/iak`) with the scenario table, deposit, callbacks and settlement files of docs/upstream-wire.md, plus control
 * routes under `/_sandbox`. `npm start` runs it in-process; tests and benchmarks use it over real HTTP.
 *
 * All state is in memory; all randomness is seeded (`seed`); time is the sandbox clock (`clock`, `setClock`).
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { z } from 'zod';
import { createCallbackDispatcher } from './callbacks.js';
import type { Dialect } from './catalog.js';
import type { SandboxContext } from './context.js';
import { registerControlRoutes } from './control-routes.js';
import { renderCallback as renderDigiflazzCallback } from './digiflazz-render.js';
import { registerDigiflazzRoutes } from './digiflazz-routes.js';
import { renderCallback as renderIakCallback } from './iak-render.js';
import { registerIakRoutes } from './iak-routes.js';
import { createLifecycle } from './lifecycle.js';
import {
  knobsOf,
  knobsPatchSchema,
  sandboxOptionsSchema,
  type SandboxKnobs,
  type SandboxOptions,
} from './options.js';
import { createRandom } from './prng.js';
import { renderSettlementCsv } from './settlement.js';
import { settlementRows } from './settlement-rows.js';
import { collectStats, type SandboxStats } from './stats.js';
import { createStore } from './store.js';
import { createTimers } from './timers.js';
import { collectTruth, type SandboxTruth } from './truth.js';

export { sandboxOptionsSchema, type SandboxKnobs, type SandboxOptions } from './options.js';
export type { SandboxKnobsPatch } from './options.js';
export type { DialectStats, RefStats, SandboxStats } from './stats.js';
export type { CallbackNotice, CallbackStats } from './callbacks.js';
export type { DialectTruth, SandboxTruth, TruthTransaction } from './truth.js';
export type { Dialect } from './catalog.js';
export {
  SETTLEMENT_COLUMNS,
  renderSettlementCsv,
  type SettlementRow,
  type SettlementTotals,
} from './settlement.js';
export { writeSyntheticSettlement, type SyntheticSettlementOptions } from './synthetic-settlement.js';
export { quoteBill, type Quote } from './pricing.js';
export { scenarioFor, type Scenario } from './scenarios.js';

export interface Sandbox {
  /** Routes registered; not listening. */
  app: FastifyInstance;
  /** Listens and returns the base URL, e.g. http://127.0.0.1:PORT (port 0 = any free port). */
  listen(port: number, host?: string): Promise<string>;
  /** Stops the server and every timer (pending transitions, refunds, callback retries, sleeps). */
  close(): Promise<void>;
  setCallbackUrl(dialect: Dialect, url: string | undefined): void;
  /** Freezes the sandbox clock at `now`; undefined = back to the `clock` option or the real time. */
  setClock(now: Date | undefined): void;
  /** Changes latency, fault, timing, callback, settlement or fee knobs at run time. */
  configure(patch: Partial<SandboxKnobs>): void;
  stats(): SandboxStats;
  /** Every transaction, deposit and callback as the upstreams know them (`GET /_sandbox/truth`). */
  truth(): SandboxTruth;
}

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const parsed = sandboxOptionsSchema.safeParse(options);
  if (!parsed.success) throw new Error(`invalid sandbox options:\n${z.prettifyError(parsed.error)}`);
  const config = parsed.data;
  const log = config.logger ?? pino({ level: 'silent' });
  const baseClock = config.clock ?? (() => new Date());
  let frozen: Date | undefined;
  const timers = createTimers(log);

  const ctx: SandboxContext = {
    knobs: knobsOf(config),
    seed: config.seed,
    credentials: config.credentials,
    log,
    random: createRandom(config.seed),
    timers,
    now: () => (frozen !== undefined ? new Date(frozen.getTime()) : baseClock()),
    stores: {
      digiflazz: createStore('digiflazz', config.initialDeposit),
      iak: createStore('iak', config.initialDeposit),
    },
    notify: (txn, event, expectsUpdate) => callbacks.notify(txn, event, expectsUpdate),
  };
  const callbacks = createCallbackDispatcher(ctx, {
    digiflazz: (txn, event) =>
      renderDigiflazzCallback(
        txn,
        event,
        ctx.stores.digiflazz.balance(),
        config.credentials.digiflazz.webhookSecret,
        ctx.random,
      ),
    iak: (txn) => renderIakCallback(txn, ctx.stores.iak.balance(), config.credentials.iak),
  });

  // Request logging off: hundreds of payments a second must not mean hundreds of log lines.
  const loggerInstance: FastifyBaseLogger = log;
  const app = Fastify({
    loggerInstance,
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
  });
  registerDigiflazzRoutes(app, ctx, createLifecycle(ctx, 'digiflazz'));
  registerIakRoutes(app, ctx, createLifecycle(ctx, 'iak'));

  const configure = (patch: Partial<SandboxKnobs>): SandboxKnobs => {
    const checked = knobsPatchSchema.parse(patch);
    ctx.knobs = { ...ctx.knobs, ...checked };
    return ctx.knobs;
  };
  const setClock = (now: Date | undefined) => {
    frozen = now === undefined ? undefined : new Date(now.getTime());
  };
  const setCallbackUrl = (dialect: Dialect, url: string | undefined) => callbacks.setUrl(dialect, url);
  const truth = () => collectTruth(ctx, (dialect, refId) => callbacks.notices(dialect, refId));
  registerControlRoutes(app, {
    stats: (includeRefs) => collectStats(ctx, (dialect) => callbacks.stats(dialect), includeRefs),
    truth,
    settlement: (dialect, date) => renderSettlementCsv(settlementRows(ctx, dialect, date)),
    setClock,
    now: () => ctx.now(),
    configure,
    setCallbackUrl,
  });

  return {
    app,
    async listen(port, host = '127.0.0.1') {
      await app.listen({ port, host });
      const address = app.server.address();
      if (address === null || typeof address === 'string') throw new Error('sandbox is not listening on TCP');
      const shown =
        host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
      return `http://${shown}:${address.port}`;
    },
    async close() {
      timers.close();
      callbacks.close();
      await app.close();
    },
    setCallbackUrl,
    setClock,
    configure: (patch) => void configure(patch),
    stats: () => collectStats(ctx, (dialect) => callbacks.stats(dialect)),
    truth,
  };
}
