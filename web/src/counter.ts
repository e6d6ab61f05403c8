/** The counter (loket) as the web app sees it: the API's shapes (src/counter/schemas.ts) and how they read. */
import type { Payment, Quote } from './types';

export interface Kasir {
  id: string;
  username: string;
  name: string;
  phone: string | null;
  role: 'kasir';
  disabled: boolean;
  disabledAt: string | null;
  mustChangePassword: boolean;
  openShiftId: string | null;
  createdAt: string;
}

interface CashLine {
  count: number;
  total: number;
}

export interface Shift {
  id: string;
  kasirId: string;
  kasirName: string;
  status: 'open' | 'closed';
  openingFloat: number;
  openedAt: string;
  closedAt: string | null;
  expected: number;
  counted: number | null;
  difference: number | null;
  closeNote: string | null;
  closedBy: string | null;
  cash: Record<'taken' | 'succeeded' | 'failed' | 'processing' | 'returned', CashLine>;
  savings: CashLine;
}

export interface CashToReturn {
  paymentId: string;
  product: string;
  customerNo: string;
  payerName: string | null;
  total: number;
  status: 'failed' | 'refunded';
  createdAt: string;
}

export interface CurrentShift {
  shift: Shift | null;
  cashToReturn: CashToReturn[];
}

export interface Movement {
  txId: string;
  at: string;
  kind: 'counter_float' | 'counter_cash_in' | 'counter_cash_return' | 'counter_close';
  amount: number;
  balanceAfter: number;
  paymentId: string | null;
  product: string | null;
  customerNo: string | null;
  status: string | null;
}

export type ShiftDetail = Shift & { movements: Movement[] };

export type CounterQuote = Quote & { member: { memberNo: string; name: string; pinLocked: boolean } | null };

export interface CounterPayments {
  items: Payment[];
  cashToReturn: CashLine;
}

/** Tutup hari's counter section (GET /v1/closing → counter). */
export interface CounterClosing {
  payments: Record<'cash' | 'savings', { count: number; total: number; fee: number; failed: number }>;
  cash: {
    shifts: number;
    openShifts: number;
    floats: number;
    taken: number;
    returned: number;
    expected: number;
    counted: number;
    difference: number;
    owed: number;
  };
}

export const MOVEMENT_LABELS: Record<Movement['kind'], string> = {
  counter_float: 'Modal awal laci',
  counter_cash_in: 'Terima tunai',
  counter_cash_return: 'Uang dikembalikan',
  counter_close: 'Tutup shift (setor ke kas)',
};

/** "Kurang Rp 5.000", "Lebih Rp 1.000", "Pas". */
export function differenceText(difference: number, rupiah: (n: number) => string): string {
  if (difference === 0) return 'Pas (tidak ada selisih)';
  return difference < 0 ? `Kurang ${rupiah(-difference)}` : `Lebih ${rupiah(difference)}`;
}

/** wa.me wants the number in international form without "+": 0812… → 62812…. */
export function waPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.startsWith('0') ? `62${digits.slice(1)}` : digits;
}
