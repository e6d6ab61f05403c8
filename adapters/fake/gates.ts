/**
 * Gates of the fake adapter: hold matching calls until a test releases them, to exercise kills, timeouts and
 * concurrent duplicates deterministically.
 */
export type FakeMethod = 'inquiry' | 'pay' | 'status';

/** Holds matching calls until released. */
export interface FakeGate {
  /** Lets every held call, and every later one, through. */
  release(): void;
  /** Calls currently held. */
  readonly waiting: number;
  /** Resolves once `count` calls are being held. */
  entered(count?: number): Promise<void>;
}

interface Gate {
  method: FakeMethod;
  key: string;
  open: boolean;
  held: Array<() => void>;
  watchers: Array<{ count: number; resolve: () => void }>;
}

export interface Gates {
  hold(method: FakeMethod, key: string): FakeGate;
  /** Waits at the first closed gate for this method whose key is one of `keys`. */
  pass(method: FakeMethod, keys: readonly string[]): Promise<void>;
  /** Releases every held call and forgets all gates. */
  clear(): void;
}

export function createGates(): Gates {
  let gates: Gate[] = [];

  function open(gate: Gate): void {
    gate.open = true;
    for (const resume of gate.held.splice(0)) resume();
  }

  return {
    hold(method, key) {
      const gate: Gate = { method, key, open: false, held: [], watchers: [] };
      gates.push(gate);
      return {
        release: () => open(gate),
        get waiting() {
          return gate.held.length;
        },
        entered(count = 1) {
          if (gate.held.length >= count) return Promise.resolve();
          return new Promise<void>((resolve) => gate.watchers.push({ count, resolve }));
        },
      };
    },

    async pass(method, keys) {
      const gate = gates.find((g) => !g.open && g.method === method && keys.includes(g.key));
      if (gate === undefined) return;
      await new Promise<void>((resolve) => {
        gate.held.push(resolve);
        const ready = gate.watchers.filter((w) => gate.held.length >= w.count);
        gate.watchers = gate.watchers.filter((w) => gate.held.length < w.count);
        for (const watcher of ready) watcher.resolve();
      });
    },

    clear() {
      for (const gate of gates) open(gate);
      gates = [];
    },
  };
}
