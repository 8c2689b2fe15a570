import type { Request, RequestHandler } from 'express';
import { ForbiddenError, UnauthorizedError } from './errors.ts';
import type { CurrentUser } from './current-user.ts';

type RoleName = CurrentUser['role'];

/** Signed-in users only; anonymous browsers are sent to the login page. */
export const requireUser: RequestHandler = (req, _res, next) => {
  if (!req.user) return next(new UnauthorizedError());
  next();
};

export function requireRole(...roles: RoleName[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) return next(new UnauthorizedError());
    if (!roles.includes(req.user.role)) return next(new ForbiddenError());
    next();
  };
}

/** The user a guard has already checked; throws if a route forgot its guard. */
export function currentUser(req: Request): CurrentUser {
  if (!req.user) throw new UnauthorizedError();
  return req.user;
}
