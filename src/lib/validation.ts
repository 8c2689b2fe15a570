// zod schemas describe input; this turns their issues into translated messages keyed
// by field, so a form re-renders with each message beside its field.
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Translate } from '../i18n/index.ts';
import { ValidationError, type FieldErrors } from './errors.ts';
import type { FormHome } from './refused-form.ts';

/** For z.preprocess: an empty or blank form field counts as not given. */
export const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/**
 * For z.preprocess before z.coerce.number: a typed whole number is digits only, so
 * "1e1", "0x10" and "12.5" are refused rather than read as 10, 16 and 12.5.
 */
export const digitsOnly = (v: unknown) => (typeof v === 'string' && v.trim() !== '' && !/^\s*-?\d+\s*$/.test(v) ? Number.NaN : v);

/** Messages: schemas may set `error: 'some.key'`; otherwise the issue code picks one. */
function messageFor(issue: z.core.$ZodIssue, t: Translate): string {
  if (issue.message && /^[a-z]+\.[A-Za-z.]+$/.test(issue.message)) return t(issue.message, issue as unknown as Record<string, string | number>);
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? t('validation.required') : t('validation.tooShort', { min: Number(issue.minimum) });
      return t('validation.tooSmall', { min: Number(issue.minimum) });
    case 'too_big':
      if (issue.origin === 'string') return t('validation.tooLong', { max: Number(issue.maximum) });
      return t('validation.tooBig', { max: Number(issue.maximum) });
    case 'invalid_format':
      if (issue.format === 'email') return t('validation.email');
      if (issue.format === 'url') return t('validation.url');
      return t('validation.format');
    case 'invalid_type':
      return t('validation.required');
    case 'invalid_value':
      return t('validation.choice');
    default:
      return t('validation.format');
  }
}

export function fieldErrors(error: z.ZodError, t: Translate): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    // Forms are flat: an issue inside a list ("durations.0") belongs to its field.
    const name = issue.path.length ? String(issue.path[0]) : '_form';
    fields[name] ??= messageFor(issue, t);
  }
  return fields;
}

export interface FormContext {
  view: string;
  fragment?: string;
  locals?: Record<string, unknown>;
  /** The page the form lives on: a browser's refused form goes back there (lib/refused-form.ts). */
  home?: FormHome;
}

/** What a re-rendered form shows again: the submitted fields, never the token or a password. */
export function formValues(req: Request): Record<string, unknown> {
  const { _csrf: _omit, password: _pw, passwordConfirm: _pc, ...values } = (req.body ?? {}) as Record<string, unknown>;
  return values;
}

/**
 * Parses a form body; on failure throws a ValidationError that re-renders `form`. The
 * form is also remembered for the request, so that a field rule a service breaks later
 * (FieldRuleError) is shown beside its field in the same form by the error handler.
 */
export function parseForm<S extends z.ZodType>(req: Request, res: Response, schema: S, form?: FormContext): z.infer<S> {
  if (form) res.locals.formContext = form;
  const result = schema.safeParse(req.body ?? {});
  if (result.success) return result.data;
  throw new ValidationError(
    fieldErrors(result.error, res.locals.t as Translate),
    form && { view: form.view, fragment: form.fragment, locals: form.locals ?? {}, values: formValues(req), home: form.home },
  );
}

/** For a rule checked after parsing (uniqueness, a wrong current password...). */
export function fieldError(req: Request, res: Response, field: string, key: string, form?: FormContext): ValidationError {
  const t = res.locals.t as Translate;
  return new ValidationError({ [field]: t(key) }, form && { view: form.view, fragment: form.fragment, locals: form.locals ?? {}, values: formValues(req), home: form.home });
}

/** Parses a query string for JSON/API routes (no form to re-render). */
export function parseQuery<S extends z.ZodType>(req: Request, res: Response, schema: S): z.infer<S> {
  const result = schema.safeParse(req.query);
  if (result.success) return result.data;
  throw new ValidationError(fieldErrors(result.error, res.locals.t as Translate));
}

/**
 * 'YYYY-MM-DD' that names a real day: the format regexes accept 2026-13-45 or
 * 2026-02-30, which PostgreSQL would then refuse (22008) as a server error.
 */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** 'YYYY-MM-DDThh:mm' (a datetime-local field) on a real day at a real time of day. */
export function isLocalDateTime(value: string): boolean {
  const m = /^\d{4}-\d{2}-\d{2}T(\d{2}):(\d{2})$/.exec(value);
  return !!m && isCalendarDate(value) && Number(m[1]) < 24 && Number(m[2]) < 60;
}
