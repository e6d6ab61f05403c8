/**
 * The member's saved numbers, read once and shared by the pay screen's chips, the payment's "Simpan nomor ini" and
 * the Akun list; any change there reloads them everywhere. Also the "Bayar lagi" link: the pay screen of a product
 * with the number (and months or token nominal) filled in, which runs the inquiry by itself.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { get } from './api';
import { href } from './router';
import type { SavedNumber } from './types';

type Listener = (items: SavedNumber[] | null) => void;
const listeners = new Set<Listener>();
let current: SavedNumber[] | null = null;
let loading: Promise<void> | undefined;

export function reloadSavedNumbers(): Promise<void> {
  loading = get<{ items: SavedNumber[] }>('/v1/me/saved-numbers')
    .then((page) => {
      current = page.items;
      for (const listener of listeners) listener(current);
    })
    .catch(() => undefined);
  return loading;
}

/** `items` is null until the first answer. */
export function useSavedNumbers(): { items: SavedNumber[] | null; reload: () => Promise<void> } {
  const [items, setItems] = useState<SavedNumber[] | null>(current);
  useEffect(() => {
    listeners.add(setItems);
    if (!loading) void reloadSavedNumbers();
    else setItems(current);
    return () => {
      listeners.delete(setItems);
    };
  }, []);
  return { items, reload: useCallback(() => reloadSavedNumbers(), []) };
}

/** Forget the cache (another member signs in on the same page). */
export function resetSavedNumbers(): void {
  current = null;
  loading = undefined;
}

export interface PayPrefill {
  customerNo: string;
  months?: number;
  amount?: number;
}

/** "#/bayar/PLN_POSTPAID?no=530000000001": the pay screen, filled in, checking the bill at once. */
export function payAgainHref(product: string, prefill: PayPrefill): string {
  const search = new URLSearchParams({ no: prefill.customerNo });
  if (prefill.months) search.set('bulan', String(prefill.months));
  if (prefill.amount) search.set('nominal', String(prefill.amount));
  return `${href('bayar', product)}?${search.toString()}`;
}

/** The prefill a "Bayar lagi" link carries, read from the location's hash. */
export function prefillOf(hash = location.hash): PayPrefill | undefined {
  const query = hash.split('?')[1];
  if (!query) return undefined;
  const search = new URLSearchParams(query);
  const customerNo = search.get('no') ?? '';
  if (!/^\d{6,20}$/.test(customerNo)) return undefined;
  const number = (name: string) => {
    const value = Number(search.get(name));
    return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  };
  return { customerNo, months: number('bulan'), amount: number('nominal') };
}

/** What "Bayar lagi" fills in for a payment: its number; a token's nominal (its bill amount); BPJS months. */
export function prefillFor(
  payment: { customerNo: string; product: string; billAmount: number; periods: string[] },
  savedMonths?: number | null,
): PayPrefill {
  return {
    customerNo: payment.customerNo,
    months:
      payment.product === 'BPJS_KESEHATAN'
        ? (savedMonths ?? (payment.periods.length || undefined))
        : undefined,
    amount: payment.product === 'PLN_PREPAID' ? payment.billAmount : undefined,
  };
}
