// The mentor's money pages: the payout account (onboarding on the provider's page and
// back), the cancellation policy, and the earnings with their CSV export.
import type { RequestHandler, Response } from 'express';
import { DateTime } from 'luxon';
import type { Deps } from '../composition.ts';
import type { Translate } from '../i18n/index.ts';
import { currentUser } from '../lib/guards.ts';
import { minorToDecimal } from '../lib/money.ts';
import { redirect, redirectAway, render } from '../lib/render.ts';
import { parseForm, parseQuery } from '../lib/validation.ts';
import { csvLine } from '../lib/csv.ts';
import { statusOf } from './payout-account-service.ts';
import { earningsQuerySchema, policySchema } from './payouts-schemas.ts';
import { setFlash } from '../lib/flash.ts';

export function payoutHandlers(deps: Deps) {
  const { payouts, policies, earnings } = deps.services;

  async function pageLocals(res: Response, mentorId: string) {
    const account = await payouts.of(mentorId);
    const policy = await policies.of(mentorId);
    return {
      title: (res.locals.t as Translate)('payouts.title'), status: statusOf(account), account, policy,
      values: { freeCancelHours: policy.freeCancelHours, lateRefundPercent: policy.lateRefundPercent },
    };
  }

  const page: RequestHandler = async (req, res) => {
    render(req, res, 'payments/payouts', await pageLocals(res, currentUser(req).id));
  };

  /** Creates the account the first time, then sends the mentor to the provider's form. */
  const startOnboarding: RequestHandler = async (req, res) => {
    redirectAway(req, res, await payouts.onboardingUrl(currentUser(req)));
  };

  const returned: RequestHandler = async (req, res) => {
    const row = await payouts.sync(currentUser(req).id);
    const status = statusOf(row);
    setFlash(req, status === 'ready' ? { kind: 'success', key: 'payouts.flash.ready' } : { kind: 'info', key: 'payouts.flash.incomplete' });
    redirect(req, res, '/payouts');
  };

  /** The provider's link expired or was used: a new one. */
  const refresh: RequestHandler = async (req, res) => {
    const mentor = currentUser(req);
    const row = await payouts.sync(mentor.id);
    if (!row) return redirect(req, res, '/payouts');
    redirectAway(req, res, await payouts.onboardingUrl(mentor));
  };

  const savePolicy: RequestHandler = async (req, res) => {
    const mentor = currentUser(req);
    const input = parseForm(req, res, policySchema, { view: 'payments/payouts', locals: await pageLocals(res, mentor.id) });
    await policies.update(mentor.id, input);
    setFlash(req, { kind: 'success', key: 'payouts.policy.saved' });
    redirect(req, res, '/payouts');
  };

  const earningsPage: RequestHandler = async (req, res) => {
    const mentor = currentUser(req);
    const { page: requested } = parseQuery(req, res, earningsQuerySchema);
    const zone = (res.locals.fmt as { timeZone: string }).timeZone;
    const [list, months] = await Promise.all([earnings.page(mentor.id, requested), earnings.months(mentor.id, zone)]);
    render(req, res, 'payments/earnings', { title: (res.locals.t as Translate)('earnings.title'), ...list, months });
  };

  const earningsCsv: RequestHandler = async (req, res) => {
    const mentor = currentUser(req);
    const t = res.locals.t as Translate;
    const zone = (res.locals.fmt as { timeZone: string }).timeZone;
    const rows = await earnings.all(mentor.id);
    const columns = ['date', 'student', 'skill', 'gross', 'fee', 'refunded', 'net', 'currency', 'status'] as const;
    let body = '\uFEFF' + csvLine(columns.map((c) => t(`earnings.csv.${c}`, { zone })));
    for (const r of rows) {
      body += csvLine([
        DateTime.fromJSDate(r.occurredAt, { zone }).toFormat('yyyy-MM-dd HH:mm'), r.studentName, r.skillTitle ?? '',
        minorToDecimal(r.gross), minorToDecimal(r.fee), minorToDecimal(r.refunded), minorToDecimal(r.net), r.currency, t(`earnings.status.${r.status}`),
      ]);
    }
    const today = DateTime.fromJSDate(deps.clock.now(), { zone }).toISODate();
    res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="earnings-${today}.csv"`, 'Cache-Control': 'private, no-store' });
    res.send(body);
  };

  return { page, startOnboarding, returned, refresh, savePolicy, earningsPage, earningsCsv };
}
