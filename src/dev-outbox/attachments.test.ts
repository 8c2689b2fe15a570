// The dev outbox keeps what a mail carried: a booking confirmation's invitation is
// listed with its name, type and size, previewed, and downloadable as stored.
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { outboxTransport } from '../lib/mailer.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { parseCalendar } from '../../test/helpers/ical.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';

const clock = new FixedClock(new Date('2027-03-22T08:00:00Z'));
const t: TestApp = await createTestApp({ overrides: { clock, mailTransport: { send: (mail) => outboxTransport(t.deps.knex).send(mail) } } });

describe('attachments in the dev outbox', () => {
  it('shows an invitation with its name, type, size, key lines and a download of the stored file', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:outboxmentor', { settings: { requiresApproval: false } });
    const student = await t.signIn('student:outboxstudent');
    const token = await t.csrf(student, '/');
    const booked = await student.post(`/skills/${skillId}/bookings`).type('form').send({ _csrf: token, start: '2027-03-24T09:00:00.000Z', duration: '60', subject: 'Outbox <check>' });
    expect(booked.status).toBe(303);
    const bookingId = String(booked.headers.location).split('/').pop();
    await t.runJobs();

    const row = await t.deps.knex('mail_outbox').where({ toAddress: 'outboxstudent@example.test' }).orderBy('id', 'desc').first();
    expect(row.attachments).toHaveLength(1);
    const stored = row.attachments[0] as { filename: string; contentType: string; content: string };
    expect(stored).toMatchObject({ filename: 'leboncours-session.ics', contentType: 'text/calendar; charset=utf-8; method=REQUEST' });

    const agent = t.agent();
    const list = await agent.get('/dev/outbox').query({ to: 'outboxstudent@example.test' });
    expect(list.text).toContain('1 attachment');

    const page = await agent.get(`/dev/outbox/${row.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('leboncours-session.ics');
    expect(page.text).toContain('text/calendar; charset=utf-8; method=REQUEST');
    expect(page.text).toContain(`${Buffer.byteLength(stored.content).toLocaleString('en')} bytes`);
    expect(page.text).toMatch(/<dt>METHOD<\/dt><dd><code>REQUEST<\/code>/);
    expect(page.text).toContain(`<dt>UID</dt><dd><code>${bookingId}@localhost</code>`);
    expect(page.text).toContain('<dt>DTSTART</dt><dd><code>20270324T090000Z</code>');
    // The raw text is escaped like any other content.
    expect(page.text).toContain('Outbox &lt;check&gt;');
    expect(page.text).not.toContain('Outbox <check>');
    expect(page.text).toContain(`href="/dev/outbox/${row.id}/attachments/0"`);

    const file = await agent.get(`/dev/outbox/${row.id}/attachments/0`);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('text/calendar; charset=utf-8; method=REQUEST');
    expect(file.headers['content-disposition']).toContain('attachment');
    expect(file.text).toBe(stored.content);
    expect(parseCalendar(file.text).method).toBe('REQUEST');

    for (const bad of ['1', '-1', 'x', '99999999999999999999']) expect((await agent.get(`/dev/outbox/${row.id}/attachments/${bad}`)).status).toBe(404);
  });
});
