// Named fixtures for the marketplace: a mentor with open hours and a published skill
// (free unless a price is given: a paid one is booked through a checkout, see payments.ts).
import type { TestApp } from './app.ts';

export interface MentorFixture {
  mentorId: string;
  skillId: string;
}

export async function mentorWithSkill(
  t: TestApp,
  fixture: string,
  options: {
    timezone?: string;
    rules?: { weekday: number; start: string; end: string }[];
    settings?: Partial<{ minNoticeMinutes: number; windowDays: number; bufferMinutes: number; requiresApproval: boolean; freeCancelHours: number; lateCancelRefundPercent: number }>;
    /** The mentor's payout account can take charges (needed to sell a paid session). */
    payable?: boolean;
    skill?: Partial<{ title: string; priceCents: number; durations: number[]; mode: 'one_on_one' | 'group'; startsAt: Date; capacity: number }>;
  } = {},
): Promise<MentorFixture> {
  const mentor = await t.user(fixture, { timezone: options.timezone ?? 'Europe/Paris' });
  const rules = options.rules ?? [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));
  if (rules.length) await t.deps.knex('availabilityRules').insert(rules.map((r) => ({ mentorId: mentor.id, weekday: r.weekday, startTime: r.start, endTime: r.end, active: true })));
  if (options.settings) await t.deps.knex('mentorSettings').insert({ mentorId: mentor.id, minNoticeMinutes: 720, windowDays: 14, bufferMinutes: 0, requiresApproval: true, ...options.settings });
  if (options.payable) await withPayoutAccount(t, mentor.id);
  const s = options.skill ?? {};
  const [skill] = await t.deps.knex('skills').insert({
    mentorId: mentor.id, title: s.title ?? `Session with ${mentor.displayName}`, description: 'A focused live session.', category: 'programming',
    priceCents: s.priceCents ?? 0, durations: s.durations ?? [30, 60, 90], mode: s.mode ?? 'one_on_one', status: 'published',
    startsAt: s.startsAt ?? null, capacity: s.capacity ?? null,
  }).returning('id');
  return { mentorId: mentor.id, skillId: (skill as { id: string }).id };
}

/** A payout account that can take charges and pay out (a mentor who finished onboarding). */
export async function withPayoutAccount(t: TestApp, mentorId: string): Promise<void> {
  await t.deps.knex('payoutAccounts')
    .insert({ mentorId, provider: t.deps.payments.name, providerAccountId: `acct_test_${mentorId}`, chargesEnabled: true, payoutsEnabled: true, detailsSubmitted: true })
    .onConflict('mentorId').ignore();
}
