// How a skill looks in the public API: a public module, so other features' operations
// (a mentor's skills, a booking's skill) show it in the same shape.
import { z } from '../lib/api/openapi.ts';
import { DURATIONS, SKILL_CATEGORIES, type Skill } from './model.ts';

export const SkillView = z.object({
  id: z.uuid(),
  mentorId: z.uuid(),
  title: z.string(),
  description: z.string(),
  category: z.enum(SKILL_CATEGORIES),
  mode: z.enum(['one_on_one', 'group']),
  price: z.object({ amount: z.number().int().openapi({ description: 'Minor units (cents) for the shortest duration' }), currency: z.string().length(3) }),
  durations: z.array(z.number().int().openapi({ enum: [...DURATIONS] })),
  startsAt: z.iso.datetime().nullable().openapi({ description: 'A group session\'s start; null for one-on-one skills' }),
  capacity: z.number().int().nullable(),
  seatsTaken: z.number().int(),
  courseId: z.uuid().nullable().openapi({ description: 'Only students enrolled in this course may book' }),
  createdAt: z.iso.datetime(),
}).openapi('Skill');

export function skillView(skill: Skill): z.infer<typeof SkillView> {
  return {
    id: skill.id, mentorId: skill.mentorId, title: skill.title, description: skill.description, category: skill.category, mode: skill.mode,
    price: { amount: skill.priceCents, currency: skill.currency }, durations: skill.durations,
    startsAt: skill.startsAt?.toISOString() ?? null, capacity: skill.capacity, seatsTaken: skill.seatsTaken, courseId: skill.courseId,
    createdAt: skill.createdAt.toISOString(),
  };
}
