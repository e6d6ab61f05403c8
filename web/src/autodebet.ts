/**
 * Autodebet (langganan) and notifications in the web app: the API's shapes, the words for a subscription's state,
 * and the member's unread count, kept live (a `notification` event adds one; a reconnect re-reads it).
 */
import { useEffect, useState } from 'preact/hooks';
import { get, post } from './api';
import { useLiveEvents } from './live-context';

export type SubscriptionStatus = 'active' | 'paused' | 'cancelled';

export interface RunSummary {
  period: string;
  status: 'pending' | 'paid' | 'skipped';
  outcome: string | null;
  outcomeText: string;
  nextTryAt: string | null;
}

export interface Subscription {
  id: string;
  memberNo: string;
  memberName: string;
  product: string;
  productName: string;
  customerNo: string;
  nickname: string;
  months: number | null;
  dayOfMonth: number;
  maxAmount: number;
  status: SubscriptionStatus;
  nextDueDate: string | null;
  thisMonth: RunSummary | null;
  needsAttention: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Run extends RunSummary {
  id: string;
  tries: number;
  lastTriedAt: string | null;
  payment: { id: string; status: string; total: number } | null;
  failedPaymentIds: string[];
}

export interface SubscriptionDetail extends Subscription {
  runs: Run[];
}

export interface NotificationItem {
  id: string;
  kind: string;
  title: string;
  body: string;
  subscriptionId: string | null;
  paymentId: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationPage {
  items: NotificationItem[];
  unread: number;
  nextCursor: string | null;
}

export const STATUS_WORDS: Record<SubscriptionStatus, string> = {
  active: 'Aktif',
  paused: 'Jeda',
  cancelled: 'Berhenti',
};

/** "2026-03-10" → "10 Mar 2026". */
export function dueDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];
  return `${d} ${months[m - 1] ?? ''} ${y}`;
}

/** "Tanggal 10 setiap bulan"; 29–31 fall on the last day of shorter months. */
export function dayWords(day: number): string {
  return day >= 29 ? `Tanggal ${day} (atau hari terakhir bulan)` : `Tanggal ${day} setiap bulan`;
}

type Listener = (unread: number) => void;
const listeners = new Set<Listener>();
let unread = 0;

function setUnread(value: number) {
  unread = Math.max(0, value);
  for (const listener of listeners) listener(unread);
}

/** Re-reads the member's unread count (after reading the list, or a reconnect). */
export async function reloadUnread(): Promise<void> {
  try {
    setUnread((await get<NotificationPage>('/v1/me/notifications?limit=1')).unread);
  } catch {
    // The bell keeps its last count; the list screen says what went wrong.
  }
}

export async function markAllRead(): Promise<void> {
  const result = await post<{ marked: number; unread: number }>('/v1/me/notifications/read', { all: true });
  setUnread(result.unread);
}

/** The member's unread count, live. */
export function useUnread(): number {
  const [count, setCount] = useState(unread);
  useEffect(() => {
    listeners.add(setCount);
    void reloadUnread();
    return () => {
      listeners.delete(setCount);
    };
  }, []);
  useLiveEvents((event) => {
    if (event.type === 'notification') setUnread(unread + 1);
    else if (event.type === 'ready') void reloadUnread();
  });
  return count;
}
