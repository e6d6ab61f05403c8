/**
 * Money is integer rupiah as `bigint`, everywhere. There are no cents in rupiah and never floats.
 */
export type Rupiah = bigint;

const GROUPS = /\B(?=(\d{3})+(?!\d))/g;

/**
 * `Rp 1.234.567` — the Indonesian way (dot thousands separator). The one rupiah formatter: the server (struk,
 * reports, CLI) passes bigint, the web app the integer numbers of the API's JSON.
 */
export function formatRupiah(amount: Rupiah | number): string {
  const whole = typeof amount === 'bigint' ? amount : BigInt(Math.trunc(amount));
  const negative = whole < 0n;
  const digits = (negative ? -whole : whole).toString().replace(GROUPS, '.');
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
