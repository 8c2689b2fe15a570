// One API operation = one route + its OpenAPI entry, from one declaration: the zod
// schemas that validate the path, query and body are the ones the document shows, and
// the guard, the idempotency and the caching it declares are the ones it gets.
import type { Request, Response, Router } from 'express';
import type { ZodObject, ZodType } from 'zod';
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { CurrentUser } from '../current-user.ts';
import { ForbiddenError, UnauthorizedError, UnsupportedMediaTypeError, ValidationError } from '../errors.ts';
import { fieldErrors } from '../validation.ts';

type Translate = Parameters<typeof fieldErrors>[1];
import { requestHash, type IdempotencyStore, type StoredAnswer } from './idempotency.ts';
import { Problem, z, type ApiRegistry } from './openapi.ts';

type Role = CurrentUser['role'];
export type Access = 'public' | 'user' | Role[];

export interface ApiAnswer { status?: number; body?: unknown; headers?: Record<string, string> }

export interface OperationSpec<P extends ZodObject | undefined, Q extends ZodObject | undefined, B extends ZodType | undefined> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI style, under /api/v1: `/skills/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** Success answers (errors are documented from `errors`). */
  responses: Record<number, { description: string; schema?: ZodType; headers?: Record<string, ZodType> }>;
  /** The problem statuses this operation may answer besides the common ones. */
  errors?: number[];
  /** A creating POST: an Idempotency-Key header replays the first answer. */
  idempotent?: boolean;
  /** Cache-Control of a success (default: no-store); public GETs also answer If-None-Match with 304 (ETag). */
  cacheControl?: string;
  /** Another path of the same operation (the source specifications' names). */
  aliasOf?: string;
  deprecated?: boolean;
  handler(input: {
    params: P extends ZodObject ? z.infer<P> : Record<string, never>;
    query: Q extends ZodObject ? z.infer<Q> : Record<string, never>;
    body: B extends ZodType ? z.infer<B> : undefined;
    user: CurrentUser | undefined;
    req: Request;
    res: Response;
  }): Promise<ApiAnswer>;
}

export interface ApiBuilder {
  router: Router;
  registry: ApiRegistry;
  operation<P extends ZodObject | undefined = undefined, Q extends ZodObject | undefined = undefined, B extends ZodType | undefined = undefined>(spec: OperationSpec<P, Q, B>): void;
}

const PROBLEM_TEXT: Record<number, string> = {
  400: 'Malformed request', 401: 'Not signed in, or the token expired', 403: 'Not allowed for this account',
  404: 'Not found', 409: 'Conflict with the current state', 413: 'Body too large', 422: 'Invalid input',
  429: 'Too many requests', 503: 'Temporarily unavailable',
};

function parsePart<S extends ZodType>(schema: S | undefined, value: unknown, t: Translate): unknown {
  if (!schema) return {};
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw new ValidationError(fieldErrors(result.error, t));
  return result.data;
}

function guard(access: Access, user: CurrentUser | undefined): void {
  if (access === 'public') return;
  if (!user) throw new UnauthorizedError();
  if (Array.isArray(access) && !access.includes(user.role)) throw new ForbiddenError();
}

function send(res: Response, answer: StoredAnswer, cacheControl: string): void {
  for (const [name, value] of Object.entries(answer.headers)) res.set(name, value);
  res.set('Cache-Control', cacheControl);
  if (answer.status === 204 || answer.body === undefined) {
    res.status(answer.status).end();
    return;
  }
  // Express adds a weak ETag to a JSON body and answers a matching If-None-Match with 304.
  res.status(answer.status).json(answer.body);
}

/** Who an idempotency key belongs to: the account, else the address (sign-up). */
function keyScope(req: Request): string {
  return req.user ? `user:${req.user.id}` : `ip:${req.ip ?? 'unknown'}`;
}

export function createApiBuilder(router: Router, registry: ApiRegistry, idempotency: IdempotencyStore): ApiBuilder {
  return {
    router,
    registry,
    operation(spec) {
      registerDocument(registry, spec);
      const expressPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
      const cacheControl = spec.cacheControl ?? 'no-store';
      router[spec.method](expressPath, async (req, res) => {
        guard(spec.access, req.user);
        const t = res.locals.t as Translate;
        const params = parsePart(spec.params, req.params, t);
        const query = parsePart(spec.query, req.query, t);
        if (spec.body && !req.is('application/json')) throw new UnsupportedMediaTypeError('api.jsonRequired');
        const body = spec.body ? parsePart(spec.body, req.body, t) : undefined;
        const run = async (): Promise<StoredAnswer> => {
          const answer = await spec.handler({ params, query, body, user: req.user, req, res } as Parameters<typeof spec.handler>[0]);
          return { status: answer.status ?? 200, body: answer.body, headers: answer.headers ?? {} };
        };
        const key = spec.idempotent ? req.get('idempotency-key') : undefined;
        if (key === undefined) {
          send(res, await run(), cacheControl);
          return;
        }
        const claim = await idempotency.claim(keyScope(req), key, requestHash(req.method, req.path, req.body));
        if (claim.kind === 'replay') {
          res.set('Idempotent-Replayed', 'true');
          send(res, claim.answer, cacheControl);
          return;
        }
        let answer: StoredAnswer;
        try {
          answer = await run();
        } catch (error) {
          await claim.release();
          throw error;
        }
        await claim.finish(answer);
        send(res, answer, cacheControl);
      });
    },
  };
}

function registerDocument(registry: ApiRegistry, spec: OperationSpec<ZodObject | undefined, ZodObject | undefined, ZodType | undefined>): void {
  const problem = { 'application/problem+json': { schema: Problem } };
  const statuses = new Set<number>([...(spec.errors ?? []), ...(spec.access === 'public' ? [] : [401]), ...(Array.isArray(spec.access) ? [403] : []), ...(spec.params || spec.query || spec.body ? [422] : []), ...(spec.body ? [415] : []), 429]);
  if (spec.idempotent) statuses.add(422);
  const responses: RouteConfig['responses'] = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    responses[status] = {
      description: r.description,
      ...(r.headers ? { headers: z.object(r.headers) } : {}),
      ...(r.schema ? { content: { 'application/json': { schema: r.schema } } } : {}),
    };
  }
  for (const status of [...statuses].sort()) responses[status] = { description: PROBLEM_TEXT[status] ?? 'Problem', content: problem };
  if (spec.method === 'get' && spec.cacheControl) responses['304'] = { description: 'Not modified (If-None-Match matched the ETag)' };
  const headers = spec.idempotent
    ? z.object({ 'Idempotency-Key': z.string().min(1).max(255).optional().openapi({ description: 'Any unique string (a UUID): the same key and body replay the first answer for 24 hours; another body with the key is a 422.' }) })
    : undefined;
  registry.registerPath({
    method: spec.method,
    path: spec.path,
    operationId: spec.operationId,
    summary: spec.summary,
    description: [spec.description, spec.aliasOf ? `Alias of \`${spec.aliasOf}\`, kept for clients written against the original specification.` : ''].filter(Boolean).join('\n\n') || undefined,
    tags: spec.tags,
    deprecated: spec.deprecated,
    security: spec.access === 'public' ? [] : [{ bearerAuth: [] }, { cookieAuth: [] }],
    request: {
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.query ? { query: spec.query } : {}),
      ...(headers ? { headers } : {}),
      ...(spec.body ? { body: { required: true, content: { 'application/json': { schema: spec.body } } } } : {}),
    },
    responses,
  });
}
