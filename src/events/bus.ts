/**
 * Live events (payment status and balance changes) over Redis pub/sub, fanned out by each API
 * process to its SSE clients. Best effort by design: a client that reconnects re-reads state from the
 * API, which stays the single source of truth. Published after the DB commit that caused them.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

export type LiveEvent =
  | {
      type: 'payment';
      koperasiId: string;
      /** Null for a cash payment by a non-member at the counter. */
      memberId: string | null;
      paymentId: string;
      status: string;
      product: string;
      total: number;
      at: string;
    }
  | { type: 'balance'; koperasiId: string; memberId: string; balance: number; available: number; at: string }
  | {
      type: 'notification';
      koperasiId: string;
      /** The member it is for; null: for the koperasi's staff. */
      memberId: string | null;
      id: string;
      kind: string;
      title: string;
      at: string;
    };

export interface EventBus {
  /** Publish events in order, in one round trip to Redis. */
  publish(...events: LiveEvent[]): Promise<void>;
  subscribe(listener: (event: LiveEvent) => void): () => void;
  close(): Promise<void>;
}

export function createEventBus(options: {
  publisher: Redis;
  createSubscriber: () => Redis;
  channel: string;
  log: Logger;
}): EventBus {
  const listeners = new Set<(event: LiveEvent) => void>();
  let subscriber: Redis | undefined;

  const ensureSubscribed = () => {
    if (subscriber) return;
    const sub = options.createSubscriber();
    subscriber = sub;
    sub.on('error', (err: Error) => options.log.warn({ err }, 'event subscriber error'));
    sub.on('message', (_channel: string, message: string) => {
      let event: LiveEvent;
      try {
        event = JSON.parse(message) as LiveEvent;
      } catch {
        return;
      }
      for (const listener of listeners) listener(event);
    });
    sub
      .subscribe(options.channel)
      .catch((err: unknown) => options.log.warn({ err }, 'event subscribe failed'));
  };

  return {
    async publish(...events) {
      try {
        if (events.length === 1) await options.publisher.publish(options.channel, JSON.stringify(events[0]));
        else {
          const pipeline = options.publisher.pipeline();
          for (const event of events) pipeline.publish(options.channel, JSON.stringify(event));
          await pipeline.exec();
        }
      } catch (err) {
        // Live updates are a convenience; the committed state is already safe in Postgres.
        options.log.warn({ err, types: events.map((e) => e.type) }, 'event publish failed');
      }
    },
    subscribe(listener) {
      ensureSubscribed();
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      if (subscriber) {
        subscriber.disconnect();
        subscriber = undefined;
      }
    },
  };
}
