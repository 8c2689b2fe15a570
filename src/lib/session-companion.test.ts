// The session store's companion read, at its edges: a companion that fails still lets the
// session be read (the user is then loaded by a query of its own), a stored session that
// is not an object is no session, and a companion is never taken for another request.
import cookieParser from 'cookie-parser';
import express from 'express';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { createSession, regenerate, saveSession, sessionCompanion } from './session.ts';
import { loadCurrentUser } from '../users/current-user.ts';
import { createTestApp } from '../../test/helpers/app.ts';

const t = await createTestApp();

/** A bare app over the test database: sign in as anyone, then say who the request is. */
function appWith(companion: string) {
  const app = express();
  app.use(cookieParser());
  app.use(createSession(t.deps.config, t.deps.pool, companion));
  app.use(loadCurrentUser(t.deps.knex, undefined));
  app.post('/as/:id', async (req, res) => {
    await regenerate(req);
    req.session.userId = String(req.params.id);
    await saveSession(req);
    res.sendStatus(204);
  });
  app.get('/who', (req, res) => {
    res.json({ id: req.user?.id ?? null, companion: sessionCompanion(req) === undefined ? 'none' : 'read' });
  });
  return app;
}

describe('the session companion', () => {
  it('falls back to the plain session read when the companion fails, and the user is still loaded', async () => {
    const user = await t.user('student:sc_fallback');
    const agent = supertest.agent(appWith('(select 1 / 0)'));
    expect((await agent.post(`/as/${user.id}`)).status).toBe(204);
    for (let i = 0; i < 3; i++) {
      const res = await agent.get('/who');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: user.id, companion: 'none' });
    }
  });

  it('reads the companion when it works', async () => {
    const user = await t.user('student:sc_works');
    const agent = supertest.agent(appWith(`json_build_object('n', 1)`));
    await agent.post(`/as/${user.id}`);
    await agent.get('/who'); // the store's first read of a process starts its prune timer
    const res = await agent.get('/who');
    // A companion without the user's row: loadCurrentUser does not take it for the user.
    expect(res.body).toEqual({ id: user.id, companion: 'read' });
  });

  it('treats a stored session that is not an object as no session', async () => {
    const user = await t.user('student:sc_null');
    const agent = supertest.agent(appWith(`json_build_object('n', 1)`));
    await agent.post(`/as/${user.id}`);
    await agent.get('/who');
    await t.deps.pool.query(`update sessions set sess = 'null'::json where sess->>'userId' = $1`, [user.id]);
    const res = await agent.get('/who');
    expect(res.status).toBe(200);
    expect(res.body.id).toBeNull();
  });
});
