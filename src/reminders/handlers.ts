import type { Request, RequestHandler } from 'express';
import type { Deps } from '../composition.ts';
import type { Translate } from '../i18n/index.ts';
import { ForbiddenError, ValidationError } from '../lib/errors.ts';
import { currentUser } from '../lib/guards.ts';
import { isPartialRequest } from '../lib/htmx.ts';
import { render } from '../lib/render.ts';
import { fieldErrors, formValues } from '../lib/validation.ts';
import { OFFSET_CHOICES, type ReminderPreferences } from './preferences.ts';
import { reminderPreferencesSchema } from './schemas.ts';
import { setFlash } from '../lib/flash.ts';

/** What views/users/_reminders.eta shows besides the preferences. */
const formLocals = { offsetChoices: OFFSET_CHOICES };

/** The boxes as typed, for a refused form (only known offsets can be ticked again). */
function typed(req: Request): ReminderPreferences {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const raw = Array.isArray(body.offsets) ? body.offsets : [body.offsets];
  return {
    offsetsMinutes: OFFSET_CHOICES.filter((o) => raw.includes(String(o))),
    byMail: body.byMail === 'on', inApp: body.inApp === 'on',
  };
}

export function reminderHandlers(deps: Deps) {
  const { reminders } = deps.services;

  const update: RequestHandler = async (req, res) => {
    const user = currentUser(req);
    // The shadow admin has no users row, so no preferences to keep.
    if (!user.record) throw new ForbiddenError('users.adminHasNoProfile');
    const parsed = reminderPreferencesSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error, res.locals.t as Translate);
      throw new ValidationError(errors, {
        view: 'reminders/edit', fragment: 'users/_reminders',
        locals: { ...formLocals, title: (res.locals.t as Translate)('reminders.title'), reminders: typed(req), reminderErrors: errors },
        values: formValues(req),
      });
    }
    const prefs = { offsetsMinutes: parsed.data.offsets, byMail: parsed.data.byMail, inApp: parsed.data.inApp };
    await reminders.updatePreferences(user.id, prefs);
    // With htmx the form swaps itself in its next state; without, back to the profile.
    if (isPartialRequest(req)) {
      render(req, res, 'users/_reminders', { ...formLocals, reminders: await reminders.preferences(user.id), reminderSaved: true });
      return;
    }
    setFlash(req, { kind: 'success', key: 'reminders.saved' });
    res.redirect(303, '/profile#reminders');
  };

  /** The dashboard's "session starting" prompt, polled by htmx; it renders itself in its next state. */
  const starting: RequestHandler = async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const user = currentUser(req);
    render(req, res, 'dashboards/_starting', { starting: user.role === 'admin' ? [] : await reminders.starting(user.id) });
  };

  return { update, starting };
}
