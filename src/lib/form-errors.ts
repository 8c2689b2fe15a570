// Errors that belong beside one field of a form. A service throws a FieldRuleError
// (lib/errors.ts); the error handler shows it beside its field in the form parseForm
// was given. Pages whose form is built only on error (it costs queries), or whose
// input is named otherwise, wrap the call in `besideField` instead.
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Translate } from '../i18n/index.ts';
import { FieldRuleError, ValidationError, type FieldErrors } from './errors.ts';
import { fieldErrors } from './validation.ts';

/** The page a refused form re-renders: its view, its data, the values typed. */
export interface FormPage {
  view: string;
  fragment?: string;
  locals: Record<string, unknown>;
  values: Record<string, unknown>;
}

/**
 * Runs `run`; a FieldRuleError becomes `page` re-rendered with its message beside
 * `field` (default: the error's own field, for forms whose inputs are named after it).
 */
export async function besideField<T>(res: Response, page: () => FormPage | Promise<FormPage>, run: () => T | Promise<T>, field?: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof FieldRuleError)) throw error;
    const t = res.locals.t as Translate;
    throw new ValidationError({ [field ?? error.field]: t(error.messageKey, error.params) }, await page());
  }
}

/**
 * parseForm for one of several forms on a page: the schema's fields are named
 * `keys[field]` in the page (so two forms' "title" do not share a message). The
 * values kept are the page's own, or else the typed ones under their keys.
 */
export function parseSubForm<S extends z.ZodType>(req: Request, res: Response, schema: S, keys: Record<string, string>, page: Omit<FormPage, 'values'> & { values?: Record<string, unknown> }): z.infer<S> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fields: FieldErrors = {};
  for (const [field, message] of Object.entries(fieldErrors(result.error, res.locals.t as Translate))) fields[keys[field] ?? field] = message;
  const values = page.values ?? Object.fromEntries(Object.entries(keys).map(([field, key]) => [key, body[field]]));
  throw new ValidationError(fields, { ...page, values });
}
