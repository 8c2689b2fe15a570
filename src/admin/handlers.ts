import type { RequestHandler } from 'express';
import type { Deps } from '../composition.ts';
import { render } from '../lib/render.ts';
import { User } from '../users/model.ts';

export function adminHandlers({ knex, clock }: Deps) {
  // The admin's landing page: the platform at a glance. Grids arrive with the dashboards.
  const overview: RequestHandler = async (req, res) => {
    const weekAgo = new Date(clock.now().getTime() - 7 * 24 * 3600 * 1000);
    const [counts, recent] = await Promise.all([
      knex('users').select(
        knex.raw(`count(*) filter (where role = 'mentor') as mentors`),
        knex.raw(`count(*) filter (where role = 'student') as students`),
        knex.raw(`count(*) filter (where created_at >= ?) as new_this_week`, [weekAgo]),
        knex.raw(`count(*) filter (where disabled_at is not null) as disabled`),
      ).first(),
      User.query(knex).select('username', 'displayName', 'role', 'createdAt', 'city').orderBy('createdAt', 'desc').limit(10),
    ]);
    render(req, res, 'admin/index', { title: res.locals.t('admin.title'), counts, recent });
  };
  return { overview };
}
