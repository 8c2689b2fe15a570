// The catalogue's skills in the public API (/api/v1). Same service as the pages.
import type { Deps } from '../composition.ts';
import type { ApiBuilder } from '../lib/api/operation.ts';
import { z } from '../lib/api/openapi.ts';
import { NotFoundError } from '../lib/errors.ts';
import { SkillView, skillView } from './api-views.ts';

export function skillsApi(deps: Deps, api: ApiBuilder): void {
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
