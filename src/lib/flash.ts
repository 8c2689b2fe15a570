import type { RequestHandler } from 'express';
import { takeRefusedForm } from './refused-form.ts';
import { existingSession } from './session.ts';

/** One-shot messages after a redirect ("Profile saved"). Read once, then gone. */
export const flash: RequestHandler = (req, res, next) => {
  const s = existingSession(req);
  if (s?.flash) {
    res.locals.flash = s.flash;
    delete s.flash;
  }
  takeRefusedForm(req, res);
  next();
};
