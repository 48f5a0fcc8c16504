import { ErrorReasons, type ApiErrorBody, type ErrorCode, type ErrorReason, type FieldIssue } from '../../types/api';

/** The one error type a function throws on purpose; anything else is reported as INTERNAL. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: FieldIssue[],
    readonly extra: { reason?: ErrorReason; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ApiErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.issues ? { issues: this.issues } : {}),
      ...(this.extra.reason ? { reason: this.extra.reason } : {}),
      ...(this.extra.retryAfterSeconds !== undefined ? { retryAfterSeconds: this.extra.retryAfterSeconds } : {}),
    };
  }
}

/** Bad input: one message naming every field (`field: message; …`) and the issues themselves. */
export const invalidInput = (issues: FieldIssue[]) => new ApiError('INVALID_INPUT', issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);

export const notFound = (what: string) => new ApiError('NOT_FOUND', `${what} not found`);
export const forbidden = (why: string) => new ApiError('FORBIDDEN', why);
/** A refusal the app explains in its own words; `message` is the English detail for developers. */
export const refused = (reason: ErrorReason, message: string) => new ApiError(ErrorReasons[reason], message, undefined, { reason });
