/**
 * Money is integer rupiah as `bigint`, everywhere. There are no cents in rupiah and never floats.
 */
export type Rupiah = bigint;

const GROUPS = /\B(?=(\d{3})+(?!\d))/g;

/** `Rp 1.234.567` — the Indonesian way (dot thousands separator). */
export function formatRupiah(amount: Rupiah): string {
  const negative = amount < 0n;
  const digits = (negative ? -amount : amount).toString().replace(GROUPS, '.');
  return `${negative ? '-' : ''}Rp ${digits}`;
}

/** JSON has no bigint. Amounts we emit are far below 2^53; refuse to silently lose precision. */
export function toJsonAmount(amount: Rupiah): number {
  if (amount > BigInt(Number.MAX_SAFE_INTEGER) || amount < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`amount ${amount} is too large for a JSON number`);
  }
  return Number(amount);
}

/** Values read from raw SQL arrive as strings (int8, numeric) or bigint; accept only integers. */
export function toRupiah(value: unknown): Rupiah {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new TypeError(`not an integer amount: ${String(value)}`);
}
