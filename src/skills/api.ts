// The catalogue's skills in the public API (/api/v1). Same service as the pages.
import type { Deps } from '../composition.ts';
import { pageOf, pageQuery, searchText } from '../lib/api/cursor-page.ts';
import type { ApiBuilder } from '../lib/api/operation.ts';
import { z } from '../lib/api/openapi.ts';
import { NotFoundError } from '../lib/errors.ts';
import { SkillView, skillView } from './api-views.ts';
import { DURATIONS, SKILL_CATEGORIES } from './model.ts';
import { SORTS } from './schemas.ts';

const minor = z.coerce.number().int().min(0).max(100_000_000).optional().openapi({ type: 'integer', description: 'Minor units (cents)' });

const SkillQuery = z.object({
  q: searchText.optional().openapi({ description: 'Full text, French or English (as the catalogue page)' }),
  category: z.enum(SKILL_CATEGORIES).optional(),
  mode: z.enum(['one_on_one', 'group']).optional(),
  mentorId: z.uuid().optional(),
  minPrice: minor,
  maxPrice: minor,
  duration: z.coerce.number().pipe(z.union(DURATIONS.map((d) => z.literal(d)))).optional().openapi({ type: 'integer', enum: [...DURATIONS] }),
  available: z.enum(['week']).optional().openapi({ description: 'Only skills with a free slot or seat in the next 7 days' }),
  sort: z.enum(SORTS).optional().openapi({ description: 'Default: relevance with `q`, newest otherwise' }),
  ...pageQuery,
});

export function skillsApi(deps: Deps, api: ApiBuilder): void {
  api.operation({
    method: 'get', path: '/skills', operationId: 'listSkills', tags: ['Catalogue'], access: 'public',
    summary: 'Search the published skills',
    query: SkillQuery,
    responses: { 200: { description: 'A page of skills', schema: pageOf(SkillView, 'SkillPage') } },
    // Short: a new or withdrawn skill shows within half a minute.
    cacheControl: 'public, max-age=30',
    async handler({ query }) {
      const { limit, cursor, ...filters } = query;
      const page = await deps.services.skills.searchAfter(filters, { limit, cursor });
      return { body: { items: page.items.map(skillView), nextCursor: page.nextCursor } };
    },
  });

  api.operation({
    method: 'get', path: '/skills/{id}', operationId: 'getSkill', tags: ['Catalogue'], access: 'public',
    summary: 'A published skill',
    params: z.object({ id: z.uuid() }),
    responses: { 200: { description: 'The skill', schema: SkillView } },
    errors: [404],
    cacheControl: 'public, max-age=60',
    async handler({ params }) {
      const skill = await deps.services.skills.findPublic(params.id);
      if (!skill) throw new NotFoundError();
      return { body: skillView(skill) };
    },
  });
}
