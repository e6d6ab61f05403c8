/**
 * Identifiers. Payments and quotes use UUIDv7 (time-ordered: index-friendly, sortable for cursors).
 * An upstream ref_id is the quote id's 32 hex digits: unique, alphanumeric, within every dialect's limit.
 */
import { v7 as uuidv7 } from 'uuid';

export const newId = (): string => uuidv7();

export const refIdFor = (quoteId: string): string => quoteId.replaceAll('-', '');

/** The ref of a failover attempt (attempt 2, 3…) at another adapter: still unique and ≤ 32 chars. */
export const failoverRefId = (baseRef: string, attemptNo: number): string =>
  `${baseRef.slice(0, 29)}F${attemptNo}`;
