// /subscription: the plans, or my subscription's state; subscribing (the provider's
// checkout page); "Manage my subscription" (the provider's portal). Buying a course
// lives here too: both are the platform selling its own content.
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { Deps } from '../composition.ts';
import { NotFoundError } from '../lib/errors.ts';
import { currentUser } from '../lib/guards.ts';
import { redirectAway, render } from '../lib/render.ts';
import { parseForm } from '../lib/validation.ts';

const planSchema = z.object({ plan: z.enum(['monthly', 'yearly'], { error: 'subscriptions.planRequired' }) });

export function subscriptionHandlers(deps: Deps) {
  const { subscriptions, coursePayments, catalog } = deps.services;

  /** The signed-in user's own row: the shadow admin has none, so nothing to buy. */
  function buyer(req: Request) {
    const user = currentUser(req);
    if (!user.record) throw new NotFoundError();
    return user;
  }

  async function pageLocals(req: Request, res: Response) {
    const [plans, mine] = await Promise.all([subscriptions.plans(), subscriptions.current(currentUser(req).id)]);
    return { title: res.locals.t('subscriptions.title'), plans, mine };
  }

  const show: RequestHandler = async (req, res) => {
    render(req, res, 'payments/subscription', await pageLocals(req, res));
  };

  const checkout: RequestHandler = async (req, res) => {
    const user = buyer(req);
    const { plan } = parseForm(req, res, planSchema, { view: 'payments/subscription', locals: await pageLocals(req, res) });
    const started = await subscriptions.start({ ...user, locale: res.locals.locale as string }, plan);
    redirectAway(req, res, started.url);
  };

  const portal: RequestHandler = async (req, res) => {
    const user = buyer(req);
    redirectAway(req, res, await subscriptions.portal(user.id, res.locals.locale as string));
  };

  const buyCourse: RequestHandler = async (req, res) => {
    const user = buyer(req);
    const course = await catalog.findBySlug(String(req.params.slug), { id: user.id, role: user.role });
    const started = await coursePayments.start({ ...user, locale: res.locals.locale as string }, course);
    redirectAway(req, res, started.url);
  };

  return { show, checkout, portal, buyCourse };
}
