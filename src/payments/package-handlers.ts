// Packages: the mentor's page of packs for one skill, buying one, the student's packs.
import type { Request, RequestHandler, Response } from 'express';
import type { Deps } from '../composition.ts';
import { currentUser } from '../lib/guards.ts';
import { redirect, redirectAway, render } from '../lib/render.ts';
import { parseForm } from '../lib/validation.ts';
import { packageSchema } from './packages-schemas.ts';
import { purchaseState } from './packages-service.ts';
import { setFlash } from '../lib/flash.ts';

export function packageHandlers(deps: Deps) {
  const { packages } = deps.services;

  async function manageLocals(req: Request, res: Response) {
    const skill = await deps.knex('skills').where({ id: String(req.params.id), mentorId: currentUser(req).id }).first();
    if (!skill) return undefined;
    return { title: res.locals.t('payments.packages.manageTitle'), skill, offers: await packages.offers(skill.id, { withInactive: true }) };
  }

  const manage: RequestHandler = async (req, res, next) => {
    const locals = await manageLocals(req, res);
    if (!locals) return next();
    render(req, res, 'payments/packages-manage', { ...locals, values: { sessions: '5', durationMinutes: String(locals.skill.durations[0] ?? 60), discountPercent: '10' } });
  };

  const create: RequestHandler = async (req, res, next) => {
    const locals = await manageLocals(req, res);
    if (!locals) return next();
    const input = parseForm(req, res, packageSchema, { view: 'payments/packages-manage', locals });
    await packages.create(currentUser(req).id, locals.skill.id, input);
    setFlash(req, { kind: 'success', key: 'payments.packages.created' });
    redirect(req, res, `/skills/${locals.skill.id}/packages`);
  };

  /** Withdraws a pack from sale (or puts it back): purchases already made keep their credits. */
  const toggle = (active: boolean): RequestHandler => async (req, res) => {
    await packages.setActive(currentUser(req).id, String(req.params.id), String(req.params.packageId), active);
    redirect(req, res, `/skills/${String(req.params.id)}/packages`);
  };

  const buy: RequestHandler = async (req, res) => {
    const { url } = await packages.startPurchase(currentUser(req), String(req.params.id));
    redirectAway(req, res, url);
  };

  const mine: RequestHandler = async (req, res) => {
    const now = deps.clock.now();
    const purchases = (await packages.listForStudent(currentUser(req).id)).map((p) => ({ ...p, state: purchaseState(p, now) }));
    render(req, res, 'payments/packages-mine', { title: res.locals.t('payments.packages.mineTitle'), purchases });
  };

  return { manage, create, activate: toggle(true), deactivate: toggle(false), buy, mine };
}
