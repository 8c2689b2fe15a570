// RFC 9457 problem details: the API's one error shape (application/problem+json).
// `errors` lists each invalid field; `instance` is the request id the logs carry.
import type { Request, Response } from 'express';
import type { FieldErrors } from '../errors.ts';

export const API_PREFIX = '/api/v1';

export function isApiRequest(req: Request): boolean {
  const url = req.originalUrl;
  return url === API_PREFIX || url.startsWith(`${API_PREFIX}/`) || url.startsWith(`${API_PREFIX}?`);
}

export interface ProblemInput {
  status: number;
  code: string;
  title: string;
  detail: string;
  requestId: string;
  fields?: FieldErrors;
  /** Extension members; the standard ones always win. */
  extensions?: Record<string, unknown>;
}

export function sendProblem(req: Request, res: Response, p: ProblemInput): void {
  const base = String(req.app.locals.appUrl ?? '');
  res.status(p.status).type('application/problem+json').send(JSON.stringify({
    ...p.extensions,
    type: `${base}/problems/${p.code}`,
    title: p.title,
    status: p.status,
    detail: p.detail,
    instance: p.requestId,
    code: p.code,
    ...(p.fields ? { errors: Object.entries(p.fields).map(([name, reason]) => ({ name, reason })) } : {}),
  }));
}
