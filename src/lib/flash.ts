import type { RequestHandler } from 'express';
import { takeRefusedForm } from './refused-form.ts';

/** One-shot messages after a redirect ("Profile saved"). Read once, then gone. */
export const flash: RequestHandler = (req, res, next) => {
  if (req.session?.flash) {
    res.locals.flash = req.session.flash;
    delete req.session.flash;
  }
  takeRefusedForm(req, res);
  next();
};
