// One request id (and trace id) from the page to the job it queued and the mail that
// job sent: in the job's payload, in the job's log line and in the mail's.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { openMentor, slotAt } from '../../test/helpers/student-api.ts';

interface Line { msg: string; reqId?: string; traceId?: string; jobId?: string; task?: string; template?: string }

const lines: Line[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Line) });
const t = await createTestApp({ overrides: { logger } });

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const resetJobs = async () => (await t.deps.knex.raw<{ rows: { id: string; payload: Record<string, unknown> }[] }>(
  `select j.id, j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id
   where k.identifier = 'password-reset-mail' order by j.id`)).rows;

describe('request ids in jobs and mails', () => {
  it('a reset request queues its mail job with the request and trace ids; the run and the mail log them', async () => {
    await t.user('student:scope_sue');
    const agent = t.agent();
    const token = await t.csrf(agent, '/password-resets/new');
    const res = await agent.post('/password-resets').type('form')
      .set('X-Request-Id', 'scope-test-request-01').set('traceparent', `00-${TRACE}-00f067aa0ba902b7-01`)
      .send({ _csrf: token, email: 'scope_sue@example.test' });
    expect(res.status).toBe(200);

    const [job, ...more] = await resetJobs();
    expect(more).toEqual([]);
    expect(job!.payload).toMatchObject({ _requestId: 'scope-test-request-01', _traceId: TRACE });
    await new Promise((r) => setImmediate(r));
    expect(lines.find((l) => l.reqId === 'scope-test-request-01' && l.msg === 'request completed')).toMatchObject({ traceId: TRACE });

    await t.runJobs();
    expect(t.mails.filter((m) => m.to === 'scope_sue@example.test')).toHaveLength(1);
    const ran = lines.find((l) => l.msg === 'job ran' && l.task === 'password-reset-mail');
    expect(ran).toMatchObject({ reqId: 'scope-test-request-01', traceId: TRACE, jobId: String(job!.id) });
    const mail = lines.find((l) => l.msg === 'mail sent' && l.template === 'password-reset');
    expect(mail).toMatchObject({ reqId: 'scope-test-request-01', traceId: TRACE, jobId: String(job!.id) });
  });

  it('a booking queues its jobs in its own statement (next-free refresh, notice mails, reminders) with the request id too', async () => {
    const { skillId } = await openMentor(t, 'mentor:scope_mia', { requiresApproval: false });
    const student = await t.user('student:scope_sam');
    const { accessToken } = await t.deps.services.tokens.issueAccess(student);
    const res = await t.agent().post('/api/v1/bookings').set('Authorization', `Bearer ${accessToken}`)
      .set('X-Request-Id', 'scope-test-request-03').set('traceparent', `00-${TRACE}-00f067aa0ba902b7-01`)
      .send({ skillId, startsAt: slotAt(t, 3), durationMinutes: 60, subject: 'Ids in every job' });
    expect(res.status).toBe(201);
    const { rows } = await t.deps.knex.raw<{ rows: { task: string; payload: Record<string, unknown> }[] }>(
      `select k.identifier as task, j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id
       where j.payload->>'_requestId' = 'scope-test-request-03'`);
    expect(new Set(rows.map((r) => r.task))).toEqual(new Set(['refresh-next-free', 'notification-mail', 'booking-reminder']));
    for (const row of rows) expect(row.payload, row.task).toMatchObject({ _requestId: 'scope-test-request-03', _traceId: TRACE });
    const reminder = rows.find((r) => r.task === 'booking-reminder')!;
    expect(reminder.payload).toMatchObject({ bookingId: res.body.id, startsAt: slotAt(t, 3) });
  });

  it('a job queued outside any request carries no ids, and a bad traceparent is ignored', async () => {
    await t.deps.jobs.add(t.deps.knex, 'password-reset-mail', { userId: '00000000-0000-4000-8000-000000000000', token: 'x' });
    const queued = (await resetJobs()).at(-1)!;
    expect(queued.payload).not.toHaveProperty('_requestId');

    const res = await t.agent().get('/login').set('X-Request-Id', 'scope-test-request-02').set('traceparent', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`);
    expect(res.status).toBe(200);
    expect(res.headers).not.toHaveProperty('traceparent');
    await new Promise((r) => setImmediate(r));
    const line = lines.find((l) => l.reqId === 'scope-test-request-02');
    expect(line).toBeDefined();
    expect(line).not.toHaveProperty('traceId');
  });
});
