/**
 * Pintu's own SQLSTATEs (class PN): one per assertion the database makes, raised by pintu_assert() inside a
 * statement or by the ledger's triggers (migrations/0005_distinct_sqlstates.sql). The application tells them
 * apart by code, never by message text.
 */
export const SQLSTATE = {
  /** The payment's quote was claimed by another request (the acceptance statement). */
  quoteClaimed: 'PN001',
  /** The member's PIN is locked (the acceptance statement). */
  pinLocked: 'PN002',
  /**
   * The payer is not as the API remembered it (the acceptance statement's remembered-PIN path): the PIN or the
   * savings account changed, or the member is gone. The API then checks the member from scratch.
   */
  payerChanged: 'PN003',
  /** An UPDATE, DELETE or TRUNCATE on an append-only table. */
  appendOnly: 'PN010',
  /** A journal transaction does not balance in a book it touches. */
  unbalanced: 'PN011',
  /** A journal transaction has fewer than two entries. */
  tooFewEntries: 'PN012',
  /** A balance row's non-negative flag differs from its account's. */
  balanceFlag: 'PN013',
} as const;

export type Assertion = keyof typeof SQLSTATE;

const BY_CODE = new Map<string, Assertion>(
  Object.entries(SQLSTATE).map(([name, code]) => [code, name as Assertion]),
);

/** The SQLSTATE of a database error, whether pg's own or wrapped by drizzle (in `cause`). */
export function sqlStateOf(error: unknown): string | undefined {
  for (
    let e = error, depth = 0;
    e && typeof e === 'object' && depth < 3;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** Which of Pintu's database assertions `error` is, if any. */
export function assertionOf(error: unknown): Assertion | undefined {
  const code = sqlStateOf(error);
  return code === undefined ? undefined : BY_CODE.get(code);
}
