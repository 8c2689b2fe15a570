import type { RequestHandler, Response } from 'express';
import type { Deps } from '../composition.ts';
import type { Translate } from '../i18n/index.ts';
import { NotFoundError, ValidationError } from '../lib/errors.ts';
import { currentUser } from '../lib/guards.ts';
import { redirect, render } from '../lib/render.ts';
import { fieldErrors, parseForm } from '../lib/validation.ts';
import { type Change, type Decision } from './blocking.ts';
import { AvailabilityOverride, AvailabilityRule } from './model.ts';
import { decisionSchema, overrideSchema, ruleSchema, settingsSchema } from './schemas.ts';
import { PastDateError, RangeOverlapError } from './service.ts';
import { rememberRemoval, removalToast, takeRemoval, UNDO_MS, type RemovedRange } from './undo.ts';
import { setFlash } from '../lib/flash.ts';

declare module 'express-session' {
  interface SessionData {
    /** After a change that covered bookings: what was done with them (a flash with counts). */
    availabilityNotice?: { key: string; kept: number; cancelled: number };
  }
}

type Req = Parameters<RequestHandler>[0];

/** How the confirmation step names the change and re-submits it. */
interface PendingChange {
  change: Change;
  action: string;
  hidden: Record<string, string>;
  label: string;
  /** The usual flash when no booking was in the way. */
  done: { kind: 'success' | 'info'; key: string };
  /** A removal: what Undo puts back, and how the toast names it. */
  removed?: { range: RemovedRange; label: string };
}

type FormName = 'rule' | 'override' | 'settings';

export function availabilityHandlers(deps: Deps) {
  const { availability, blocking } = deps.services;

  async function pageLocals(res: Response, mentorId: string, zone: string, activeForm?: FormName) {
    const t = res.locals.t as Translate;
    const data = await availability.load(mentorId, zone);
    const weekdays = [1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: t(`availability.weekday.${d}`) }));
    const totalMinutes = data.rules.filter((r) => r.active).reduce((sum, r) => sum + (minutesOf(r.endTime) - minutesOf(r.startTime)), 0);
    return { title: t('availability.title'), ...data, weekdays, zone, activeForm, weeklyHours: totalMinutes / 60, times: TIMES };
  }

  const page: RequestHandler = async (req, res) => {
    const user = currentUser(req);
    const notice = req.session.availabilityNotice;
    if (notice) delete req.session.availabilityNotice;
    const undo = removalToast(req, deps.clock, user.id);
    render(req, res, 'availability/index', { ...(await pageLocals(res, user.id, user.timezone)), notice, undo, undoMinutes: UNDO_MS / 60_000 });
  };

  /**
   * A change that may close booked time: applied at once when it covers no live booking;
   * otherwise the step lists them, and its answer is checked against what is affected
   * on submit (a different set shows the step again).
   */
  async function applyBlocking(req: Req, res: Response, pending: PendingChange): Promise<void> {
    const user = currentUser(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    let decision: Decision | undefined;
    if (typeof body.affected === 'string') {
      const parsed = decisionSchema.safeParse(body);
      if (!parsed.success) {
        const preview = await blocking.apply(user, pending.change, undefined, { dryRun: true });
        const affected = preview.applied ? [] : preview.affected;
        const { _csrf: _omit, ...values } = body;
        throw new ValidationError(fieldErrors(parsed.error, res.locals.t as Translate), { view: 'availability/blocking', locals: stepLocals(res, pending, affected, false), values });
      }
      decision = { seen: parsed.data.affected, cancelReason: parsed.data.decision === 'cancel' ? parsed.data.reason : undefined };
    }
    const outcome = await blocking.apply(user, pending.change, decision);
    if (!outcome.applied) {
      // Shown again because the set moved under the mentor's answer: a conflict.
      render(req, res, 'availability/blocking', stepLocals(res, pending, outcome.affected, decision !== undefined), { status: decision ? 409 : 200 });
      return;
    }
    if (pending.removed) rememberRemoval(req, deps.clock, user.id, pending.removed.range, pending.removed.label);
    if (outcome.kept || outcome.cancelled) req.session.availabilityNotice = { key: pending.done.key, kept: outcome.kept, cancelled: outcome.cancelled };
    // A removal says so in its Undo toast: a second "removed" message above it would repeat it.
    else if (!pending.removed) setFlash(req, pending.done);
    redirect(req, res, '/availability');
  }

  function stepLocals(res: Response, pending: PendingChange, affected: unknown[], changed: boolean) {
    const t = res.locals.t as Translate;
    return { title: t('availability.blocking.title'), pending, affected, changed, values: { decision: 'keep' } };
  }

  async function ruleChange(req: Req, res: Response, kind: 'pauseRule' | 'deleteRule'): Promise<PendingChange> {
    const t = res.locals.t as Translate;
    const id = String(req.params.id);
    const rule = await AvailabilityRule.query(deps.knex).findOne({ id, mentorId: currentUser(req).id });
    if (!rule) throw new NotFoundError();
    const params = { day: t(`availability.weekday.${rule.weekday}`), hours: `${rule.startTime.slice(0, 5)}–${rule.endTime.slice(0, 5)}` };
    return kind === 'pauseRule'
      ? { change: { kind, id }, action: `/availability/rules/${id}`, hidden: { active: 'false' }, label: t('availability.blocking.change.pauseRule', params), done: { kind: 'info', key: 'availability.rulePaused' } }
      : {
        change: { kind, id }, action: `/availability/rules/${id}/deletion`, hidden: {}, label: t('availability.blocking.change.removeRule', params), done: { kind: 'info', key: 'availability.ruleDeleted' },
        removed: { range: { kind: 'rule', weekday: rule.weekday, start: rule.startTime.slice(0, 5), end: rule.endTime.slice(0, 5), active: rule.active }, label: `${params.day} ${params.hours}` },
      };
  }

  /** Parses one of the page's forms; on error the page re-renders with that form's messages. */
  async function parse<S extends Parameters<typeof parseForm>[2]>(req: Parameters<RequestHandler>[0], res: Response, schema: S, form: FormName) {
    const user = currentUser(req);
    return parseForm(req, res, schema, { view: 'availability/index', locals: await pageLocals(res, user.id, user.timezone, form), home: { page: '/availability', state: { activeForm: form } } });
  }

  const addRule: RequestHandler = async (req, res) => {
    const input = await parse(req, res, ruleSchema, 'rule');
    await availability.addRule(currentUser(req).id, input);
    setFlash(req, { kind: 'success', key: 'availability.ruleAdded' });
    redirect(req, res, '/availability');
  };

  const toggleRule: RequestHandler = async (req, res) => {
    const active = (req.body as { active?: string }).active === 'true';
    if (!active) return applyBlocking(req, res, await ruleChange(req, res, 'pauseRule'));
    await availability.setRuleActive(currentUser(req).id, String(req.params.id), active);
    redirect(req, res, '/availability');
  };

  const deleteRule: RequestHandler = async (req, res) => applyBlocking(req, res, await ruleChange(req, res, 'deleteRule'));

  const addOverride: RequestHandler = async (req, res) => {
    const user = currentUser(req);
    const input = await parse(req, res, overrideSchema, 'override');
    if (input.kind === 'blocked') {
      const t = res.locals.t as Translate;
      const hours = input.start ? `${input.start}–${input.end}` : t('availability.allDay');
      const hidden = { kind: input.kind, date: input.date, start: input.start ?? '', end: input.end ?? '', note: input.note ?? '' };
      const label = t('availability.blocking.change.timeOff', { date: res.locals.fmt.dayDate(input.date), hours });
      return applyBlocking(req, res, { change: { kind: 'addOverride', input }, action: '/availability/overrides', hidden, label, done: { kind: 'success', key: 'availability.overrideAdded' } });
    }
    await availability.addOverride(user.id, user.timezone, input);
    setFlash(req, { kind: 'success', key: 'availability.overrideAdded' });
    redirect(req, res, '/availability');
  };

  const deleteOverride: RequestHandler = async (req, res) => {
    const t = res.locals.t as Translate;
    const id = String(req.params.id);
    const o = await AvailabilityOverride.query(deps.knex).findOne({ id, mentorId: currentUser(req).id });
    if (!o) throw new NotFoundError();
    // Removing time off only opens time; removing extra hours may close booked time.
    const hours = o.startTime ? `${o.startTime.slice(0, 5)}–${o.endTime!.slice(0, 5)}` : t('availability.allDay');
    const label = t('availability.blocking.change.removeExtra', { date: res.locals.fmt.dayDate(o.date), hours });
    const input = { date: o.date, kind: o.kind, start: o.startTime?.slice(0, 5) ?? undefined, end: o.endTime?.slice(0, 5) ?? undefined, note: o.note ?? undefined };
    const removed = { range: { kind: 'override' as const, input }, label: `${t(`availability.kind.${o.kind}`)} · ${res.locals.fmt.dayDate(o.date)} ${hours}` };
    return applyBlocking(req, res, { change: { kind: 'deleteOverride', id }, action: `/availability/overrides/${id}/deletion`, hidden: {}, label, done: { kind: 'info', key: 'availability.overrideDeleted' }, removed });
  };

  /**
   * Undo of the latest removal (POST from the toast): only from the remover's session,
   * within 10 minutes, once. Time off that comes back may close booked time since, so it
   * goes through the blocking step like a new one; hours that come back only open time.
   */
  const restoreRange: RequestHandler = async (req, res) => {
    const user = currentUser(req);
    const range = takeRemoval(req, deps.clock, user.id, (req.body as { removal?: unknown }).removal);
    if (!range) throw new NotFoundError();
    const back = (kind: 'success' | 'error', key: string, params?: Record<string, string>) => {
      setFlash(req, { kind, key, ...(params ? { params } : {}) });
      redirect(req, res, '/availability');
    };
    if (range === 'expired') return back('error', 'availability.undo.expired');
    const done = { kind: 'success' as const, key: 'availability.undo.done' };
    try {
      if (range.kind === 'rule') {
        const rule = await availability.addRule(user.id, { weekday: range.weekday, start: range.start, end: range.end });
        if (!range.active) await availability.setRuleActive(user.id, rule.id, false);
      } else if (range.input.kind === 'blocked') {
        const { input } = range;
        const t = res.locals.t as Translate;
        const hidden = { kind: input.kind, date: input.date, start: input.start ?? '', end: input.end ?? '', note: input.note ?? '' };
        const label = t('availability.blocking.change.timeOff', { date: res.locals.fmt.dayDate(input.date), hours: input.start ? `${input.start}–${input.end}` : t('availability.allDay') });
        return await applyBlocking(req, res, { change: { kind: 'addOverride', input }, action: '/availability/overrides', hidden, label, done });
      } else {
        await availability.addOverride(user.id, user.timezone, range.input);
      }
    } catch (error) {
      if (error instanceof RangeOverlapError) return back('error', 'availability.undo.overlaps', error.existing);
      if (error instanceof PastDateError) return back('error', 'availability.undo.past');
      throw error;
    }
    back(done.kind, done.key);
  };

  const saveSettings: RequestHandler = async (req, res) => {
    const input = await parse(req, res, settingsSchema, 'settings');
    await availability.saveSettings(currentUser(req).id, {
      minNoticeMinutes: input.minNoticeHours * 60, windowDays: input.windowDays, seriesWindowDays: input.seriesWindowDays, bufferMinutes: input.bufferMinutes, requiresApproval: input.requiresApproval,
    });
    setFlash(req, { kind: 'success', key: 'availability.settingsSaved' });
    redirect(req, res, '/availability');
  };

  return { page, addRule, toggleRule, deleteRule, addOverride, deleteOverride, restoreRange, saveSettings };
}

function minutesOf(t: string): number {
  return Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
}

/** Choices for the time selects: every half hour, and 24:00 to end a day. */
const TIMES = [...Array.from({ length: 48 }, (_, i) => `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`), '24:00'];
