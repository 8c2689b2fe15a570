// /admin/payments: the grid of every payment (server-rendered: sortable, filterable,
// paged, readable at 390 px) and one payment's page with the admin's corrections.
import type { Request, RequestHandler, Response } from 'express';
import type { Deps } from '../composition.ts';
import { ADMIN_ID } from '../lib/current-user.ts';
import { currentUser } from '../lib/guards.ts';
import { redirect, render } from '../lib/render.ts';
import { parseForm, parseQuery } from '../lib/validation.ts';
import { PURPOSES, SORTS, STATUSES } from './admin-payments-service.ts';
import { paymentsQuerySchema, reasonOnlySchema, refundSchema, resolutionSchema } from './packages-schemas.ts';
import { setFlash } from '../lib/flash.ts';

export function adminPaymentsHandlers(deps: Deps) {
  const { adminPayments } = deps.services;
  // refunds.created_by and booking_reports.resolved_by reference users: the shadow admin is none.
  const by = (req: Request) => (currentUser(req).id === ADMIN_ID ? null : currentUser(req).id);

  const page: RequestHandler = async (req, res) => {
    const query = parseQuery(req, res, paymentsQuerySchema);
    const result = await adminPayments.list(query);
    render(req, res, 'payments/admin-payments', { title: res.locals.t('payments.admin.title'), query, ...result, statuses: STATUSES, purposes: PURPOSES, sorts: Object.keys(SORTS) });
  };

  async function detailLocals(req: Request, res: Response, form?: string) {
    return { title: res.locals.t('payments.admin.paymentTitle'), ...(await adminPayments.detail(String(req.params.id))), openForm: form };
  }

  const show: RequestHandler = async (req, res) => {
    render(req, res, 'payments/admin-payment', { ...(await detailLocals(req, res)), values: {} });
  };

  const done = (req: Request, res: Response, key: string) => {
    setFlash(req, { kind: 'success', key });
    redirect(req, res, `/admin/payments/${String(req.params.id)}`);
  };

  const refund: RequestHandler = async (req, res) => {
    const input = parseForm(req, res, refundSchema, { view: 'payments/admin-payment', locals: await detailLocals(req, res, 'refund') });
    await adminPayments.refund(by(req), String(req.params.id), input.amount, input.reason);
    done(req, res, 'payments.admin.refundQueued');
  };

  const resolve: RequestHandler = async (req, res) => {
    const input = parseForm(req, res, resolutionSchema);
    await adminPayments.resolveReport(by(req), String(req.params.reportId), input.outcome);
    done(req, res, `payments.admin.report.${input.outcome}`);
  };

  const refundPackage: RequestHandler = async (req, res) => {
    const input = parseForm(req, res, reasonOnlySchema, { view: 'payments/admin-payment', locals: await detailLocals(req, res, 'package') });
    await adminPayments.refundPackage(by(req), String(req.params.purchaseId), input.reason);
    done(req, res, 'payments.admin.packageRefunded');
  };

  return { page, show, refund, resolve, refundPackage };
}
