import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Deps } from '../composition.ts';
import type { Translate } from '../i18n/index.ts';
import { NotFoundError } from '../lib/errors.ts';
import { wantsJson } from '../lib/htmx.ts';
import { redirect, render } from '../lib/render.ts';
import { parseUserQuery } from './users-service.ts';
import { setFlash } from '../lib/flash.ts';

const PAGE_SIZE = 25;

export function adminUsersHandlers(deps: Deps) {
  const users = deps.services.adminUsers;

  /** The page: a plain table (sortable, paged, filterable by form) that the grid replaces. */
  const page: RequestHandler = async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const p = Math.max(1, Math.min(10_000, Number(q.page) || 1));
    const sort = q.sort && ['displayName', 'email', 'role', 'createdAt', 'lastLoginAt'].includes(q.sort) ? q.sort : undefined;
    const dir = q.dir === 'asc' ? 'asc' : 'desc';
    const query = parseUserQuery({
      startRow: String((p - 1) * PAGE_SIZE), endRow: String(p * PAGE_SIZE), quickFilter: q.quickFilter, role: q.role, state: q.state,
      ...(sort ? { sortModel: JSON.stringify([{ colId: sort, sort: dir }]) } : {}),
    });
    const { rows, lastRow } = await users.list(query);
    const t = res.locals.t as Translate;
    const params = Object.fromEntries(Object.entries({ quickFilter: q.quickFilter, role: q.role, state: q.state }).filter(([, v]) => typeof v === 'string' && v !== ''));
    render(req, res, 'admin/users', {
      title: t('admin.usersTitle'), rows, total: lastRow, page: p, pages: Math.max(1, Math.ceil(lastRow / PAGE_SIZE)), sort, dir, params,
      gridConfig: {
        locale: res.locals.locale, timeZone: (res.locals.fmt as { timeZone: string }).timeZone,         labels: {
          gridLabel: t('admin.usersTitle'), disable: t('admin.disable'), enable: t('admin.enable'), active: t('admin.active'), disabled: t('admin.disabledState'),
          never: t('admin.never'), loadError: t('dashboard.loadError'), empty: t('admin.noUsers'),
          role: { mentor: t('admin.role.mentor'), student: t('admin.role.student') },
          columns: Object.fromEntries(['displayName', 'email', 'username', 'role', 'createdAt', 'lastLoginAt', 'state', 'actions'].map((c) => [c, t(`admin.col.${c}`)])),
        },
      },
    });
  };

  const api: RequestHandler = async (req, res) => {
    const result = await users.list(parseUserQuery(req.query as Record<string, unknown>));
    res.set('Cache-Control', 'private, no-store');
    res.json(result);
  };

  const setState = (disabled: boolean): RequestHandler => async (req, res) => {
    const id = String(req.params.id);
    if (!z.uuid().safeParse(id).success) throw new NotFoundError();
    await users.setDisabled(id, disabled);
    if (wantsJson(req)) {
      res.json({ id, disabled });
      return;
    }
    setFlash(req, { kind: 'success', key: disabled ? 'admin.disabledFlash' : 'admin.enabledFlash' });
    redirect(req, res, '/admin/users');
  };

  return { page, api, disable: setState(true), enable: setState(false) };
}
