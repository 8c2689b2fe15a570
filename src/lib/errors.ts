// Domain errors carry an HTTP status, a stable machine code for JSON clients and a
// translation key for people. They are mapped to a response in one place:
// src/lib/error-handler.ts.
import type { FormHome } from './refused-form.ts';

export type FieldErrors = Record<string, string>;

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  /** Translation key of the message shown to people; params fill its {placeholders}. */
  constructor(
    readonly messageKey: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(messageKey);
    this.name = new.target.name;
  }
}

/** A rule's name as a JSON error code: `tooLate` → `too_late`, with an optional prefix (`reschedule_too_late`). */
export function ruleCode(rule: string, prefix?: string): string {
  const snake = rule.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return prefix ? `${prefix}_${snake}` : snake;
}

export class BadRequestError extends AppError {
  readonly status = 400;
  readonly code = 'bad_request';
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly code = 'unauthorized';
  constructor(messageKey = 'errors.unauthorized') {
    super(messageKey);
  }
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly code = 'forbidden';
  constructor(messageKey = 'errors.forbidden') {
    super(messageKey);
  }
}

export class CsrfError extends AppError {
  readonly status = 403;
  readonly code = 'csrf_invalid';
  constructor() {
    super('errors.csrf');
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'not_found';
  constructor(messageKey = 'errors.notFound') {
    super(messageKey);
  }
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly code: string = 'conflict';
}

/** An error whose API problem carries extra members (RFC 9457 extensions) a client acts on. */
export interface ProblemExtensions {
  readonly extensions: Record<string, unknown>;
}

export const hasExtensions = (error: AppError): error is AppError & ProblemExtensions =>
  typeof (error as Partial<ProblemExtensions>).extensions === 'object' && (error as Partial<ProblemExtensions>).extensions !== null;

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly code = 'payload_too_large';
}

/**
 * Invalid input. When `form` is given, the error handler re-renders that view with
 * the messages beside the fields and the submitted values kept.
 */
export class ValidationError extends AppError {
  readonly status: number = 422;
  readonly code = 'validation_failed';
  constructor(
    readonly fields: FieldErrors,
    readonly form?: { view: string; fragment?: string; locals: Record<string, unknown>; values: Record<string, unknown>; home?: FormHome },
  ) {
    super('errors.validation');
  }
}

/** Wrong credentials: shown like a form error, but a 401 so login throttling counts it. */
export class CredentialsError extends ValidationError {
  override readonly status = 401;
}

export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly code = 'too_many_requests';
  constructor(readonly retryAfterSeconds: number) {
    super('errors.tooManyRequests', { seconds: retryAfterSeconds });
  }
}

/** PostgreSQL error codes we map to domain errors. */
export const PG = {
  uniqueViolation: '23505',
  exclusionViolation: '23P01',
  checkViolation: '23514',
  foreignKeyViolation: '23503',
} as const;

export function pgCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; nativeError?: { code?: unknown } } | null;
  const code = e?.code ?? e?.nativeError?.code;
  return typeof code === 'string' ? code : undefined;
}

export function pgConstraint(error: unknown): string | undefined {
  const e = error as { constraint?: unknown; nativeError?: { constraint?: unknown } } | null;
  const c = e?.constraint ?? e?.nativeError?.constraint;
  return typeof c === 'string' ? c : undefined;
}

/** A body in a charset or Content-Encoding we do not read (utf-16, br, anything unknown). */
export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  readonly code = 'unsupported_media_type';
  constructor(messageKey = 'errors.unsupportedMediaType') {
    super(messageKey);
  }
}

/** The database (or another dependency we cannot work without) is out of reach for now. */
export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  readonly code = 'service_unavailable';
  constructor(readonly retryAfterSeconds = 5) {
    super('errors.unavailable');
  }
}

/**
 * A rule about one field that a service found broken (an email already used, a range
 * that overlaps another). Mapped once by the error handler: the form the handler was
 * parsing is shown again with the message beside that field; JSON gets `fields`.
 */
export abstract class FieldRuleError extends AppError {
  readonly status: number = 422;
  constructor(
    readonly field: string,
    messageKey: string,
    params: Record<string, string | number> = {},
  ) {
    super(messageKey, params);
  }
}
