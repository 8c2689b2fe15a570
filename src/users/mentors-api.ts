// Mentors' public profiles in the API (/api/v1): the fields of the public profile page,
// with their published skills on the single one. Same services as the page.
import type { Deps } from '../composition.ts';
import { pageOf, pageQuery, searchText } from '../lib/api/cursor-page.ts';
import type { ApiBuilder } from '../lib/api/operation.ts';
import { z } from '../lib/api/openapi.ts';
import { NotFoundError } from '../lib/errors.ts';
import { SkillView, skillView } from '../skills/api-views.ts';
import { MentorView, mentorView } from './api-views.ts';

const MentorDetail = MentorView.extend({ skills: z.array(SkillView).openapi({ description: 'Published skills: one-on-one first, past group sessions left out' }) }).openapi('MentorDetail');

export function mentorsApi(deps: Deps, api: ApiBuilder): void {
  const { users, skills } = deps.services;

  api.operation({
    method: 'get', path: '/mentors', operationId: 'listMentors', tags: ['Catalogue'], access: 'public',
    summary: 'The active mentors, newest first',
    query: z.object({ q: searchText.optional().openapi({ description: 'Part of the name, username or headline (accents ignored)' }), ...pageQuery }),
    responses: { 200: { description: 'A page of mentors', schema: pageOf(MentorView, 'MentorPage') } },
    // Profiles change rarely; a minute of staleness is harmless.
    cacheControl: 'public, max-age=60',
    async handler({ query }) {
      const page = await users.listPublicMentors({ q: query.q }, { limit: query.limit, cursor: query.cursor });
      return { body: { items: page.items.map(mentorView), nextCursor: page.nextCursor } };
    },
  });

  api.operation({
    method: 'get', path: '/mentors/{id}', operationId: 'getMentor', tags: ['Catalogue'], access: 'public',
    summary: 'A mentor\'s public profile and published skills',
    params: z.object({ id: z.uuid() }),
    responses: { 200: { description: 'The mentor', schema: MentorDetail } },
    errors: [404],
    cacheControl: 'public, max-age=60',
    async handler({ params }) {
      const mentor = await users.findPublicMentorById(params.id);
      if (!mentor) throw new NotFoundError();
      return { body: { ...mentorView(mentor), skills: (await skills.listPublicOf(mentor.id)).map(skillView) } };
    },
  });
}
