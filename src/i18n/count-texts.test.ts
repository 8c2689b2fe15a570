// The two counts users reported wrong, through HTTP: a search with no result said
// "1 compétence" and a bell with nothing unread said "1 non lue".
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';

const t = await createTestApp();

describe('counts on the pages', () => {
  it('says a search found no skill, in French and English', async () => {
    const fr = await t.agent().get('/skills').query({ q: 'zzqx-nothing-matches' }).set('Accept-Language', 'fr');
    expect(fr.status).toBe(200);
    expect(fr.text).toContain('<p class="results__count muted">Aucune compétence</p>');
    expect(fr.text).not.toMatch(/\b1 compétence\b/);
    const en = await t.agent().get('/skills').query({ q: 'zzqx-nothing-matches' }).set('Accept-Language', 'en');
    expect(en.text).toContain('<p class="results__count muted">No skills</p>');
  });

  it('labels the bell with the real number of unread notices', async () => {
    const reader = await t.signIn('student:counted-reader', { locale: 'fr' });
    const empty = await reader.get('/notifications/bell');
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('aria-label="Notifications : aucune non lue"');
    expect(empty.text).not.toContain('1 non lue');

    const user = await t.user('student:counted-reader');
    await t.deps.knex('notifications').insert([1, 2].map(() => ({ userId: user.id, kind: 'booking.confirmed', data: {} })));
    expect((await reader.get('/notifications/bell')).text).toContain('aria-label="Notifications : 2 non lues"');
  });
});
