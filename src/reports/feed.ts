/**
 * The treasurer's payment feed with its filters (product, member by number or name, WIB day) on top of the
 * status and attention filters of GET /v1/payments. It is listPaymentsIn (src/payments/service.ts) with the
 * filters passed through to the list query; it lives here only while the payment service is being rewritten,
 * and should fold into listPaymentsIn afterwards.
 */
import { wibDayRange } from '../clock.js';
import type { Deps } from '../deps.js';
import type { UserPrincipal } from '../auth/tokens.js';
import { type PaymentRow, listPaymentsFor } from '../payments/repository.js';
import { attentionBefore, decodeCursor, encodeCursor, scopeOf } from '../payments/service.js';
import { toPaymentView } from '../payments/view.js';

export interface FeedQuery {
  limit: number;
  cursor?: string;
  status?: PaymentRow['status'];
  attention?: boolean;
  product?: string;
  member?: string;
  date?: string;
}

export const hasFeedFilter = (q: FeedQuery) =>
  q.product !== undefined || q.member !== undefined || q.date !== undefined;

export async function listFeed(deps: Deps, principal: UserPrincipal, query: FeedQuery) {
  const cutoff = attentionBefore(deps);
  const rows = await listPaymentsFor(deps.db, scopeOf(principal), {
    limit: query.limit + 1,
    before: query.cursor ? decodeCursor(query.cursor) : undefined,
    status: query.attention ? undefined : query.status,
    attentionBefore: query.attention ? cutoff : undefined,
    product: query.product,
    member: query.member,
    // The schema let only calendar dates through, so the day range exists.
    span: query.date ? wibDayRange(query.date) : undefined,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((p) => toPaymentView(p, cutoff, principal.role !== 'member')),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
  };
}
