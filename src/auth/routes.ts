import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { authHandlers } from './handlers.ts';
import { formRateLimit, registerRateLimit } from './rate-limits.ts';

export function authRoutes(deps: Deps): Router {
  const h = authHandlers(deps);
  const router = Router();
  router.get('/register', h.registerForm);
  router.post('/register', registerRateLimit(deps), h.register);
  router.get('/login', h.loginForm);
  router.post('/login', h.login);
  router.post('/logout', h.logout);
  router.get('/password-resets/new', h.forgotForm);
  router.post('/password-resets', formRateLimit(deps, 'reset', 10, 60 * 60 * 1000), h.requestReset);
  router.get('/password-resets/:token', h.resetForm);
  router.post('/password-resets/:token', h.reset);
  return router;
}
