/** The API's JSON shapes the web app reads (see the zod schemas under src/ and /docs/json). */

export type Role = 'treasurer' | 'member';
export type PaymentStatus = 'processing' | 'success' | 'failed' | 'suspect' | 'refunded';

export interface TokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  role: Role;
  expiresIn: number;
}

export interface Me {
  id: string;
  role: Role;
  username: string;
  name: string;
  phone: string | null;
  koperasi: { id: string; code: string; name: string };
  memberNo?: string;
  balance?: number;
  available?: number;
  pinLocked?: boolean;
}

export interface Product {
  code: string;
  name: string;
  category: 'electricity' | 'water' | 'health';
  kind: 'bill' | 'token';
  customerNoHint: string;
  denominations: number[] | null;
  months: { min: number; max: number } | null;
  koperasiFee: number;
  cutOff: { active: boolean; start: string; end: string } | null;
}

export interface Period {
  period: string;
  amount: number;
  penalty: number;
  admin: number;
}

export interface Quote {
  id: string;
  product: string;
  customerNo: string;
  customerName: string;
  periods: Period[];
  months: number | null;
  denomination: number | null;
  billAmount: number;
  penalty: number;
  adminFee: number;
  koperasiFee: number;
  total: number;
  details: Record<string, string>;
  expiresAt: string;
}

export interface Payment {
  id: string;
  status: PaymentStatus;
  product: string;
  memberNo: string;
  customerNo: string;
  customerName: string;
  periods: string[];
  billAmount: number;
  penalty: number;
  adminFee: number;
  koperasiFee: number;
  total: number;
  upstreamRef: string | null;
  token: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  /** When the outcome became uncertain. */
  suspectSince: string | null;
  /** Suspect for longer than the server's SUSPECT_ALERT_MINUTES: a person should resolve it. */
  needsAttention: boolean;
  createdAt: string;
  finishedAt: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Member {
  id: string;
  memberNo: string;
  name: string;
  phone: string | null;
  balance: number;
  available: number;
  pinLocked: boolean;
  createdAt: string;
}

export interface DepositResult {
  memberNo: string;
  amount: number;
  reference: string;
  transactionId: string;
  balance: number;
  available: number;
}

export interface Fee {
  product: string;
  amount: number;
  isDefault: boolean;
  updatedAt: string | null;
}

export interface ReconItem {
  adapter: string;
  ref_id: string;
  payment_id: string | null;
  class: string;
  action: string;
  our_status: string | null;
  upstream_status: string | null;
  note: string | null;
  run_at: string;
}

/** What GET /v1/events sends (the koperasi id is stripped by the server). */
export type LiveEvent =
  | {
      type: 'payment';
      memberId: string;
      paymentId: string;
      status: PaymentStatus;
      product: string;
      total: number;
      at: string;
    }
  | { type: 'balance'; memberId: string; balance: number; available: number; at: string }
  | { type: 'ready'; role: Role; at: string };
