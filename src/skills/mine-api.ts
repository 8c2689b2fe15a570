// A mentor's own skills in the public API (/api/v1/me/skills): the same service and
// the same rules as the skill form (price, group start and capacity, course link,
// payout account at publication), the same withdrawal as the page.
import type { Deps } from '../composition.ts';
import type { Translate } from '../i18n/index.ts';
import type { ApiBuilder } from '../lib/api/operation.ts';
import { pageOf, pageQuery } from '../lib/api/cursor-page.ts';
import { z } from '../lib/api/openapi.ts';
import type { CurrentUser } from '../lib/current-user.ts';
import { ValidationError } from '../lib/errors.ts';
import { fieldErrors } from '../lib/validation.ts';
import { SkillView, skillView } from './api-views.ts';
import { DURATIONS, SKILL_CATEGORIES, type Skill } from './model.ts';
import { groupRules, withdrawSchema, type SkillInput } from './schemas.ts';
import { withdrawalPlan, withdrawSkill } from './withdrawal.ts';

const id = z.object({ id: z.uuid() });

// The form's fields in JSON: the price in minor units, the group start as an instant.
const fields = {
  title: z.string().trim().min(3).max(120),
  description: z.string().trim().max(5000).default(''),
  category: z.enum(SKILL_CATEGORIES),
  price: z.object({
    amount: z.number().int().min(0).max(1_000_000).openapi({ description: 'Minor units (cents) for the shortest duration' }),
    currency: z.literal('EUR'),
  }),
  mode: z.enum(['one_on_one', 'group']),
  durations: z.array(z.union(DURATIONS.map((d) => z.literal(d)))).min(1, { error: 'skills.durationsRequired' }).max(DURATIONS.length),
  startsAt: z.iso.datetime().optional().openapi({ description: 'A group session\'s start (required for mode group)' }),
  capacity: z.number().int().min(1).max(500).optional().openapi({ description: 'Seats of a group session (required for mode group)' }),
  courseId: z.uuid().nullable().optional().openapi({ description: 'Reserve the skill to students enrolled in this published course' }),
};

const SkillCreate = z.object(fields).strict().superRefine(groupRules).openapi('SkillCreate');
const SkillPatch = z.object(fields).partial().strict().openapi('SkillPatch', { description: 'Any fields of SkillCreate; the merged skill must pass the same rules.' });
const merged = z.object(fields).superRefine(groupRules);

type Fields = z.infer<typeof SkillCreate>;

function toInput(v: Fields): SkillInput {
  return { ...v, price: v.price.amount, courseId: v.courseId ?? undefined };
}

/** A stored skill as the fields a PATCH is merged into. */
function fieldsOf(skill: Skill): Record<string, unknown> {
  return {
    title: skill.title, description: skill.description, category: skill.category, price: { amount: skill.priceCents, currency: skill.currency },
    mode: skill.mode, durations: skill.durations, startsAt: skill.startsAt?.toISOString(), capacity: skill.capacity ?? undefined, courseId: skill.courseId,
  };
}

const mentor = (user: CurrentUser | undefined) => user!;

export function mySkillsApi(deps: Deps, api: ApiBuilder): void {
  const { skills } = deps.services;
  const one = { 200: { description: 'The skill', schema: SkillView } };

  api.operation({
    method: 'get', path: '/me/skills', operationId: 'listMySkills', tags: ['Mentor'], access: ['mentor'],
    summary: 'My skills, newest first (drafts and withdrawn ones included)',
    query: z.object(pageQuery),
    responses: { 200: { description: 'One page of the mentor\'s skills', schema: pageOf(SkillView, 'MySkills') } },
    async handler({ query, user }) {
      const page = await skills.listOwnedPage(mentor(user).id, { limit: query.limit, cursor: query.cursor });
      return { body: { items: page.items.map(skillView), nextCursor: page.nextCursor } };
    },
  });

  api.operation({
    method: 'post', path: '/me/skills', operationId: 'createMySkill', tags: ['Mentor'], access: ['mentor'],
    summary: 'Create a skill (a draft)',
    body: SkillCreate, idempotent: true,
    responses: { 201: { description: 'The draft', schema: SkillView, headers: { Location: z.string() } } },
    async handler({ body, user }) {
      const skill = await skills.create(mentor(user).id, mentor(user).timezone, toInput(body));
      return { status: 201, body: skillView(skill), headers: { Location: `/api/v1/me/skills/${skill.id}` } };
    },
  });

  api.operation({
    method: 'get', path: '/me/skills/{id}', operationId: 'getMySkill', tags: ['Mentor'], access: ['mentor'],
    summary: 'One of my skills, whatever its status',
    params: id, responses: one, errors: [404],
    async handler({ params, user }) {
      return { body: skillView(await skills.findOwned(mentor(user).id, params.id)) };
    },
  });

  api.operation({
    method: 'patch', path: '/me/skills/{id}', operationId: 'updateMySkill', tags: ['Mentor'], access: ['mentor'],
    summary: 'Change a skill',
    description: 'The fields sent replace the stored ones; a group session with seats sold keeps its time (409 `session_time_locked`).',
    params: id, body: SkillPatch, responses: one, errors: [404, 409],
    async handler({ params, body, user, res }) {
      const me = mentor(user);
      const skill = await skills.findOwned(me.id, params.id);
      const parsed = merged.safeParse({ ...fieldsOf(skill), ...body });
      if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error, res.locals.t as Translate));
      return { body: skillView(await skills.update(me.id, skill.id, me.timezone, toInput(parsed.data))) };
    },
  });

  api.operation({
    method: 'post', path: '/me/skills/{id}/publication', operationId: 'publishMySkill', tags: ['Mentor'], access: ['mentor'],
    summary: 'Publish a skill',
    description: 'A paid skill needs a payout account (422 on `price`); a group session may not meet a live booking (409 `mentor_busy`).',
    params: id, responses: one, errors: [404, 409],
    async handler({ params, user }) {
      return { body: skillView(await skills.setStatus(mentor(user).id, params.id, 'published')) };
    },
  });

  api.operation({
    method: 'delete', path: '/me/skills/{id}/publication', operationId: 'withdrawMySkill', tags: ['Mentor'], access: ['mentor'],
    summary: 'Withdraw a skill',
    description: 'Ends the skill as the page does. A group session that students hold needs the `reason` they will read (422 without it); their seats end with it.',
    params: id,
    query: z.object({ reason: z.string().trim().max(500).optional().openapi({ description: 'Required when live seats would be cancelled' }) }),
    responses: { 200: { description: 'The withdrawn skill and the seats it ended', schema: z.object({ skill: SkillView, seatsCancelled: z.number().int() }).openapi('SkillWithdrawal') } },
    errors: [404, 409],
    async handler({ params, query, user, res }) {
      const me = mentor(user);
      const t = res.locals.t as Translate;
      const skill = await skills.findOwned(me.id, params.id);
      const { needsReason } = await withdrawalPlan(deps.services, skill);
      let reason = '';
      if (needsReason) {
        const parsed = withdrawSchema.safeParse({ reason: query.reason ?? '' });
        if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error, t));
        reason = parsed.data.reason;
      }
      const ended = await withdrawSkill(deps.services, me.id, skill, reason, t('skills.cancelled'));
      return { body: { skill: skillView(await skills.findOwned(me.id, skill.id)), seatsCancelled: ended } };
    },
  });
}
