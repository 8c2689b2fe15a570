import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';

const t = await createTestApp();

const adminAgent = () => t.signInAdmin();

describe('admin users', () => {
  it('lists, sorts, filters and pages users for the admin only', async () => {
    for (const name of ['mentor:zelda', 'mentor:yann', 'student:xavier', 'student:wanda']) await t.user(name);
    expect((await (await t.signIn('student:wanda')).get('/api/admin/users')).status).toBe(403);
    const admin = await adminAgent();
    const sorted = await admin.get('/api/admin/users?sortModel=' + encodeURIComponent(JSON.stringify([{ colId: 'displayName', sort: 'asc' }])));
    expect(sorted.body.rows.map((r: { username: string }) => r.username)).toEqual(['wanda', 'xavier', 'yann', 'zelda']);
    expect(sorted.body.lastRow).toBe(4);
    expect(sorted.body.rows[0]).not.toHaveProperty('passwordHash');
    const mentors = await admin.get('/api/admin/users?role=mentor&quickFilter=ZEL');
    expect(mentors.body.rows.map((r: { username: string }) => r.username)).toEqual(['zelda']);
    const page = await admin.get('/api/admin/users?startRow=1&endRow=3&sortModel=' + encodeURIComponent(JSON.stringify([{ colId: 'username', sort: 'asc' }])));
    expect(page.body.rows.map((r: { username: string }) => r.username)).toEqual(['xavier', 'yann']);
    const bad = await admin.get('/api/admin/users?sortModel=' + encodeURIComponent(JSON.stringify([{ colId: 'password_hash', sort: 'asc' }])));
    expect(bad.status).toBe(400);
    // The same message as every grid endpoint's (lib/grid-request.ts), naming the column and the field.
    expect(bad.body.error.message).toContain("Unknown column 'password_hash' in sortModel");
    const html = await admin.get('/admin/users?sort=displayName&dir=asc');
    expect(html.text).toContain('@wanda');
    expect(html.text).toContain('aria-sort="ascending"');
  });

  it('disabling ends the account\'s sessions; enabling lets it sign in again', async () => {
    const victim = await t.signIn('mentor:victim');
    expect((await victim.get('/profile')).status).toBe(200);
    const user = await t.user('mentor:victim');
    const admin = await adminAgent();
    const token = await t.csrf(admin, '/admin/users');
    expect((await admin.post(`/admin/users/${user.id}/disabling`).set('Accept', 'application/json').set('X-CSRF-Token', token)).body).toEqual({ id: user.id, disabled: true });
    expect((await victim.get('/profile')).status).toBe(303);
    expect((await t.agent().get('/mentors/victim')).status).toBe(404);
    await expect(t.signIn('mentor:victim')).rejects.toThrow(/401/);
    const state = await admin.get('/api/admin/users?state=disabled');
    expect(state.body.rows.map((r: { username: string }) => r.username)).toEqual(['victim']);
    expect((await admin.post(`/admin/users/${user.id}/enabling`).type('form').send({ _csrf: token })).status).toBe(303);
    expect((await (await t.signIn('mentor:victim')).get('/profile')).status).toBe(200);
    expect((await admin.post('/admin/users/00000000-0000-0000-0000-000000000001/disabling').type('form').send({ _csrf: token })).status).toBe(404);
  });
});
