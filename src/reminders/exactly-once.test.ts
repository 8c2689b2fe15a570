import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Runner } from 'graphile-worker';
import { afterAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { startWorker } from '../lib/jobs.ts';
import { allTasks } from '../jobs.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { book, makeDue, reminderJobs, reminderMails, reminderNotices } from '../../test/helpers/reminders.ts';
import { waitFor } from '../../test/helpers/wait.ts';
import { deliverReminder } from './deliver.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const START = '2027-01-12T08:00:00.000Z';
const clock = new FixedClock(new Date('2027-01-11T07:59:00Z')); // a minute before the 24-hour reminders
const t = await createTestApp({ overrides: { clock } });
// A second app instance over the same database, with its own job runner.
const other = await createTestApp({ overrides: { clock }, databaseUrl: t.databaseUrl });
let worker: Runner | undefined;
afterAll(async () => { await worker?.stop(); });

async function dueBooking(mentor: string, student: string) {
  const { skillId } = await mentorWithSkill(t, mentor, { settings: { requiresApproval: false, minNoticeMinutes: 60 } });
  const id = await book(t, await t.signIn(student), skillId, START);
  const due = (await reminderJobs(t, id)).filter((j) => j.payload.offsetMinutes === 1440);
  for (const j of due) await makeDue(t, j.key);
  return { id, due };
}

describe('exactly one reminder per booking, party and offset', () => {
  it('two instances running the same due jobs at once, each job queued three times over: one notice and one mail each', async () => {
    const { id, due } = await dueBooking('mentor:uma', 'student:ugo');
    // Copies without a key: what a racing sweep, or a job freed from a live worker, could leave.
    for (const j of due) for (let i = 0; i < 2; i++) await t.deps.jobs.add(t.deps.knex, 'booking-reminder', { ...j.payload });
    await Promise.all([t.runJobs(), other.runJobs(), t.runJobs(), other.runJobs()]);
    await Promise.all([t.runJobs(), other.runJobs()]);
    expect((await reminderNotices(t, id)).length).toBe(2);
    const mails = [...t.mails, ...other.mails];
    expect(mails.filter((m) => m.to === 'ugo@example.test' && m.subject.startsWith('Reminder')).length).toBe(1);
    expect(mails.filter((m) => m.to === 'uma@example.test' && m.subject.startsWith('Reminder')).length).toBe(1);
    expect(await t.deps.knex('sentReminders').where({ bookingId: id }).count({ n: '*' }).first()).toEqual({ n: 2 });
  });

  it('the same reminder delivered in parallel transactions: one claims it, the others find it claimed', async () => {
    const { due } = await dueBooking('mentor:vera', 'student:vito');
    const deps = { knex: t.deps.knex, clock, jobs: t.deps.jobs, notifications: t.deps.services.notifications };
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => deliverReminder(deps, due[0]!.payload)));
    expect(outcomes.filter((o) => o === 'sent').length).toBe(1);
    expect(outcomes.filter((o) => o === 'already_sent').length).toBe(5);
  });

  it('a worker killed after the reminder was written, before it could mark its job done: the job runs again and sends nothing more', async () => {
    const { id, due } = await dueBooking('mentor:wanda', 'student:will');
    const willId = (await t.user('student:will')).id;
    const job = due.find((j) => j.payload.userId === willId)!;
    for (const j of due.filter((d) => d.key !== job.key)) await t.deps.knex.raw('select graphile_worker.remove_job(?)', [j.key]);
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/crashing-worker.ts', t.databaseUrl, 'booking-reminder'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => { if (chunk.toString().includes('locked')) resolve(); });
      child.once('exit', (code) => reject(new Error(`crashing worker exited early (${code})`)));
    });
    // What the dead worker had done before dying: the reminder's transaction committed.
    expect(await deliverReminder({ knex: t.deps.knex, clock, jobs: t.deps.jobs, notifications: t.deps.services.notifications }, job.payload)).toBe('sent');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    worker = await startWorker({ connectionString: t.databaseUrl, taskList: allTasks(t.deps), logger: t.deps.logger, concurrency: 1, recovery: { staleAfterMs: 1000, heartbeatMs: 200 } });
    // The freed job ran again (it is gone) and the mail queued by the first run went out.
    await waitFor(() => reminderMails(t, 'will@example.test')[0], 10_000);
    const stillQueued = async () => (await reminderJobs(t, id)).some((j) => j.key === job.key);
    for (let i = 0; i < 200 && await stillQueued(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await stillQueued()).toBe(false);
    await new Promise((r) => setTimeout(r, 300)); // a second mail would have been queued by now
    expect((await reminderNotices(t, id)).length).toBe(1);
    expect(reminderMails(t, 'will@example.test').length).toBe(1);
  });
});
