/**
 * The scenario table (docs/upstream-wire.md §"Sandbox scenarios"): the last 4 digits of the customer number pick
 * what the upstream does, for every product, on every inquiry however often it was paid (duplicates are found by
 * ref_id only). The suffixes follow IAK's test numbers (…0000, …0999, …0001, …0014, …0103, …1037, …1039, …1105;
 * ppob.md §1.2) extended for the cases an adapter must survive (ppob.md §5).
 */

/** What an inquiry (or, for tokens, the top-up itself) finds about the customer. */
export type InquiryBehaviour = 'bill' | 'already-paid' | 'wrong-number' | 'bill-not-available' | 'hang';

/** What a payment does once accepted. */
export type PayBehaviour =
  | 'success'
  /** 1037: definitive failure. */
  | 'fail'
  /** 1039: pending → success after pendingMs. */
  | 'pending-success'
  /** 1040: pending → failed after pendingMs. */
  | 'pending-fail'
  /** 1099: pending with the unmapped rc 99 → success after pendingMs. */
  | 'pending-unmapped'
  /** 1042: HTTP 504 and nothing recorded. */
  | 'lost'
  /** 1105: recorded as success, answered HTTP 500 or a reset socket. */
  | 'misc'
  /** 1074: success, refunded after refundMs. */
  | 'refund';

export interface Scenario {
  suffix: string;
  inquiry: InquiryBehaviour;
  pay: PayBehaviour;
  /** Bill periods (arrears included) an inquiry finds. */
  periods: number;
}

const TABLE: Readonly<Record<string, Omit<Scenario, 'suffix'>>> = {
  '0002': { inquiry: 'bill', pay: 'success', periods: 2 },
  '0999': { inquiry: 'bill', pay: 'success', periods: 4 },
  '0001': { inquiry: 'already-paid', pay: 'success', periods: 1 },
  '0014': { inquiry: 'wrong-number', pay: 'success', periods: 1 },
  '0060': { inquiry: 'bill-not-available', pay: 'success', periods: 1 },
  '0103': { inquiry: 'hang', pay: 'success', periods: 1 },
  '1037': { inquiry: 'bill', pay: 'fail', periods: 1 },
  '1039': { inquiry: 'bill', pay: 'pending-success', periods: 1 },
  '1040': { inquiry: 'bill', pay: 'pending-fail', periods: 1 },
  '1042': { inquiry: 'bill', pay: 'lost', periods: 1 },
  '1105': { inquiry: 'bill', pay: 'misc', periods: 1 },
  '1074': { inquiry: 'bill', pay: 'refund', periods: 1 },
  '1099': { inquiry: 'bill', pay: 'pending-unmapped', periods: 1 },
};

/** Any other suffix behaves like 0000: one period, immediate success. */
const DEFAULT: Omit<Scenario, 'suffix'> = { inquiry: 'bill', pay: 'success', periods: 1 };

export function scenarioFor(customerNo: string): Scenario {
  const suffix = customerNo.slice(-4);
  return { suffix, ...(TABLE[suffix] ?? DEFAULT) };
}

/** Pay behaviours that leave the transaction pending for pendingMs. */
export function isPendingBehaviour(pay: PayBehaviour): boolean {
  return pay === 'pending-success' || pay === 'pending-fail' || pay === 'pending-unmapped';
}
