/**
 * One error type for everything the API refuses on purpose, with a stable machine code.
 * The code → HTTP status map is the single, exhaustive place statuses are decided.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'CURRENT_PASSWORD_WRONG',
  'PASSWORD_UNCHANGED',
  'PIN_UNCHANGED',
  'PIN_TOO_SIMPLE',
  'CREDENTIALS_CHANGE_REQUIRED',
  'FORBIDDEN',
  'NOT_FOUND',
  'KOPERASI_EXISTS',
  'MEMBER_EXISTS',
  'USERNAME_TAKEN',
  'MEMBER_NOT_FOUND',
  'IDEMPOTENCY_KEY_REQUIRED',
  'IDEMPOTENCY_CONFLICT',
  'AMOUNT_TOO_LARGE',
  'INSUFFICIENT_BALANCE',
  'PIN_INVALID',
  'PIN_LOCKED',
  'PRODUCT_UNKNOWN',
  'PRODUCT_CUT_OFF',
  'PRODUCT_UNAVAILABLE',
  'CUSTOMER_NOT_FOUND',
  'BILL_ALREADY_PAID',
  'BILL_NOT_AVAILABLE',
  'QUOTE_NOT_FOUND',
  'QUOTE_EXPIRED',
  'QUOTE_ALREADY_USED',
  'PAYMENT_NOT_FOUND',
  'PAYMENT_NOT_SUSPECT',
  'RECEIPT_NOT_AVAILABLE',
  'SAVED_NUMBER_EXISTS',
  'SAVED_NUMBERS_FULL',
  'DEPOSIT_ALREADY_CORRECTED',
  'SUBSCRIPTION_EXISTS',
  'SUBSCRIPTION_NOT_ACTIVE',
  'SUBSCRIPTION_NOT_PAUSED',
  'SUBSCRIPTION_CANCELLED',
  'KASIR_NOT_FOUND',
  'SHIFT_NOT_FOUND',
  'SHIFT_ALREADY_OPEN',
  'SHIFT_NOT_OPEN',
  'CASH_RETURN_PENDING',
  'CASH_ALREADY_RETURNED',
  'PAYMENT_NOT_RETURNABLE',
  'CASH_DRAWER_SHORT',
  'ADAPTER_UNKNOWN',
  'CALLBACK_REJECTED',
  'CALLBACK_SIGNATURE_INVALID',
  'SETTLEMENT_INVALID',
  'SETTLEMENT_NOT_AVAILABLE',
  'REPORT_DATE_INVALID',
  'RATE_LIMITED',
  'UPSTREAM_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function statusFor(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'MALFORMED_JSON':
    case 'IDEMPOTENCY_KEY_REQUIRED':
    case 'AMOUNT_TOO_LARGE':
    case 'REPORT_DATE_INVALID':
    case 'CALLBACK_REJECTED':
    case 'PASSWORD_UNCHANGED':
    case 'PIN_UNCHANGED':
    case 'PIN_TOO_SIMPLE':
      return 400;
    case 'UNAUTHENTICATED':
    case 'INVALID_CREDENTIALS':
    case 'CALLBACK_SIGNATURE_INVALID':
      return 401;
    case 'FORBIDDEN':
    case 'PIN_INVALID':
    case 'CURRENT_PASSWORD_WRONG':
    case 'CREDENTIALS_CHANGE_REQUIRED':
      return 403;
    case 'NOT_FOUND':
    case 'MEMBER_NOT_FOUND':
    case 'PRODUCT_UNKNOWN':
    case 'QUOTE_NOT_FOUND':
    case 'PAYMENT_NOT_FOUND':
    case 'ADAPTER_UNKNOWN':
    case 'SETTLEMENT_NOT_AVAILABLE':
    case 'KASIR_NOT_FOUND':
    case 'SHIFT_NOT_FOUND':
      return 404;
    case 'KOPERASI_EXISTS':
    case 'MEMBER_EXISTS':
    case 'USERNAME_TAKEN':
    case 'IDEMPOTENCY_CONFLICT':
    case 'QUOTE_ALREADY_USED':
    case 'PAYMENT_NOT_SUSPECT':
    case 'SAVED_NUMBER_EXISTS':
    case 'SAVED_NUMBERS_FULL':
    case 'DEPOSIT_ALREADY_CORRECTED':
    case 'SUBSCRIPTION_EXISTS':
    case 'SUBSCRIPTION_NOT_ACTIVE':
    case 'SUBSCRIPTION_NOT_PAUSED':
    case 'SUBSCRIPTION_CANCELLED':
    case 'SHIFT_ALREADY_OPEN':
    case 'SHIFT_NOT_OPEN':
    case 'CASH_RETURN_PENDING':
    case 'CASH_ALREADY_RETURNED':
    case 'PAYMENT_NOT_RETURNABLE':
      return 409;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'INSUFFICIENT_BALANCE':
    case 'PRODUCT_CUT_OFF':
    case 'PRODUCT_UNAVAILABLE':
    case 'CUSTOMER_NOT_FOUND':
    case 'BILL_ALREADY_PAID':
    case 'BILL_NOT_AVAILABLE':
    case 'QUOTE_EXPIRED':
    case 'RECEIPT_NOT_AVAILABLE':
    case 'SETTLEMENT_INVALID':
    case 'CASH_DRAWER_SHORT':
      return 422;
    case 'PIN_LOCKED':
      return 423;
    case 'RATE_LIMITED':
      return 429;
    case 'INTERNAL':
      return 500;
    case 'UPSTREAM_UNAVAILABLE':
    case 'SERVICE_UNAVAILABLE':
      return 503;
  }
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra members of the problem document (e.g. remainingAttempts, errors). Never secrets. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = statusFor(code);
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
