/** What every part of the sandbox shares: knobs, time, randomness, timers, the two upstreams' books. */
import type { Logger } from 'pino';
import type { Dialect } from './catalog.js';
import type { Credentials, SandboxKnobs } from './options.js';
import type { Random } from './prng.js';
import type { DialectStore, Txn } from './store.js';
import type { Timers } from './timers.js';

export type CallbackEvent = 'create' | 'update';

export interface SandboxContext {
  /** Replaced as a whole by configure(); read it at the moment of use. */
  knobs: SandboxKnobs;
  readonly seed: number;
  readonly credentials: Credentials;
  readonly log: Logger;
  /** The sequential stream: fault, latency and callback-knob draws. */
  readonly random: Random;
  readonly timers: Timers;
  now(): Date;
  readonly stores: Readonly<Record<Dialect, DialectStore>>;
  /** Queues a callback for the transaction's current state; never blocks, never throws. */
  notify(txn: Txn, event: CallbackEvent, expectsUpdate: boolean): void;
}
