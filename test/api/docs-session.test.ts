// docs/api.md's curl session, run as written (bash, curl, jq) against a listening app:
// a reader who copies it gets what it says.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { Skill } from '../../src/skills/model.ts';
import { createTestApp } from '../helpers/app.ts';

const run = promisify(execFile);
const t = await createTestApp();
const server = await new Promise<Server>((resolve) => {
  const s = t.app.listen(0, '127.0.0.1', () => resolve(s));
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

function sessionScript(): string {
  const doc = fs.readFileSync(path.resolve('docs/api.md'), 'utf8');
  const block = /## A session with curl[\s\S]*?```sh\n([\s\S]*?)```/.exec(doc);
  if (!block?.[1]) throw new Error('docs/api.md has no curl session block');
  return block[1];
}

describe('docs/api.md', () => {
  it('its curl session registers, logs in, finds a slot, books it and refreshes, as written', async () => {
    // A guitar lesson to find, free so the booking is made at once, with open hours every day.
    const mentor = await t.user('mentor:docs_guitar_gaspard');
    await t.deps.knex('availabilityRules').insert([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ mentorId: mentor.id, weekday, startTime: '08:00', endTime: '20:00' })));
    const skill = await Skill.query(t.deps.knex).insertAndFetch({
      mentorId: mentor.id, title: 'Accorder sa guitare et premiers accords', description: "Accordage à l'oreille, posture et cinq accords ouverts.",
      category: 'music', priceCents: 0, durations: [30], mode: 'one_on_one', status: 'published',
    } as Partial<Skill>);

    const { port } = server.address() as { port: number };
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'lbc-docs-'));
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', sessionScript()], { cwd, env: { ...process.env, API: `http://127.0.0.1:${port}/api/v1` } });
    fs.rmSync(cwd, { recursive: true, force: true });

    const [bookingLine, username] = stdout.trim().split('\n');
    const booking = await t.deps.knex('bookings').where({ id: bookingLine }).first();
    expect(booking, `the session booked (it printed ${bookingLine})`).toMatchObject({ skillId: skill.id, durationMinutes: 30 });
    expect(username).toMatch(/^zoe\d+$/);
  }, 60_000);
});
