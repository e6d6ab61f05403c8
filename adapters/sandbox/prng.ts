/**
 * Seeded randomness. Every random choice the sandbox makes (fault and latency draws, callback knobs,
 * tokens, serial numbers) comes from mulberry32 seeded by the `seed` option, so a run can be replayed.
 * Not cryptographic, and not meant to be.
 */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability `p`; draws nothing when p ≤ 0, so a knob at 0 leaves the sequence alone. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** `count` decimal digits (leading zeros allowed). */
  digits(count: number): string;
  /** A version-4-shaped UUID (X-Digiflazz-Delivery). */
  uuid(): string;
}

/** mulberry32 (Tommy Ettinger): a 32-bit state PRNG, fast and good enough for simulations. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** FNV-1a over the parts (joined by NUL): a stable 32-bit hash for deterministic per-key choices. */
export function hash32(...parts: ReadonlyArray<string | number>): number {
  let hash = 0x811c9dc5;
  const text = parts.join('\u0000');
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // One avalanche round: FNV's low bits are weak for keys that differ only in their last digit.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
}

export function createRandom(seed: number): Random {
  const next = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const hex = (count: number) => {
    let out = '';
    for (let i = 0; i < count; i++) out += int(0, 15).toString(16);
    return out;
  };
  return {
    next,
    int,
    chance: (p) => p > 0 && next() < p,
    pick<T>(items: readonly T[]): T {
      const item = items[int(0, items.length - 1)];
      if (item === undefined) throw new RangeError('pick from an empty list');
      return item;
    },
    digits(count) {
      let out = '';
      for (let i = 0; i < count; i++) out += String(int(0, 9));
      return out;
    },
    uuid() {
      const variant = '89ab'[int(0, 3)] ?? '8';
      return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
    },
  };
}

/** A PRNG of its own for one key (e.g. one ref_id): the same seed and key give the same values in any order. */
export function randomFor(seed: number, ...key: ReadonlyArray<string | number>): Random {
  return createRandom(hash32(seed, ...key));
}
