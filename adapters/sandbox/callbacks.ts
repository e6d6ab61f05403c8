/**
 * Callback (webhook) delivery. Digiflazz posts `create` when a pay is answered and `update` on later transitions
 * (developer.digiflazz.com/api/buyer/webhook); IAK posts its signed body on the same events (api.iak.id/api/prepaid/
 * callback; IAK documents no postpaid callback, so the sandbox uses the prepaid shape for both).
 *
 * Delivery never blocks a request and never throws: a non-2xx answer or a network error is retried after each
 * `callbackRetryMs` wait (ppob.md §5: 5 s, 30 s, 2 min, 10 min; at most 5 tries). Knobs: `dupRate` delivers the
 * same delivery (same delivery id) twice, `outOfOrderRate` holds a `create` back until the transaction's
 * `update` has gone out, `dropRate` never sends it.
 */
import type { Logger } from 'pino';
import type { Dialect } from './catalog.js';
import type { CallbackEvent, SandboxContext } from './context.js';
import type { Txn } from './store.js';

export interface RenderedCallback {
  body: string;
  headers: Record<string, string>;
}

export type CallbackRenderer = (txn: Txn, event: CallbackEvent) => RenderedCallback;

export interface CallbackStats {
  queued: number;
  attempts: number;
  delivered: number;
  failedAttempts: number;
  /** Gave up after the last try. */
  abandoned: number;
  dropped: number;
  duplicated: number;
  heldForOrder: number;
}

/**
 * One callback the upstream meant to send about a ref, and what became of it: the ground truth a simulation
 * needs to tell "Pintu was told and ignored it" from "Pintu was never told".
 */
export interface CallbackNotice {
  event: CallbackEvent;
  /** The transaction's state the callback reports. */
  state: Txn['state'];
  /** `queued` until the first try ends; `held` while waiting for its `update` (out-of-order knob). */
  fate: 'queued' | 'held' | 'delivered' | 'dropped' | 'abandoned' | 'retrying';
  tries: number;
}

export interface CallbackDispatcher {
  setUrl(dialect: Dialect, url: string | undefined): void;
  notify(txn: Txn, event: CallbackEvent, expectsUpdate: boolean): void;
  stats(dialect: Dialect): CallbackStats;
  /** Every callback meant for this ref, oldest first (empty when none, e.g. no URL was set). */
  notices(dialect: Dialect, refId: string): readonly CallbackNotice[];
  close(): void;
}

const MAX_TRIES = 5;
const DELIVERY_TIMEOUT_MS = 10_000;

const emptyStats = (): CallbackStats => ({
  queued: 0,
  attempts: 0,
  delivered: 0,
  failedAttempts: 0,
  abandoned: 0,
  dropped: 0,
  duplicated: 0,
  heldForOrder: 0,
});

export function createCallbackDispatcher(
  ctx: Pick<SandboxContext, 'knobs' | 'random' | 'timers'> & { readonly log: Logger },
  renderers: Readonly<Record<Dialect, CallbackRenderer>>,
): CallbackDispatcher {
  const urls: Partial<Record<Dialect, string>> = {};
  const counters: Record<Dialect, CallbackStats> = { digiflazz: emptyStats(), iak: emptyStats() };
  /** `create` deliveries held back until the ref's `update` is sent (out-of-order knob). */
  const held = new Map<string, () => void>();
  const log = new Map<string, Array<CallbackNotice & { refId: string }>>();
  const aborter = new AbortController();

  /** One try; resolves when it has been answered or has failed (a retry is scheduled, not awaited). */
  async function attempt(
    dialect: Dialect,
    url: string,
    rendered: RenderedCallback,
    notice: CallbackNotice & { refId: string },
    tryNo: number,
  ): Promise<void> {
    if (ctx.timers.closed) return;
    const { refId } = notice;
    const stats = counters[dialect];
    stats.attempts += 1;
    notice.tries += 1;
    const retry = (why: string) => {
      stats.failedAttempts += 1;
      const waits = ctx.knobs.callbackRetryMs;
      if (tryNo + 1 >= Math.min(MAX_TRIES, waits.length + 1)) {
        stats.abandoned += 1;
        if (notice.fate !== 'delivered') notice.fate = 'abandoned';
        ctx.log.warn({ dialect, refId, tries: tryNo + 1, why }, 'sandbox callback abandoned');
        return;
      }
      if (notice.fate !== 'delivered') notice.fate = 'retrying';
      const wait = waits[tryNo] ?? 0;
      ctx.timers.after(wait, () => void attempt(dialect, url, rendered, notice, tryNo + 1));
    };
    await fetch(url, {
      method: 'POST',
      headers: rendered.headers,
      body: rendered.body,
      signal: AbortSignal.any([aborter.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
    })
      .then(async (response) => {
        // Drain the body so the keep-alive socket is reusable.
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) {
          stats.delivered += 1;
          notice.fate = 'delivered';
        } else retry(`HTTP ${response.status}`);
      })
      .catch((error: unknown) => {
        if (!ctx.timers.closed) retry(error instanceof Error ? error.name : 'network error');
      });
  }

  /** Resolves when the first try (and its duplicate, if drawn) has been answered. */
  async function send(
    dialect: Dialect,
    url: string,
    rendered: RenderedCallback,
    notice: CallbackNotice & { refId: string },
  ): Promise<void> {
    const stats = counters[dialect];
    if (ctx.random.chance(ctx.knobs.dropRate)) {
      stats.dropped += 1;
      notice.fate = 'dropped';
      return;
    }
    notice.fate = 'queued';
    const duplicate = ctx.random.chance(ctx.knobs.dupRate);
    await attempt(dialect, url, rendered, notice, 0);
    if (duplicate) {
      stats.duplicated += 1;
      await attempt(dialect, url, rendered, notice, 0);
    }
  }

  function record(dialect: Dialect, txn: Txn, event: CallbackEvent): CallbackNotice & { refId: string } {
    const notice: CallbackNotice & { refId: string } = {
      refId: txn.refId,
      event,
      state: txn.state,
      fate: 'queued',
      tries: 0,
    };
    const key = `${dialect}:${txn.refId}`;
    const list = log.get(key);
    if (list === undefined) log.set(key, [notice]);
    else list.push(notice);
    return notice;
  }

  return {
    setUrl(dialect, url) {
      urls[dialect] = url;
    },

    notify(txn, event, expectsUpdate) {
      const url = urls[txn.dialect];
      if (url === undefined || ctx.timers.closed) return;
      const dialect = txn.dialect;
      counters[dialect].queued += 1;
      // Rendered now: a callback reports the state at its event, not at its (possibly later) delivery.
      const rendered = renderers[dialect](txn, event);
      const notice = record(dialect, txn, event);
      const key = `${dialect}:${txn.refId}`;
      if (event === 'create' && expectsUpdate && ctx.random.chance(ctx.knobs.outOfOrderRate)) {
        counters[dialect].heldForOrder += 1;
        notice.fate = 'held';
        held.set(key, () => void send(dialect, url, rendered, notice));
        return;
      }
      const late = event === 'update' ? held.get(key) : undefined;
      if (late !== undefined) held.delete(key);
      // Off the request path: the answer goes out first. A held `create` follows its `update`'s first try.
      setImmediate(() => {
        void send(dialect, url, rendered, notice).then(late);
      });
    },

    stats: (dialect) => ({ ...counters[dialect] }),

    notices: (dialect, refId) =>
      (log.get(`${dialect}:${refId}`) ?? []).map(({ refId: _ref, ...notice }) => ({ ...notice })),

    close() {
      held.clear();
      aborter.abort();
    },
  };
}
