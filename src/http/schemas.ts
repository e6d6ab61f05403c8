/** Shared zod schemas for the HTTP edge: one definition of each user-facing format. */
import { z } from 'zod';

/** No control characters in human text (names, references, reasons). */
const printable = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

export const nameSchema = printable(100);
export const referenceSchema = printable(64);
export const reasonSchema = printable(500);

/**
 * Koperasi codes are stored in lower case; phones capitalise the first letter, so any case is accepted and
 * lower-cased before the check ("KopDemo" is kopdemo).
 */
export const koperasiCodeSchema = z
  .string()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{1,31}$/, 'letters, digits and -, 2–32 characters');
export const usernameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, 'lowercase letters, digits, . _ -, 3–32 characters');
export const memberNoSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/, 'letters, digits and -, 1–32 characters');
export const passwordSchema = z.string().min(8, 'at least 8 characters').max(128);
export const pinSchema = z.string().regex(/^\d{6}$/, 'exactly 6 digits');

/**
 * A PIN anyone would guess first: one digit six times (111111) or a run up or down (123456, 987654).
 * Refused as a new PIN chosen by the member (PIN_TOO_SIMPLE), not at registration: the treasurer's
 * initial PIN is replaced at the first login anyway.
 */
export function isTooSimplePin(pin: string): boolean {
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => d - digits[i]!));
  return steps.size === 1 && [0, 1, -1].includes([...steps][0]!);
}
export const phoneSchema = z.string().regex(/^\+?\d{8,15}$/, '8–15 digits, optionally starting with +');

/** Largest amount the API accepts anywhere (Rp 1 trillion): anything above is absurd for one request. */
export const AMOUNT_CEILING = 1_000_000_000_000n;

/** Integer rupiah, as a JSON integer or a string of digits; never fractional, negative or absurd. */
export const amountSchema = z
  .union([
    z.number().int('must be a whole number of rupiah').positive('must be positive'),
    z.string().regex(/^\d{1,13}$/, 'digits only'),
  ])
  .transform((v) => BigInt(v))
  .refine((v) => v > 0n, 'must be positive')
  .refine((v) => v <= AMOUNT_CEILING, 'is too large');

export const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/** A date that exists (no 2026-02-30, no year 0), as PostgreSQL reads it. */
export const calendarDateSchema = dateSchema.refine((value) => {
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const at = new Date(Date.UTC(y, m - 1, d));
  return y >= 1 && at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d;
}, 'not a calendar date');

export const problemSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
  })
  .describe('application/problem+json');
