import type { RequestHandler, Response } from 'express';
import type { Deps } from '../composition.ts';
import type { Translate } from '../i18n/index.ts';
import { ValidationError } from '../lib/errors.ts';
import { currentUser } from '../lib/guards.ts';
import { redirect, render } from '../lib/render.ts';
import { parseForm } from '../lib/validation.ts';
import { overrideSchema, ruleSchema, settingsSchema } from './schemas.ts';
import { availabilityService, PastDateError, RangeOverlapError } from './service.ts';

type FormName = 'rule' | 'override' | 'settings';

export function availabilityHandlers(deps: Deps) {
  const availability = availabilityService(deps);

  async function pageLocals(res: Response, mentorId: string, zone: string, activeForm?: FormName) {
    const t = res.locals.t as Translate;
    const data = await availability.load(mentorId, zone);
    const weekdays = [1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: t(`availability.weekday.${d}`) }));
    const totalMinutes = data.rules.filter((r) => r.active).reduce((sum, r) => sum + (minutesOf(r.endTime) - minutesOf(r.startTime)), 0);
    return { title: t('availability.title'), ...data, weekdays, zone, activeForm, weeklyHours: totalMinutes / 60, times: TIMES };
  }

  const page: RequestHandler = async (req, res) => {
    const user = currentUser(req);
    render(req, res, 'availability/index', await pageLocals(res, user.id, user.timezone));
  };

  /** Parses one of the page's forms; on error the page re-renders with that form's messages. */
  async function parse<S extends Parameters<typeof parseForm>[2]>(req: Parameters<RequestHandler>[0], res: Response, schema: S, form: FormName) {
    const user = currentUser(req);
    return parseForm(req, res, schema, { view: 'availability/index', locals: await pageLocals(res, user.id, user.timezone, form) });
  }

  async function formError(req: Parameters<RequestHandler>[0], res: Response, form: FormName, field: string, message: string) {
    const user = currentUser(req);
    const { _csrf: _omit, ...values } = req.body as Record<string, unknown>;
    return new ValidationError({ [field]: message }, { view: 'availability/index', locals: await pageLocals(res, user.id, user.timezone, form), values });
  }

  const addRule: RequestHandler = async (req, res) => {
    const input = await parse(req, res, ruleSchema, 'rule');
    try {
      await availability.addRule(currentUser(req).id, input);
    } catch (error) {
      if (error instanceof RangeOverlapError) throw await formError(req, res, 'rule', 'start', (res.locals.t as Translate)('availability.overlaps', error.existing));
      throw error;
    }
    req.session.flash = { kind: 'success', key: 'availability.ruleAdded' };
    redirect(req, res, '/availability');
  };

  const toggleRule: RequestHandler = async (req, res) => {
    const active = (req.body as { active?: string }).active === 'true';
    await availability.setRuleActive(currentUser(req).id, String(req.params.id), active);
    redirect(req, res, '/availability');
  };

  const deleteRule: RequestHandler = async (req, res) => {
    await availability.deleteRule(currentUser(req).id, String(req.params.id));
    req.session.flash = { kind: 'info', key: 'availability.ruleDeleted' };
    redirect(req, res, '/availability');
  };

  const addOverride: RequestHandler = async (req, res) => {
    const user = currentUser(req);
    const input = await parse(req, res, overrideSchema, 'override');
    try {
      await availability.addOverride(user.id, user.timezone, input);
    } catch (error) {
      const t = res.locals.t as Translate;
      if (error instanceof RangeOverlapError) throw await formError(req, res, 'override', 'start', t('availability.overlaps', error.existing));
      if (error instanceof PastDateError) throw await formError(req, res, 'override', 'date', t('availability.pastDate'));
      throw error;
    }
    req.session.flash = { kind: 'success', key: 'availability.overrideAdded' };
    redirect(req, res, '/availability');
  };

  const deleteOverride: RequestHandler = async (req, res) => {
    await availability.deleteOverride(currentUser(req).id, String(req.params.id));
    req.session.flash = { kind: 'info', key: 'availability.overrideDeleted' };
    redirect(req, res, '/availability');
  };

  const saveSettings: RequestHandler = async (req, res) => {
    const input = await parse(req, res, settingsSchema, 'settings');
    await availability.saveSettings(currentUser(req).id, {
      minNoticeMinutes: input.minNoticeHours * 60, windowDays: input.windowDays, bufferMinutes: input.bufferMinutes, requiresApproval: input.requiresApproval,
    });
    req.session.flash = { kind: 'success', key: 'availability.settingsSaved' };
    redirect(req, res, '/availability');
  };

  return { page, addRule, toggleRule, deleteRule, addOverride, deleteOverride, saveSettings };
}

function minutesOf(t: string): number {
  return Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
}

/** Choices for the time selects: every half hour, and 24:00 to end a day. */
const TIMES = [...Array.from({ length: 48 }, (_, i) => `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`), '24:00'];
