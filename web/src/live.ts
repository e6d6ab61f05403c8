/**
 * GET /v1/events as a live feed. EventSource cannot send an Authorization header, so this reads the
 * event stream with fetch and a body reader, parses it (sse-parser.ts), and reconnects with
 * exponential backoff and jitter when the stream ends, fails or goes silent (the server writes a
 * keep-alive comment every 15 s). Every `ready` (first connect and each reconnect) tells listeners
 * to re-read state from the API: events missed while disconnected are not replayed.
 */
import { createSseParser } from './sse-parser';
import type { LiveEvent } from './types';

export type LiveState = 'connecting' | 'open' | 'retrying' | 'closed';
export type LiveListener = (event: LiveEvent) => void;

const SILENCE_MS = 45_000;
const MAX_BACKOFF_MS = 30_000;

export class LiveConnection {
  state: LiveState = 'connecting';
  private readonly listeners = new Set<LiveListener>();
  private readonly stateListeners = new Set<(state: LiveState) => void>();
  private controller: AbortController | undefined;
  private wake: (() => void) | undefined;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly token: string,
    private readonly onUnauthorized: () => void,
    private readonly url = '/v1/events',
  ) {}

  start(): void {
    window.addEventListener('online', this.reconnectNow);
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.reconnectNow);
    this.controller?.abort();
    this.wake?.();
    this.setState('closed');
  }

  on(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onState(listener: (state: LiveState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Back online: skip the rest of the backoff. */
  private readonly reconnectNow = () => {
    this.failures = 0;
    this.wake?.();
  };

  private setState(state: LiveState) {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private emit(event: LiveEvent) {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // One screen's bug must not silence the others; surface it without breaking the loop.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const unauthorized = await this.connectOnce();
      if (unauthorized) {
        this.stop();
        this.onUnauthorized();
        return;
      }
      if (this.stopped) return;
      this.setState('retrying');
      this.failures++;
      const base = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** Math.min(this.failures - 1, 5));
      await this.sleep(base / 2 + Math.random() * (base / 2));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** One connection, until it ends. Returns true when the token was refused. */
  private async connectOnce(): Promise<boolean> {
    const controller = new AbortController();
    this.controller = controller;
    let silence: ReturnType<typeof setTimeout> | undefined;
    const heard = () => {
      clearTimeout(silence);
      silence = setTimeout(() => controller.abort(), SILENCE_MS);
    };
    try {
      heard();
      const response = await fetch(this.url, {
        headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' },
        cache: 'no-store',
        signal: controller.signal,
      });
      if (response.status === 401) return true;
      if (!response.ok || !response.body) return false;
      const parse = createSseParser(({ event, data }) => {
        let payload: Record<string, unknown>;
        try {
          payload = JSON.parse(data) as Record<string, unknown>;
        } catch {
          return;
        }
        if (event === 'ready') {
          this.failures = 0;
          this.setState('open');
        }
        this.emit({ ...payload, type: event } as LiveEvent);
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        heard();
        parse(value);
      }
    } catch {
      // aborted, offline, reset: reconnect below
    } finally {
      clearTimeout(silence);
      controller.abort();
    }
    return false;
  }
}
