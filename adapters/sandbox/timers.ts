/**
 * Every timer the sandbox starts (pending transitions, refunds, callback retries, latency and hang sleeps) goes
 * through here, so `close()` can stop them all: a closed sandbox leaves nothing running in the process.
 */
import type { Logger } from 'pino';

export interface Timers {
  /** Runs `task` after `ms` unless closed first. A task that throws is logged, never rethrown. */
  after(ms: number, task: () => void): void;
  /** Resolves after `ms`, or at once when the sandbox closes. */
  sleep(ms: number): Promise<void>;
  readonly closed: boolean;
  close(): void;
}

export function createTimers(log: Logger): Timers {
  const tasks = new Set<NodeJS.Timeout>();
  const sleepers = new Map<NodeJS.Timeout, () => void>();
  let closed = false;

  return {
    get closed() {
      return closed;
    },

    after(ms, task) {
      if (closed) return;
      const handle = setTimeout(() => {
        tasks.delete(handle);
        try {
          task();
        } catch (error) {
          log.error({ err: error }, 'sandbox timer task failed');
        }
      }, ms);
      // Timers alone never keep the process alive; the listening server does.
      handle.unref();
      tasks.add(handle);
    },

    sleep(ms) {
      if (closed || ms <= 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const handle = setTimeout(() => {
          sleepers.delete(handle);
          resolve();
        }, ms);
        handle.unref();
        sleepers.set(handle, resolve);
      });
    },

    close() {
      closed = true;
      for (const handle of tasks) clearTimeout(handle);
      tasks.clear();
      for (const [handle, wake] of sleepers) {
        clearTimeout(handle);
        wake();
      }
      sleepers.clear();
    },
  };
}
