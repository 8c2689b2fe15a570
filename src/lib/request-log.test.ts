// The request log: one line per page with the id the response echoes in X-Request-Id,
// the status and who asked; probes and static files are left out.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';

interface Line { level: number; msg: string; reqId?: string; req?: { method: string; url: string }; res?: { statusCode: number }; userId?: string; responseTime?: number }

async function appWithLog() {
  const lines: Line[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Line) });
  const t = await createTestApp({ overrides: { logger } });
  return { t, lines, linesFor: (id: string) => lines.filter((l) => l.reqId === id) };
}

describe('request log', () => {
  it('writes one line per page with the echoed request id, method, url, status and time', async () => {
    const { t, linesFor } = await appWithLog();
    const res = await t.agent().get('/login?next=%2Fdashboard');
    expect(res.status).toBe(200);
    const id = res.headers['x-request-id'] as string;
    await new Promise((resolve) => setImmediate(resolve));
    const [line, ...more] = linesFor(id);
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: 30, msg: 'request completed', req: { method: 'GET', url: '/login?next=%2Fdashboard' }, res: { statusCode: 200 } });
    expect(line!.responseTime).toBeGreaterThanOrEqual(0);
  });

  it('keeps a sane incoming X-Request-Id, names the signed-in user, and logs a 404 as a warning', async () => {
    const { t, linesFor } = await appWithLog();
    const agent = await t.signIn('student:reqlog_sam');
    const user = await t.user('student:reqlog_sam');
    const res = await agent.get('/no-such-page-reqlog').set('X-Request-Id', 'reqlog-test-0001');
    expect(res.status).toBe(404);
    expect(res.headers['x-request-id']).toBe('reqlog-test-0001');
    await new Promise((resolve) => setImmediate(resolve));
    expect(linesFor('reqlog-test-0001')).toMatchObject([{ level: 40, res: { statusCode: 404 }, userId: user.id }]);
  });

  it('leaves probes out', async () => {
    const { t, lines } = await appWithLog();
    const res = await t.agent().get('/healthz');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.filter((l) => l.reqId === res.headers['x-request-id'])).toEqual([]);
  });
});
