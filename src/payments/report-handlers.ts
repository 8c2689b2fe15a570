// The no-show report box on a paid booking: the form, the report made, or why not.
import type { Request, RequestHandler, Response } from 'express';
import type { Deps } from '../composition.ts';
import { currentUser } from '../lib/guards.ts';
import { redirect, render } from '../lib/render.ts';
import { parseForm } from '../lib/validation.ts';
import { reportSchema } from './packages-schemas.ts';
import { setFlash } from '../lib/flash.ts';

export function reportHandlers(deps: Deps) {
  const { reports } = deps.services;

  async function locals(req: Request, res: Response) {
    return { title: res.locals.t('payments.report.title'), ...(await reports.stateFor(currentUser(req).id, String(req.params.id))) };
  }

  const show: RequestHandler = async (req, res) => {
    render(req, res, 'payments/report', { ...(await locals(req, res)), values: {} }, { fragment: 'payments/_report' });
  };

  const create: RequestHandler = async (req, res) => {
    const input = parseForm(req, res, reportSchema, { view: 'payments/report', fragment: 'payments/_report', locals: await locals(req, res) });
    await reports.report(currentUser(req).id, String(req.params.id), input.note);
    setFlash(req, { kind: 'success', key: 'payments.report.sent' });
    redirect(req, res, `/bookings/${String(req.params.id)}`);
  };

  return { show, create };
}
