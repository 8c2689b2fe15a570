// Ending a skill, for the page and the API alike: a group session that students hold
// needs the reason they will read, and ends their seats with it; anything else simply
// stops being offered.
import type { BookingService } from '../bookings/service.ts';
import type { Skill } from './model.ts';
import type { SkillsService } from './service.ts';

type Services = { skills: SkillsService; bookings: Pick<BookingService, 'liveSeatCount' | 'withdrawGroup'> };

/** The seats withdrawing would cancel, and so whether a reason must be given first. */
export async function withdrawalPlan(services: Services, skill: Skill): Promise<{ seats: number; needsReason: boolean }> {
  if (skill.mode !== 'group') return { seats: 0, needsReason: false };
  const seats = await services.bookings.liveSeatCount(skill.id);
  return { seats, needsReason: seats > 0 };
}

/** Returns the seats ended; `fallbackReason` is what attendees read when none was needed. */
export async function withdrawSkill(services: Services, mentorId: string, skill: Skill, reason: string, fallbackReason: string): Promise<number> {
  if (skill.mode !== 'group') {
    await services.skills.setStatus(mentorId, skill.id, 'cancelled');
    return 0;
  }
  return services.bookings.withdrawGroup(mentorId, skill.id, reason || fallbackReason);
}
