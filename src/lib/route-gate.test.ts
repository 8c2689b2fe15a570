import express, { Router } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { firstSegments, gated } from './route-gate.ts';

function routerWith(build: (r: Router) => void): Router {
  const router = Router();
  build(router);
  return router;
}

describe('firstSegments', () => {
  it('reads the first segment of every route and mounted use, lower-cased', () => {
    const router = routerWith((r) => {
      r.use('/Notifications', (_req, _res, next) => next());
      r.get('/notifications/:id', (_req, res) => res.end());
      r.get(['/earnings.csv', '/payouts/return'], (_req, res) => res.end());
      r.get('/', (_req, res) => res.end());
    });
    expect([...firstSegments(router)!].sort()).toEqual(['', 'earnings.csv', 'notifications', 'payouts']);
  });

  it('gives up (always enter) on a path-less use, a parameter, a pattern or a regexp first', () => {
    expect(firstSegments(routerWith((r) => r.use((_req, _res, next) => next())))).toBeUndefined();
    expect(firstSegments(routerWith((r) => r.get('/:username', (_req, res) => res.end())))).toBeUndefined();
    expect(firstSegments(routerWith((r) => r.get('/*rest', (_req, res) => res.end())))).toBeUndefined();
    expect(firstSegments(routerWith((r) => r.get('{/:lang}/about', (_req, res) => res.end())))).toBeUndefined();
    expect(firstSegments(routerWith((r) => r.get(/^\/x/, (_req, res) => res.end())))).toBeUndefined();
  });
});

describe('gated', () => {
  const calls: string[] = [];
  const build = (wrap: (router: Router) => express.RequestHandler) => {
    const app = express();
    app.use(wrap(routerWith((r) => {
      r.use('/notifications', (_req, _res, next) => { calls.push('guard'); next(); });
      r.get('/notifications', (_req, res) => res.send('list'));
      r.get('/notifications/:id', (req, res) => res.send(`one ${String(req.params.id)}`));
    })));
    app.use(wrap(routerWith((r) => r.get('/:username', (req, res) => res.send(`profile ${String(req.params.username)}`)))));
    app.use((_req, res) => res.status(404).send('none'));
    return app;
  };
  const app = build(gated);

  it('enters the router for its paths, whatever their case, with its params', async () => {
    expect((await request(app).get('/notifications')).text).toBe('list');
    expect((await request(app).get('/NOTIFICATIONS/')).text).toBe('list');
    expect((await request(app).get('/notifications/42?x=1')).text).toBe('one 42');
    expect(calls).toHaveLength(3);
  });

  it('passes other paths on without running its middleware; an ungated router still answers them', async () => {
    calls.length = 0;
    expect((await request(app).get('/notificationsx')).text).toBe('profile notificationsx');
    expect((await request(app).get('/a/b')).status).toBe(404);
    expect((await request(app).get('//notifications')).status).toBe(404);
    expect(calls).toEqual([]);
  });

  it('answers every path exactly as the routers mounted bare do', async () => {
    const bare = build((router) => router);
    for (const path of ['/', '/notifications', '/Notifications/', '/notifications/7', '/notifications/7/x', '/notificationsx', '//notifications', '/notific%61tions', '/a/b', '/%00']) {
      const [a, b] = await Promise.all([request(app).get(path), request(bare).get(path)]);
      expect({ path, status: a.status, text: a.text }).toEqual({ path, status: b.status, text: b.text });
    }
  });
});
