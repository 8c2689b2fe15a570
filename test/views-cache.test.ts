// Templates are compiled once and kept (the Eta cache), except under `npm run dev`
// (VIEWS_CACHE=false), which re-reads a template on every render to show edits at once.
// Without the cache every page paid for parsing and compiling its templates again.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VIEWS_DIR } from '../src/lib/render.ts';
import { createTestApp } from './helpers/app.ts';

const LOGIN_VIEW = path.join(VIEWS_DIR, 'auth', 'login.eta');

describe('template cache', () => {
  it('keeps a page compiled after its first render, by default', async () => {
    const t = await createTestApp();
    expect(t.deps.config.viewsCache).toBe(true);
    expect(t.deps.views.templatesSync.get(LOGIN_VIEW)).toBeUndefined();
    expect((await t.agent().get('/login')).status).toBe(200);
    expect(t.deps.views.templatesSync.get(LOGIN_VIEW)).toBeTypeOf('function');
  });

  it('compiles on every render with VIEWS_CACHE=false (npm run dev)', async () => {
    const t = await createTestApp({ env: { VIEWS_CACHE: 'false' } });
    expect((await t.agent().get('/login')).status).toBe(200);
    expect(t.deps.views.templatesSync.get(LOGIN_VIEW)).toBeUndefined();
  });
});
