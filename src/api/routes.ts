// The public API, /api/v1. Each feature declares its operations in its own `api.ts`
// (route + validation + OpenAPI entry in one declaration; src/api-modules.ts lists
// them); this file puts the shared access layer in front of them and serves the contract.
import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { createApiBuilder, type ApiBuilder } from '../lib/api/operation.ts';
import { createApiRegistry } from '../lib/api/openapi.ts';
import { NotFoundError } from '../lib/errors.ts';
import { apiAuthentication, apiCors, apiRateLimit } from './access.ts';
import { apiDocsRoutes } from './docs.ts';

/** What each feature's api.ts exports: it adds its operations to the builder. */
export type ApiModule = (deps: Deps, api: ApiBuilder) => void;

export function apiRoutes(deps: Deps, modules: ApiModule[]): Router {
  const registry = createApiRegistry();
  const v1 = Router();
  v1.use(apiCors(deps), apiRateLimit(deps, 'ip'), apiAuthentication(deps), apiRateLimit(deps, 'account'));
  const api = createApiBuilder(v1, registry, deps.services.idempotency);
  for (const register of modules) register(deps, api);
  v1.use((_req, _res, next) => next(new NotFoundError('api.notFound')));

  const router = Router();
  router.use(apiDocsRoutes(registry));
  router.use('/api/v1', v1);
  return router;
}
