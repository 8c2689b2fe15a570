// A mentor's availability in the public API (/api/v1/me/availability): the same
// services and rules as the availability page. A change that would take live bookings
// out of open time goes through the same blocking service as the page's confirmation
// step: without a decision it is a 409 `bookings_affected` listing them, and a
// decision that names exactly those bookings applies it.
import type { Deps } from '../composition.ts';
import type { Translate } from '../i18n/index.ts';
import type { ApiBuilder } from '../lib/api/operation.ts';
import { z } from '../lib/api/openapi.ts';
import type { CurrentUser } from '../lib/current-user.ts';
import { ConflictError, NotFoundError, ValidationError, type ProblemExtensions } from '../lib/errors.ts';
import { fieldErrors } from '../lib/validation.ts';
import { AvailabilityView, BookingsOutcome, OverrideView, overrideView, RuleView, ruleView, SettingsView, settingsView } from './api-views.ts';
import type { Change, Decision } from './blocking.ts';
import { AvailabilityOverride, AvailabilityRule } from './model.ts';
import { decisionSchema, overrideSchema, ruleSchema, settingsSchema } from './schemas.ts';

export class BookingsAffectedError extends ConflictError implements ProblemExtensions {
  override readonly code = 'bookings_affected';
  readonly extensions: { affected: string[] };
  constructor(affected: string[]) {
    super('availability.api.bookingsAffected', { count: affected.length });
    this.extensions = { affected };
  }
}

const DecisionBody = z.object({
  decision: z.enum(['keep', 'cancel']).openapi({ description: 'keep: the bookings stay; cancel: each is declined (pending) or cancelled (confirmed) with the reason' }),
  affected: z.array(z.uuid()).max(500).openapi({ description: 'The ids the 409 listed: the decision holds for exactly these' }),
  reason: z.string().max(500).optional().openapi({ description: 'What the students read (3 characters at least, to cancel)' }),
}).openapi('BlockingDecision');

const decisionQuery = z.object({
  decision: z.enum(['keep', 'cancel']).optional().openapi({ description: 'After a 409 `bookings_affected`: keep or cancel the bookings listed' }),
  affected: z.string().max(20_000).optional().openapi({ description: 'The ids the 409 listed, comma-separated' }),
  reason: z.string().max(500).optional(),
});

const id = z.object({ id: z.uuid() });
const outcomeOnly = z.object(BookingsOutcome).openapi('AvailabilityChange');
const conflictText = 'A change that would take live bookings out of open time is a 409 `bookings_affected` whose `affected` lists them; send the same change again with a decision naming them.';

/** The decision through the page's own rule (a reason to cancel); its fields named as the API has them. */
function parseDecision(raw: { decision?: string; affected: string; reason?: string } | undefined, t: Translate, prefix: string): Decision | undefined {
  if (!raw?.decision) return undefined;
  const parsed = decisionSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(Object.fromEntries(Object.entries(fieldErrors(parsed.error, t)).map(([k, v]) => [`${prefix}${k}`, v])));
  return { seen: parsed.data.affected, cancelReason: parsed.data.decision === 'cancel' ? parsed.data.reason : undefined };
}

const mentorOf = (user: CurrentUser | undefined) => user!;

export function myAvailabilityApi(deps: Deps, api: ApiBuilder): void {
  const { availability, blocking } = deps.services;

  async function throughBlocking(user: CurrentUser, change: Change, decision: Decision | undefined) {
    const outcome = await blocking.apply(user, change, decision);
    if (!outcome.applied) throw new BookingsAffectedError(outcome.affected.map((b) => b.id));
    return { bookingsKept: outcome.kept, bookingsCancelled: outcome.cancelled };
  }

  async function ownRule(mentorId: string, ruleId: string): Promise<AvailabilityRule> {
    const rule = await AvailabilityRule.query(deps.knex).findOne({ id: ruleId, mentorId });
    if (!rule) throw new NotFoundError();
    return rule;
  }

  api.operation({
    method: 'get', path: '/me/availability', operationId: 'getMyAvailability', tags: ['Mentor'], access: ['mentor'],
    summary: 'My weekly hours, dated exceptions and booking settings',
    responses: { 200: { description: 'The availability', schema: AvailabilityView } },
    async handler({ user }) {
      const me = mentorOf(user);
      const data = await availability.load(me.id, me.timezone);
      return { body: { zone: me.timezone, rules: data.rules.map(ruleView), overrides: data.overrides.map(overrideView), settings: settingsView(data.settings) } };
    },
  });

  api.operation({
    method: 'post', path: '/me/availability/rules', operationId: 'addMyAvailabilityRule', tags: ['Mentor'], access: ['mentor'],
    summary: 'Add weekly hours', description: 'Hours on the half-hour grid; they may not overlap other hours of that weekday (422).',
    body: ruleSchema, idempotent: true,
    responses: { 201: { description: 'The new weekly hours', schema: RuleView } },
    async handler({ body, user }) {
      return { status: 201, body: ruleView(await availability.addRule(mentorOf(user).id, body)) };
    },
  });

  api.operation({
    method: 'patch', path: '/me/availability/rules/{id}', operationId: 'updateMyAvailabilityRule', tags: ['Mentor'], access: ['mentor'],
    summary: 'Pause or resume weekly hours', description: `Resuming only opens time. ${conflictText}`,
    params: id, body: z.object({ active: z.boolean(), decision: DecisionBody.optional() }).strict().openapi('AvailabilityRulePatch'),
    responses: { 200: { description: 'The hours, and what happened to the bookings inside them', schema: z.object({ rule: RuleView, ...BookingsOutcome }).openapi('AvailabilityRuleChange') } },
    errors: [404, 409],
    async handler({ params, body, user, res }) {
      const me = mentorOf(user);
      const rule = await ownRule(me.id, params.id);
      let counts = { bookingsKept: 0, bookingsCancelled: 0 };
      if (body.active) await availability.setRuleActive(me.id, rule.id, true);
      else counts = await throughBlocking(me, { kind: 'pauseRule', id: rule.id }, parseDecision(body.decision && { ...body.decision, affected: body.decision.affected.join(',') }, res.locals.t as Translate, 'decision.'));
      return { body: { rule: ruleView(await ownRule(me.id, rule.id)), ...counts } };
    },
  });

  api.operation({
    method: 'delete', path: '/me/availability/rules/{id}', operationId: 'deleteMyAvailabilityRule', tags: ['Mentor'], access: ['mentor'],
    summary: 'Remove weekly hours', description: conflictText,
    params: id, query: decisionQuery,
    responses: { 200: { description: 'What happened to the bookings inside them', schema: outcomeOnly } },
    errors: [404, 409],
    async handler({ params, query, user, res }) {
      const me = mentorOf(user);
      const rule = await ownRule(me.id, params.id);
      return { body: await throughBlocking(me, { kind: 'deleteRule', id: rule.id }, parseDecision({ ...query, affected: query.affected ?? '' }, res.locals.t as Translate, '')) };
    },
  });

  api.operation({
    method: 'post', path: '/me/availability/overrides', operationId: 'addMyAvailabilityOverride', tags: ['Mentor'], access: ['mentor'],
    summary: 'Add extra hours or time off on a date',
    description: `Without start and end, time off covers the whole day. Extra hours only open time; time off may close booked time: ${conflictText}`,
    body: overrideSchema.and(z.object({ decision: DecisionBody.optional() })), idempotent: true,
    responses: { 201: { description: 'The exception, and what happened to the bookings inside it', schema: z.object({ override: OverrideView, ...BookingsOutcome }).openapi('AvailabilityOverrideChange') } },
    errors: [409],
    async handler({ body, user, res }) {
      const me = mentorOf(user);
      const { decision, ...input } = body;
      if (input.kind === 'extra') return { status: 201, body: { override: overrideView(await availability.addOverride(me.id, me.timezone, input)), bookingsKept: 0, bookingsCancelled: 0 } };
      const counts = await throughBlocking(me, { kind: 'addOverride', input }, parseDecision(decision && { ...decision, affected: decision.affected.join(',') }, res.locals.t as Translate, 'decision.'));
      // The blocking step writes it in its own transaction: the newest row of that shape is it.
      const written = await AvailabilityOverride.query(deps.knex)
        .findOne({ mentorId: me.id, date: input.date, kind: 'blocked', startTime: input.start ?? null, endTime: input.end ?? null });
      return { status: 201, body: { override: overrideView(written!), ...counts } };
    },
  });

  api.operation({
    method: 'delete', path: '/me/availability/overrides/{id}', operationId: 'deleteMyAvailabilityOverride', tags: ['Mentor'], access: ['mentor'],
    summary: 'Remove extra hours or time off', description: `Removing time off only opens time; removing extra hours may close booked time: ${conflictText}`,
    params: id, query: decisionQuery,
    responses: { 200: { description: 'What happened to the bookings inside the removed hours', schema: outcomeOnly } },
    errors: [404, 409],
    async handler({ params, query, user, res }) {
      const me = mentorOf(user);
      const o = await AvailabilityOverride.query(deps.knex).findOne({ id: params.id, mentorId: me.id });
      if (!o) throw new NotFoundError();
      return { body: await throughBlocking(me, { kind: 'deleteOverride', id: o.id }, parseDecision({ ...query, affected: query.affected ?? '' }, res.locals.t as Translate, '')) };
    },
  });

  api.operation({
    method: 'put', path: '/me/availability/settings', operationId: 'putMyAvailabilitySettings', tags: ['Mentor'], access: ['mentor'],
    summary: 'Replace my booking settings',
    description: 'The page\'s rules: notice in whole hours (0–720 h), buffer 0, 10, 15, 30, 45 or 60 min, a series window at least the booking window.',
    body: SettingsView.extend({ minNoticeMinutes: z.number().int().min(0).max(720 * 60).multipleOf(60) }).strict().openapi('AvailabilitySettingsInput'),
    responses: { 200: { description: 'The settings saved', schema: SettingsView } },
    async handler({ body, user, res }) {
      const parsed = settingsSchema.safeParse({ ...body, minNoticeHours: body.minNoticeMinutes / 60 });
      if (!parsed.success) {
        const fields = fieldErrors(parsed.error, res.locals.t as Translate);
        throw new ValidationError(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k === 'minNoticeHours' ? 'minNoticeMinutes' : k, v])));
      }
      const s = parsed.data;
      const saved = { minNoticeMinutes: s.minNoticeHours * 60, windowDays: s.windowDays, seriesWindowDays: s.seriesWindowDays, bufferMinutes: s.bufferMinutes, requiresApproval: s.requiresApproval };
      await availability.saveSettings(mentorOf(user).id, saved);
      return { body: settingsView(saved) };
    },
  });
}
