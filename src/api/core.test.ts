import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';

const t = await createTestApp({ env: { FRONTEND_URL: 'https://app.example.com,http://localhost:5173' } });

describe('the API core', () => {
  it('answers an unknown operation with an RFC 9457 problem, in the request language', async () => {
    const res = await t.agent().get('/api/v1/no-such-thing').set('Accept-Language', 'fr');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({ status: 404, code: 'not_found', title: 'Introuvable', type: 'http://localhost:3999/problems/not_found' });
    expect(body.instance).toBe(res.headers['x-request-id']);
  });

  it('serves its OpenAPI 3.1 document and Swagger UI under their own CSP', async () => {
    const doc = await t.agent().get('/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(doc.body.components.schemas.Problem).toBeDefined();
    const ui = await t.agent().get('/swagger-ui');
    expect(ui.status).toBe(200);
    expect(ui.headers['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");
    expect(ui.headers['content-security-policy']).toContain("script-src 'self'");
    expect(ui.headers['content-security-policy']).not.toContain('unsafe-eval');
    expect((await t.agent().get('/swagger-ui/swagger-ui-bundle.js')).status).toBe(200);
    expect((await t.agent().get('/swagger-ui/package.json')).status).toBe(404);
  });

  it('gives CORS headers to the configured front-ends only, credentials included, preflight cached', async () => {
    const allowed = await t.agent().options('/api/v1/no-such-thing').set('Origin', 'https://app.example.com').set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'authorization,content-type,idempotency-key');
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    expect(allowed.headers['access-control-max-age']).toBe('600');
    expect(allowed.headers['access-control-allow-headers']).toMatch(/Idempotency-Key/);
    const denied = await t.agent().options('/api/v1/no-such-thing').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
    expect(denied.headers['access-control-allow-credentials']).toBeUndefined();
    const simple = await t.agent().get('/api/v1/no-such-thing').set('Origin', 'https://evil.example');
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a malformed or foreign bearer token with a 401 problem', async () => {
    for (const header of ['Bearer not-a-jwt', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.x', 'Basic abc', 'Bearer']) {
      const res = await t.agent().get('/api/v1/no-such-thing').set('Authorization', header);
      expect(res.status, header).toBe(401);
      expect(JSON.parse(res.text).code).toBe('unauthorized');
    }
  });

  it('shows the rate limit in RateLimit-* headers', async () => {
    const res = await t.agent().get('/api/v1/no-such-thing');
    expect(res.headers['ratelimit-limit']).toBe('600');
    expect(Number(res.headers['ratelimit-remaining'])).toBeLessThan(600);
    expect(res.headers['ratelimit-policy']).toContain('w=60');
  });
});

describe('an operation', () => {
  it('validates its path with the schema the document shows, and answers ETag / 304', async () => {
    const bad = await t.agent().get('/api/v1/skills/not-a-uuid');
    expect(bad.status).toBe(422);
    expect(JSON.parse(bad.text).errors).toEqual([{ name: 'id', reason: expect.any(String) }]);
    expect((await t.agent().get('/api/v1/skills/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const doc = (await t.agent().get('/api/v1/openapi.json')).body;
    const op = doc.paths['/skills/{id}'].get;
    expect(op.operationId).toBe('getSkill');
    expect(op.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } });
    expect(Object.keys(op.responses).sort()).toEqual(['200', '304', '404', '422', '429']);
  });
});
