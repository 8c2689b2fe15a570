import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type supertest from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalStorage } from '../lib/storage.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { asset } from '../../test/helpers/assets.ts';
import { refusedPage } from '../../test/helpers/refused-form.ts';
import { slugify } from './slugs.ts';
import { COURSE_UPLOAD_LIMITS } from './uploads.ts';
import { sanitizeDescription } from './sanitize.ts';
import { formatDuration } from './schemas.ts';

// Small limits for videos and resources, so "too large" needs kilobytes, not 200 MB.
// Read when the routes are built: set before the app.
COURSE_UPLOAD_LIMITS.videoBytes = 64 * 1024;
COURSE_UPLOAD_LIMITS.resourceBytes = 64 * 1024;

// Files go to a folder of this file's own, so the tests can look at the disk.
const uploadRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'lbc-course-admin-test-'));
const t = await createTestApp({ overrides: { storage: createLocalStorage(uploadRoot) } });
afterAll(() => fs.promises.rm(uploadRoot, { recursive: true, force: true }));

// ---- fixtures ---------------------------------------------------------------------

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
/** Real tiny videos (test/fixtures/make-videos.sh): their length must be readable to be accepted. */
const MP4 = fs.readFileSync(new URL('../../test/fixtures/tiny-2s.mp4', import.meta.url));
const WEBM = fs.readFileSync(new URL('../../test/fixtures/tiny-65s.webm', import.meta.url));
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const TEXT = Buffer.from('just some text, not a picture at all\n');

/** A stored (uncompressed) zip archive of text entries. */
function zip(entries: [string, string][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const data = Buffer.from(text);
    const fname = Buffer.from(name);
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fname.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fname.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fname, data);
    centrals.push(central, fname);
    offset += 30 + fname.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
const SOURCES = zip([['src/main.wdw', 'PROCEDURE Main()'], ['README.txt', 'Open with WinDev 26']]);
const ODP = zip([['mimetype', 'application/vnd.oasis.opendocument.presentation'], ['content.xml', '<office:document-content/>']]);

// ---- helpers ----------------------------------------------------------------------

type Agent = supertest.Agent;
type Fields = Record<string, string | string[]>;

const adminAgent = () => t.signInAdmin();

/** Repeated keys for lists: { prerequisites: ['a', 'b'] } → prerequisites=a&prerequisites=b. */
function encode(fields: Fields, token: string): string {
  const params = new URLSearchParams({ _csrf: token });
  for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  return params.toString();
}

async function post(agent: Agent, url: string, fields: Fields = {}, page = '/admin/courses') {
  const token = await t.csrf(agent, page);
  return agent.post(url).type('form').send(encode(fields, token));
}

const validCourse: Fields = {
  title: 'Les fenêtres de WinDev 26',
  subtitle: 'Fenêtres, plans et ancrages',
  slug: '',
  shortDescription: 'Construire des fenêtres qui s’adaptent.',
  descriptionHtml: '<p>Un cours <strong>complet</strong>.</p>',
  level: 'intermediate',
  compatibility: ['WD25', 'WD26'],
  prerequisites: 'Connaître le WLangage\nAvoir WinDev installé',
  objectives: ['Utiliser les plans', 'Ancrer les champs'],
  price: '49,90',
  educators: '',
};

const courseIdFrom = (location: string | undefined) => String(location).split('/')[3]!;

async function createCourse(agent: Agent, fields: Fields = {}) {
  const res = await post(agent, '/admin/courses', { ...validCourse, ...fields }, '/admin/courses/new');
  expect(res.status, res.text.slice(0, 300)).toBe(303);
  return courseIdFrom(res.headers.location);
}

const course = (id: string) => t.deps.knex('courses').where({ id }).first();
const fieldError = (html: string, field: string) => new RegExp(`<p class="field__error" id="f-${field}-error">([^<]*)</p>`).exec(html)?.[1];
const onDisk = (key: string) => fs.existsSync(path.join(uploadRoot, key));

function upload(agent: Agent, url: string, token: string | undefined, field: string, file?: { body: Buffer; name: string; type?: string }, fields: Fields = {}) {
  let req = agent.post(token !== undefined ? `${url}?_csrf=${encodeURIComponent(token)}` : url);
  if (token !== undefined) req = req.field('_csrf', token);
  for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) req = req.field(key, v);
  if (file) req = req.attach(field, file.body, { filename: file.name, contentType: file.type ?? 'application/octet-stream' });
  return req;
}

async function addModule(agent: Agent, courseId: string, title: string): Promise<string> {
  const res = await post(agent, `/admin/courses/${courseId}/modules`, { title });
  expect(res.status).toBe(303);
  return String(res.headers.location).split('#module-')[1]!;
}

async function addLesson(agent: Agent, courseId: string, moduleId: string, title: string): Promise<string> {
  const res = await post(agent, `/admin/courses/${courseId}/modules/${moduleId}/lessons`, { title });
  expect(res.status, res.text.slice(0, 300)).toBe(303);
  return String(res.headers.location).split('#lesson-')[1]!;
}

const moduleOrder = async (courseId: string) =>
  (await t.deps.knex('courseModules').where({ courseId }).orderBy('position').select('title', 'position')).map((r: { title: string; position: number }) => `${r.position}:${r.title}`);
const lessonOrder = async (moduleId: string) =>
  (await t.deps.knex('lessons').where({ moduleId }).orderBy('position').select('title', 'position')).map((r: { title: string; position: number }) => `${r.position}:${r.title}`);

// ---- guards -----------------------------------------------------------------------

describe('access to /admin/courses', () => {
  it('sends anonymous visitors to the login page', async () => {
    const res = await t.agent().get('/admin/courses');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fadmin%2Fcourses');
  });

  it('forbids students and mentors, pages and actions alike', async () => {
    const admin = await adminAgent();
    const id = await createCourse(admin, { title: 'Guarded course' });
    for (const fixture of ['student:course-sam', 'mentor:course-maya']) {
      const agent = await t.signIn(fixture);
      expect((await agent.get('/admin/courses')).status).toBe(403);
      expect((await agent.get(`/admin/courses/${id}/edit`)).status).toBe(403);
      const token = await t.csrf(agent, '/');
      expect((await agent.post('/admin/courses').type('form').send(encode(validCourse, token))).status).toBe(403);
      expect((await agent.post(`/admin/courses/${id}/publication`).type('form').send(encode({}, token))).status).toBe(403);
      expect((await agent.post(`/admin/courses/${id}/deletion`).type('form').send(encode({}, token))).status).toBe(403);
    }
    expect(await course(id)).toMatchObject({ published: false, title: 'Guarded course' });
  });
});

// ---- create, edit, validation -------------------------------------------------------

describe('creating and editing a course', () => {
  it('creates a draft with every field, lists kept in order, and shows it in the list', async () => {
    const admin = await adminAgent();
    await t.user('mentor:course-edu1');
    await t.user('mentor:course-edu2');
    const id = await createCourse(admin, { title: 'Round trip course', educators: 'course-edu1\n@course-edu2' });
    const row = await course(id);
    expect(row).toMatchObject({
      title: 'Round trip course', subtitle: 'Fenêtres, plans et ancrages', slug: 'round-trip-course', published: false, level: 'intermediate',
      priceCents: 4990, compatibility: ['WD25', 'WD26'], prerequisites: ['Connaître le WLangage', 'Avoir WinDev installé'],
      objectives: ['Utiliser les plans', 'Ancrer les champs'], descriptionHtml: '<p>Un cours <strong>complet</strong>.</p>',
    });
    const educators = await t.deps.knex('courseEducators').join('users', 'users.id', 'courseEducators.mentorId').where({ courseId: id }).orderBy('username').pluck('username');
    expect(educators).toEqual(['course-edu1', 'course-edu2']);

    // The edit page gives the same values back: lists one item per line, boxes ticked.
    const page = await admin.get(`/admin/courses/${id}/edit`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="Round trip course"');
    expect(page.text).toMatch(/name="prerequisites"[^>]*>Connaître le WLangage\nAvoir WinDev installé<\/textarea>/);
    expect(page.text).toMatch(/name="objectives"[^>]*>Utiliser les plans\nAncrer les champs<\/textarea>/);
    expect(page.text).toMatch(/name="educators"[^>]*>course-edu1\ncourse-edu2<\/textarea>/);
    expect(page.text).toContain('value="WD26" checked');
    expect(page.text).not.toContain('value="WB26" checked');
    expect(page.text).toContain(`<script src="${asset(t, '/js/course-editor.js')}" defer></script>`);

    // Saving again as repeated fields (what the enhanced editor sends) keeps the same lists.
    const res = await post(admin, `/admin/courses/${id}`, { ...validCourse, title: 'Round trip course', slug: 'round-trip-course', prerequisites: ['Un', ' ', 'Deux'], objectives: 'Trois', compatibility: 'WM25', educators: ['course-edu2'] });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/courses/${id}/edit`);
    expect(await course(id)).toMatchObject({ prerequisites: ['Un', 'Deux'], objectives: ['Trois'], compatibility: ['WM25'] });
    expect(await t.deps.knex('courseEducators').where({ courseId: id }).count({ n: '*' }).first()).toEqual({ n: 1 });

    const list = await admin.get('/admin/courses');
    expect(list.status).toBe(200);
    const rowHtml = new RegExp(`<tr data-course-id="${id}">([\\s\\S]*?)</tr>`).exec(list.text)?.[1] ?? '';
    expect(rowHtml).toContain('Round trip course');
    expect(rowHtml).toContain('Draft');
    expect(rowHtml).toContain('Intermediate');
    expect(rowHtml).toContain('0 modules · 0 lessons');
    expect(rowHtml).toContain('aria-label="Publish “Round trip course”"');
    expect(rowHtml).toContain('€49.90');
  });

  it('answers errors beside the fields and keeps what was typed', async () => {
    const admin = await adminAgent();
    const before = Number((await t.deps.knex('courses').count({ n: '*' }).first())!.n);
    const res = await post(admin, '/admin/courses', {
      ...validCourse, title: 'ab', slug: 'Bad slug!', level: 'guru', price: 'free', compatibility: ['XX99'],
      prerequisites: Array.from({ length: 21 }, (_, i) => `Item ${i}`), objectives: 'x'.repeat(301), educators: 'nobody-here',
    }, '/admin/courses/new');
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'title')).toBe('Use at least 3 characters.');
    expect(fieldError(res.text, 'slug')).toMatch(/lowercase letters/);
    expect(fieldError(res.text, 'level')).toBe('Choose one of the options.');
    expect(fieldError(res.text, 'price')).toMatch(/Enter an amount/);
    expect(fieldError(res.text, 'compatibility')).toBe('Unknown version.');
    expect(fieldError(res.text, 'prerequisites')).toBe('At most 20 items.');
    expect(fieldError(res.text, 'objectives')).toBe('Each item has at most 300 characters.');
    expect(res.text).toContain('value="ab"');
    expect(res.text).toContain('value="Bad slug!"');
    expect(res.text).toMatch(/name="prerequisites"[^>]*>Item 0\nItem 1/);
    expect(Number((await t.deps.knex('courses').count({ n: '*' }).first())!.n)).toBe(before);
  });

  it('refuses educators who are not active mentors', async () => {
    const admin = await adminAgent();
    await t.user('student:course-not-mentor');
    const res = await post(admin, '/admin/courses', { ...validCourse, title: 'Educators check', educators: 'course-not-mentor\nghost-mentor' }, '/admin/courses/new');
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'educators')).toBe('Not an active mentor: course-not-mentor, ghost-mentor.');
    expect(res.text).toMatch(/name="educators"[^>]*>course-not-mentor\nghost-mentor<\/textarea>/);
    expect(await t.deps.knex('courses').where({ title: 'Educators check' }).first()).toBeUndefined();
  });

  it('edits with validation and 404s for an unknown course', async () => {
    const admin = await adminAgent();
    const id = await createCourse(admin, { title: 'Editable course' });
    const bad = await post(admin, `/admin/courses/${id}`, { ...validCourse, title: '', price: '-3' });
    expect(bad.status).toBe(422);
    expect(fieldError(bad.text, 'title')).toBe('This field is required.');
    expect(fieldError(bad.text, 'price')).toMatch(/Enter an amount/);
    expect((await course(id)).title).toBe('Editable course');
    expect((await admin.get('/admin/courses/00000000-0000-4000-8000-000000000000/edit')).status).toBe(404);
    expect((await admin.get('/admin/courses/not-a-uuid/edit')).status).toBe(404);
  });
});

// ---- slugs --------------------------------------------------------------------------

describe('slugs', () => {
  it('are lowercase ASCII with dashes, accents stripped, at most 80 characters', () => {
    expect(slugify('Les Fenêtres de WinDev 26 !')).toBe('les-fenetres-de-windev-26');
    expect(slugify('  Écrire en Français : œuvre & ça — déjà  ')).toBe('ecrire-en-francais-oeuvre-ca-deja');
    expect(slugify('C++ / C# -- SQL')).toBe('c-c-sql');
    expect(slugify('!!!')).toBe('course');
    const long = slugify('word '.repeat(40));
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(long.endsWith('word')).toBe(true); // cut between words
  });

  it('are generated unique (-2, -3…), kept when typed, refused when taken', async () => {
    const admin = await adminAgent();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await createCourse(admin, { title: 'Déployer une appli WebDev' }));
    const slugs = await Promise.all(ids.map(async (id) => (await course(id)).slug));
    expect(slugs).toEqual(['deployer-une-appli-webdev', 'deployer-une-appli-webdev-2', 'deployer-une-appli-webdev-3']);

    const typed = await createCourse(admin, { title: 'Another title', slug: 'My-Own-Slug' });
    expect((await course(typed)).slug).toBe('my-own-slug');
    const taken = await post(admin, '/admin/courses', { ...validCourse, title: 'Third title', slug: 'deployer-une-appli-webdev-2' }, '/admin/courses/new');
    expect(taken.status).toBe(422);
    expect(fieldError(taken.text, 'slug')).toBe('Another course already uses this address. Choose another one, or leave it empty.');
    expect(taken.text).toContain('value="deployer-une-appli-webdev-2"');

    // Emptied on edit: made again from the title, its own slug not counted as taken.
    const second = ids[1]!;
    expect((await post(admin, `/admin/courses/${second}`, { ...validCourse, title: 'Déployer une appli WebDev', slug: '' })).status).toBe(303);
    expect((await course(second)).slug).toBe('deployer-une-appli-webdev-2');
    expect((await post(admin, `/admin/courses/${second}`, { ...validCourse, title: 'Déployer une appli WebDev', slug: 'deployer-une-appli-webdev' })).status).toBe(422);
    // A long title leaves room for the suffix.
    const longTitle = 'Un titre vraiment très long pour un cours de WinDev qui ne finit jamais vraiment pas du tout';
    const a = await createCourse(admin, { title: longTitle });
    const b = await createCourse(admin, { title: longTitle });
    expect((await course(b)).slug).toBe(`${(await course(a)).slug}-2`);
    expect((await course(b)).slug.length).toBeLessThanOrEqual(80);
  });
});

// ---- sanitization ---------------------------------------------------------------------

describe('the long description', () => {
  const dirty = [
    '<h2>Programme</h2><p onclick="steal()">Des <strong>fenêtres</strong> et <em>des plans</em>.</p>',
    '<script>alert(1)</script><img src=x onerror="alert(2)">',
    '<ul><li>Un</li><li>Deux</li></ul><ol><li>Trois</li></ol><blockquote>Cité</blockquote><pre><code>x := 1</code></pre>',
    '<a href="javascript:alert(3)">piège</a> <a href="https://doc.pcsoft.fr/" target="_blank" rel="opener">doc</a> <a href="mailto:prof@example.com">écrire</a>',
    '<iframe src="https://evil.example"></iframe><style>p{}</style><p style="color:red">rouge</p><h1>Titre</h1>',
  ].join('');

  it('is sanitized on save: scripts, handlers and javascript: links removed, allowed markup kept', async () => {
    const admin = await adminAgent();
    const id = await createCourse(admin, { title: 'Sanitized course', descriptionHtml: dirty });
    const html: string = (await course(id)).descriptionHtml;
    for (const banned of ['<script', 'alert(', 'onerror', 'onclick', 'javascript:', '<img', '<iframe', '<style', 'style=', 'target=', 'opener"']) expect(html).not.toContain(banned);
    for (const kept of ['<h2>Programme</h2>', '<p>Des <strong>fenêtres</strong> et <em>des plans</em>.</p>', '<ul><li>Un</li><li>Deux</li></ul>', '<ol><li>Trois</li></ol>', '<blockquote>Cité</blockquote>', '<pre><code>x := 1</code></pre>', '<p>rouge</p>']) {
      expect(html).toContain(kept);
    }
    expect(html).toContain('<a href="https://doc.pcsoft.fr/" rel="noopener noreferrer">doc</a>');
    expect(html).toContain('<a href="mailto:prof@example.com" rel="noopener noreferrer">écrire</a>');
    expect(html).toContain('piège'); // the refused link keeps its text
    expect(html).toContain('<h2>Titre</h2>'); // h1 is the page's own title: demoted
  });

  it('is the same through the function', () => {
    expect(sanitizeDescription('<p>ok</p><script>x()</script>')).toBe('<p>ok</p>');
    expect(sanitizeDescription('<a href="//evil.example/x">x</a><a href="data:text/html,1">y</a>')).toBe('xy');
    expect(sanitizeDescription('<svg onload="x()"><p>t</p></svg>')).not.toContain('onload');
  });
});

// ---- publication ----------------------------------------------------------------------

describe('publishing', () => {
  it('publishes and unpublishes, and comes back where it was asked', async () => {
    const admin = await adminAgent();
    const id = await createCourse(admin, { title: 'Publishable course' });
    // Ready to publish (the checklist itself: publication.test.ts): one text-only lesson.
    const m = await addModule(admin, id, 'M');
    await t.deps.knex('lessons').where({ id: await addLesson(admin, id, m, 'Reading') }).update({ textOnly: true });
    const pub = await post(admin, `/admin/courses/${id}/publication`, { confirm: 'yes' });
    expect(pub.status).toBe(303);
    expect(pub.headers.location).toBe(`/admin/courses/${id}/edit`);
    expect((await course(id)).published).toBe(true);
    const list = await admin.get('/admin/courses');
    expect(new RegExp(`<tr data-course-id="${id}">[\\s\\S]*?badge--success">Published`).test(list.text)).toBe(true);

    const unpub = await post(admin, `/admin/courses/${id}/unpublication`, { returnTo: '/admin/courses' });
    expect(unpub.headers.location).toBe('/admin/courses');
    expect((await course(id)).published).toBe(false);
    // Only our own pages are places to come back to.
    const evil = await post(admin, `/admin/courses/${id}/publication`, { confirm: 'yes', returnTo: 'https://evil.example/' });
    expect(evil.headers.location).toBe(`/admin/courses/${id}/edit`);
  });
});

// ---- modules and lessons ---------------------------------------------------------------

describe('modules and lessons', () => {
  it('keeps module positions 1..n through adds, moves and deletions', async () => {
    const admin = await adminAgent();
    const id = await createCourse(admin, { title: 'Ordered course' });
    const a = await addModule(admin, id, 'A');
    const b = await addModule(admin, id, 'B');
    const c = await addModule(admin, id, 'C');
    expect(await moduleOrder(id)).toEqual(['1:A', '2:B', '3:C']);

    const move = (moduleId: string, direction: string) => post(admin, `/admin/courses/${id}/modules/${moduleId}/moves`, { direction });
    expect((await move(c, 'up')).status).toBe(303);
    expect(await moduleOrder(id)).toEqual(['1:A', '2:C', '3:B']);
    await move(a, 'up'); // already first: nothing moves
    expect(await moduleOrder(id)).toEqual(['1:A', '2:C', '3:B']);
    await move(a, 'down');
    expect(await moduleOrder(id)).toEqual(['1:C', '2:A', '3:B']);
    await move(b, 'down'); // already last
    expect(await moduleOrder(id)).toEqual(['1:C', '2:A', '3:B']);
    expect((await move(a, 'sideways')).status).toBe(422);

    expect((await post(admin, `/admin/courses/${id}/modules/${a}/deletion`)).status).toBe(303);
    expect(await moduleOrder(id)).toEqual(['1:C', '2:B']);
    await addModule(admin, id, 'D');
    expect(await moduleOrder(id)).toEqual(['1:C', '2:B', '3:D']);

    const page = await admin.get(`/admin/courses/${id}/curriculum`);
    expect(page.status).toBe(200);
    expect([...page.text.matchAll(/<li class="card module-card" id="module-([0-9a-f-]+)"/g)].map((m) => m[1])).toEqual([c, b, expect.any(String)]);
  });

  it('keeps lesson positions 1..n inside their module', async () => {
    const admin = await adminAgent();
    const id = await createCourse(admin, { title: 'Lessons course' });
    const m1 = await addModule(admin, id, 'Module one');
    const m2 = await addModule(admin, id, 'Module two');
    const l1 = await addLesson(admin, id, m1, 'L1');
    await addLesson(admin, id, m1, 'L2');
    const l3 = await addLesson(admin, id, m1, 'L3');
    await addLesson(admin, id, m2, 'Other module');
    expect(await lessonOrder(m1)).toEqual(['1:L1', '2:L2', '3:L3']);
    expect(await lessonOrder(m2)).toEqual(['1:Other module']);

    const move = (lessonId: string, direction: string) => post(admin, `/admin/courses/${id}/lessons/${lessonId}/moves`, { direction });
    await move(l3, 'up');
    expect(await lessonOrder(m1)).toEqual(['1:L1', '2:L3', '3:L2']);
    await move(l1, 'down');
    expect(await lessonOrder(m1)).toEqual(['1:L3', '2:L1', '3:L2']);
    await move(l3, 'up');
    expect(await lessonOrder(m1)).toEqual(['1:L3', '2:L1', '3:L2']);
    expect((await post(admin, `/admin/courses/${id}/lessons/${l1}/deletion`)).status).toBe(303);
    expect(await lessonOrder(m1)).toEqual(['1:L3', '2:L2']);
    expect(await lessonOrder(m2)).toEqual(['1:Other module']);

    // Errors beside the field of the form that was sent.
    const bad = await post(admin, `/admin/courses/${id}/modules/${m1}/lessons`, { title: '' });
    expect(bad.status).toBe(422);
    expect(fieldError(bad.text, `lesson-${m1}-title`)).toBe('This field is required.');
    const rename = await post(admin, `/admin/courses/${id}/modules/${m2}`, { title: '   ' });
    expect(rename.status).toBe(422);
    expect(fieldError(rename.text, `module-${m2}`)).toBe('This field is required.');
    expect((await post(admin, `/admin/courses/${id}/modules/${m2}`, { title: 'Renamed' })).status).toBe(303);
    expect((await t.deps.knex('courseModules').where({ id: m2 }).first()).title).toBe('Renamed');
    const emptyModule = await post(admin, `/admin/courses/${id}/modules`, { title: '' });
    expect(fieldError(emptyModule.text, 'moduleTitle')).toBe('This field is required.');
  });

  it('edits a lesson and never reaches a lesson through another course', async () => {
    const admin = await adminAgent();
    const id = await createCourse(admin, { title: 'Lesson edit course' });
    const other = await createCourse(admin, { title: 'Other course' });
    const m = await addModule(admin, id, 'M');
    const l = await addLesson(admin, id, m, 'Intro');
    const page = await admin.get(`/admin/courses/${id}/lessons/${l}/edit`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="Intro"');

    const saved = await post(admin, `/admin/courses/${id}/lessons/${l}`, { title: 'Introduction', description: 'Ce que vous allez faire.', freePreview: 'on' });
    expect(saved.status).toBe(303);
    expect(await t.deps.knex('lessons').where({ id: l }).first()).toMatchObject({ title: 'Introduction', description: 'Ce que vous allez faire.', durationSeconds: 0, freePreview: true });
    await post(admin, `/admin/courses/${id}/lessons/${l}`, { title: 'Introduction' });
    expect(await t.deps.knex('lessons').where({ id: l }).first()).toMatchObject({ freePreview: false });
    const bad = await refusedPage(admin, await post(admin, `/admin/courses/${id}/lessons/${l}`, { title: '' }), `/admin/courses/${id}/lessons/${l}/edit`);
    expect(fieldError(bad.text, 'title')).toBe('This field is required.');

    expect((await admin.get(`/admin/courses/${other}/lessons/${l}/edit`)).status).toBe(404);
    expect((await post(admin, `/admin/courses/${other}/lessons/${l}/deletion`)).status).toBe(404);
    expect((await post(admin, `/admin/courses/${other}/modules/${m}/moves`, { direction: 'up' })).status).toBe(404);
    expect(await t.deps.knex('lessons').where({ id: l }).first()).toBeDefined();
  });

  it('keeps 1..n when moves and additions race each other', async () => {
    const admin = await adminAgent();
    const id = await createCourse(admin, { title: 'Racing course' });
    const modules = [];
    for (const title of ['A', 'B', 'C', 'D']) modules.push(await addModule(admin, id, title));
    const token = await t.csrf(admin, '/admin/courses');
    const send = (url: string, fields: Fields) => admin.post(url).type('form').send(encode(fields, token));
    const results = await Promise.all([
      ...modules.flatMap((m, i) => [send(`/admin/courses/${id}/modules/${m}/moves`, { direction: i % 2 ? 'up' : 'down' }), send(`/admin/courses/${id}/modules/${m}/moves`, { direction: 'up' })]),
      send(`/admin/courses/${id}/modules`, { title: 'E' }),
      send(`/admin/courses/${id}/modules`, { title: 'F' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(results.map(() => 303));
    const positions = (await t.deps.knex('courseModules').where({ courseId: id }).orderBy('position').select('position')).map((r: { position: number }) => r.position);
    expect(positions).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('deletes the files of a deleted lesson or module', async () => {
    const admin = await adminAgent();
    const id = await createCourse(admin, { title: 'Files course' });
    const m1 = await addModule(admin, id, 'M1');
    const m2 = await addModule(admin, id, 'M2');
    const l1 = await addLesson(admin, id, m1, 'L1');
    const l2 = await addLesson(admin, id, m2, 'L2');
    const token = await t.csrf(admin, `/admin/courses/${id}/curriculum`);
    for (const l of [l1, l2]) {
      expect((await upload(admin, `/admin/courses/${id}/lessons/${l}/video`, token, 'video', { body: MP4, name: 'v.mp4' })).status).toBe(303);
      expect((await upload(admin, `/admin/courses/${id}/lessons/${l}/resources`, token, 'file', { body: PDF, name: 'r.pdf' }, { title: 'R', kind: 'pdf' })).status).toBe(303);
    }
    const filesOf = async (lessonId: string) => [
      (await t.deps.knex('lessons').where({ id: lessonId }).first()).videoKey as string,
      ...(await t.deps.knex('courseResources').where({ lessonId }).select('fileKey')).map((r: { fileKey: string }) => r.fileKey),
    ];
    const [files1, files2] = [await filesOf(l1), await filesOf(l2)];
    for (const key of [...files1, ...files2]) expect(onDisk(key)).toBe(true);

    expect((await post(admin, `/admin/courses/${id}/lessons/${l1}/deletion`)).status).toBe(303);
    for (const key of files1) expect(onDisk(key)).toBe(false);
    expect(await t.deps.knex('courseResources').where({ lessonId: l1 })).toHaveLength(0);
    expect((await post(admin, `/admin/courses/${id}/modules/${m2}/deletion`)).status).toBe(303);
    for (const key of files2) expect(onDisk(key)).toBe(false);
    expect(await t.deps.knex('lessons').where({ id: l2 }).first()).toBeUndefined();
    expect(await moduleOrder(id)).toEqual(['1:M1']);
  });

  it('shows lengths as m:ss or h:mm:ss', () => {
    expect(formatDuration(6)).toBe('0:06');
    expect(formatDuration(750)).toBe('12:30');
    expect(formatDuration(3723)).toBe('1:02:03');
  });
});

// ---- uploads ----------------------------------------------------------------------------

describe('course pictures and videos', () => {
  it('stores a thumbnail and a header under courses/, reading the type from the bytes', async () => {
    const admin = await adminAgent();
    const id = await createCourse(admin, { title: 'Pictured course' });
    const token = await t.csrf(admin, `/admin/courses/${id}/media`);
    const ok = await upload(admin, `/admin/courses/${id}/thumbnail`, token, 'image', { body: PNG, name: 'thumb.bin' });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(`/admin/courses/${id}/media`);
    const first: string = (await course(id)).thumbnailKey;
    expect(first).toMatch(/^courses\/[0-9a-f-]{36}-1x1\.webp$/);
    expect(onDisk(first)).toBe(true);

    // A text file named .png is refused, beside the field.
    const fake = await upload(admin, `/admin/courses/${id}/header-image`, token, 'image', { body: TEXT, name: 'header.png', type: 'image/png' });
    expect(fake.status).toBe(422);
    expect(fieldError(fake.text, 'header')).toBe('This file is not a PNG, JPEG or WebP image.');
    expect((await course(id)).headerKey).toBeNull();
    const big = await upload(admin, `/admin/courses/${id}/header-image`, token, 'image', { body: Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]), name: 'big.png' });
    expect(big.status).toBe(422);
    expect(fieldError(big.text, 'header')).toBe('This image is over 2 MB. Choose a smaller one.');
    const none = await upload(admin, `/admin/courses/${id}/header-image`, token, 'image');
    expect(fieldError(none.text, 'header')).toBe('Choose an image first.');

    // Replacing deletes the old file; removing deletes the current one.
    expect((await upload(admin, `/admin/courses/${id}/thumbnail`, token, 'image', { body: PNG, name: 'again.png' })).status).toBe(303);
    const second: string = (await course(id)).thumbnailKey;
    expect(second).not.toBe(first);
    expect(onDisk(first)).toBe(false);
    expect(onDisk(second)).toBe(true);
    expect((await admin.get(`/admin/courses/${id}/media`)).text).toContain(`src="/media/${second}"`);
    expect((await post(admin, `/admin/courses/${id}/thumbnail/deletion`)).status).toBe(303);
    expect((await course(id)).thumbnailKey).toBeNull();
    expect(onDisk(second)).toBe(false);
  });

  it('checks the CSRF token of a multipart form after parsing it', async () => {
    const admin = await adminAgent();
    const id = await createCourse(admin, { title: 'Forged upload course' });
    expect((await upload(admin, `/admin/courses/${id}/thumbnail`, undefined, 'image', { body: PNG, name: 'x.png' })).status).toBe(403);
    expect((await upload(admin, `/admin/courses/${id}/thumbnail`, 'forged', 'image', { body: PNG, name: 'x.png' })).status).toBe(403);
    expect((await course(id)).thumbnailKey).toBeNull();
    // A route without a file is no way around the check: multipart there is refused without the header.
    expect((await admin.post(`/admin/courses/${id}/deletion`).field('x', '1')).status).toBe(403);
    expect((await admin.post(`/admin/courses/${id}/publication`).field('_csrf', 'forged')).status).toBe(403);
    expect(await course(id)).toMatchObject({ published: false });
  });

  it('accepts MP4 and WebM videos by their bytes, under videos/, within the size limit', async () => {
    const admin = await adminAgent();
    const id = await createCourse(admin, { title: 'Video course' });
    const m = await addModule(admin, id, 'M');
    const l = await addLesson(admin, id, m, 'Watch me');
    const token = await t.csrf(admin, `/admin/courses/${id}/media`);

    const intro = await upload(admin, `/admin/courses/${id}/intro-video`, token, 'video', { body: MP4, name: 'My Holiday Film.mov' });
    expect(intro.status).toBe(303);
    const introKey: string = (await course(id)).introVideoKey;
    expect(introKey).toMatch(/^videos\/[0-9a-f-]{36}\.mp4$/);
    expect(onDisk(introKey)).toBe(true);

    const lesson = await upload(admin, `/admin/courses/${id}/lessons/${l}/video`, token, 'video', { body: WEBM, name: 'lesson.webm' });
    expect(lesson.status).toBe(303);
    expect(lesson.headers.location).toBe(`/admin/courses/${id}/lessons/${l}/edit`);
    const lessonKey: string = (await t.deps.knex('lessons').where({ id: l }).first()).videoKey;
    expect(lessonKey).toMatch(/^videos\/[0-9a-f-]{36}\.webm$/);

    const fake = await upload(admin, `/admin/courses/${id}/lessons/${l}/video`, token, 'video', { body: TEXT, name: 'fake.mp4', type: 'video/mp4' });
    expect(fake.status).toBe(422);
    expect(fieldError(fake.text, 'video')).toBe('This file is not an MP4 or WebM video.');
    expect(fake.text).toContain('value="Watch me"'); // the lesson form is still filled in
    const pngAsVideo = await upload(admin, `/admin/courses/${id}/intro-video`, token, 'video', { body: PNG, name: 'x.mp4' });
    expect(fieldError(pngAsVideo.text, 'introVideo')).toBe('This file is not an MP4 or WebM video.');

    const tooBig = await upload(admin, `/admin/courses/${id}/lessons/${l}/video`, token, 'video', { body: Buffer.concat([MP4, Buffer.alloc(64 * 1024)]), name: 'big.mp4' });
    expect(tooBig.status).toBe(422);
    expect(fieldError(tooBig.text, 'video')).toBe('This video is over 64 KB.');
    expect((await t.deps.knex('lessons').where({ id: l }).first()).videoKey).toBe(lessonKey);

    expect((await post(admin, `/admin/courses/${id}/lessons/${l}/video/deletion`)).status).toBe(303);
    expect(onDisk(lessonKey)).toBe(false);
  });

  it('answers the upload script like htmx: 204 and the place to go', async () => {
    const admin = await adminAgent();
    const id = await createCourse(admin, { title: 'Scripted upload course' });
    const token = await t.csrf(admin, `/admin/courses/${id}/media`);
    const res = await upload(admin, `/admin/courses/${id}/intro-video`, token, 'video', { body: MP4, name: 'v.mp4' }).set('HX-Request', 'true').set('HX-Request-Type', 'partial');
    expect(res.status).toBe(204);
    expect(res.headers['hx-location']).toBe(`/admin/courses/${id}/media`);
    // The flash is still there for the page the script goes to.
    expect((await admin.get(`/admin/courses/${id}/media`)).text).toContain('The video has been uploaded.');
    const bad = await upload(admin, `/admin/courses/${id}/intro-video`, token, 'video', { body: TEXT, name: 'v.mp4' }).set('HX-Request', 'true').set('HX-Request-Type', 'partial');
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('<body'); // the whole page, messages beside the fields
  });
});

describe('resources', () => {
  it('stores a PDF under resources/ with its size, never with the user file name', async () => {
    const admin = await adminAgent();
    const id = await createCourse(admin, { title: 'Resource course' });
    const token = await t.csrf(admin, `/admin/courses/${id}/resources`);
    const res = await upload(admin, `/admin/courses/${id}/resources`, token, 'file', { body: PDF, name: '../../etc/Mon support.pdf', type: 'application/pdf' }, { title: 'Support de cours', kind: 'pdf' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/courses/${id}/resources`);
    const row = await t.deps.knex('courseResources').where({ courseId: id }).first();
    expect(row).toMatchObject({ title: 'Support de cours', kind: 'pdf', contentType: 'application/pdf', sizeBytes: PDF.length, lessonId: null });
    expect(row.fileKey).toMatch(/^resources\/[0-9a-f-]{36}\.pdf$/);
    expect(onDisk(row.fileKey)).toBe(true);
    const page = await admin.get(`/admin/courses/${id}/resources`);
    expect(page.text).toContain('Support de cours');
    expect(page.text).toContain(`/courses/resources/${row.id}/download`);

    expect((await post(admin, `/admin/courses/${id}/resources/${row.id}/deletion`)).status).toBe(303);
    expect(await t.deps.knex('courseResources').where({ id: row.id }).first()).toBeUndefined();
    expect(onDisk(row.fileKey)).toBe(false);
  });

  it('checks each type against the bytes: sources are zips, slides PDF/PPTX/ODP', async () => {
    const admin = await adminAgent();
    const id = await createCourse(admin, { title: 'Typed resources course' });
    const token = await t.csrf(admin, `/admin/courses/${id}/resources`);
    const send = (kind: string, body: Buffer, name: string, title = `${kind} file`) =>
      upload(admin, `/admin/courses/${id}/resources`, token, 'file', { body, name }, { title, kind });

    expect((await send('source', SOURCES, 'projet.zip')).status).toBe(303);
    expect((await send('slides', ODP, 'slides.odp')).status).toBe(303);
    expect((await send('slides', PDF, 'slides.pdf', 'pdf slides')).status).toBe(303);
    expect((await send('other', TEXT, 'notes.txt')).status).toBe(303);
    const rows = await t.deps.knex('courseResources').where({ courseId: id }).orderBy('createdAt').select('kind', 'contentType', 'fileKey');
    expect(rows.map((r: { kind: string; contentType: string; fileKey: string }) => [r.kind, r.contentType, r.fileKey.split('.').pop()])).toEqual([
      ['source', 'application/zip', 'zip'],
      ['slides', 'application/vnd.oasis.opendocument.presentation', 'odp'],
      ['slides', 'application/pdf', 'pdf'],
      ['other', 'application/octet-stream', 'bin'],
    ]);

    const pdfAsSource = await send('source', PDF, 'code.zip');
    expect(pdfAsSource.status).toBe(422);
    expect(fieldError(pdfAsSource.text, 'resourceFile')).toBe('Source code must be a ZIP archive.');
    expect(pdfAsSource.text).toContain('value="source file"');
    const textAsPdf = await send('pdf', TEXT, 'doc.pdf');
    expect(fieldError(textAsPdf.text, 'resourceFile')).toBe('This file is not a PDF.');
    const zipAsSlides = await send('slides', SOURCES, 'slides.zip');
    expect(fieldError(zipAsSlides.text, 'resourceFile')).toBe('Slides must be a PDF, PPTX or ODP file.');
    const tooBig = await send('pdf', Buffer.concat([PDF, Buffer.alloc(64 * 1024)]), 'big.pdf');
    expect(tooBig.status).toBe(422);
    expect(fieldError(tooBig.text, 'resourceFile')).toBe('This file is over 64 KB.');
    const noTitle = await send('pdf', PDF, 'x.pdf', '');
    expect(fieldError(noTitle.text, 'resourceTitle')).toBe('This field is required.');
    const badKind = await send('video', PDF, 'x.pdf');
    expect(fieldError(badKind.text, 'resourceKind')).toBe('Choose one of the options.');
    expect(await t.deps.knex('courseResources').where({ courseId: id }).count({ n: '*' }).first()).toEqual({ n: 4 });
  });

  it('attaches resources to a lesson', async () => {
    const admin = await adminAgent();
    const id = await createCourse(admin, { title: 'Lesson resources course' });
    const m = await addModule(admin, id, 'M');
    const l = await addLesson(admin, id, m, 'With files');
    const token = await t.csrf(admin, `/admin/courses/${id}/lessons/${l}/edit`);
    const res = await upload(admin, `/admin/courses/${id}/lessons/${l}/resources`, token, 'file', { body: PDF, name: 'exercice.pdf' }, { title: 'Exercice', kind: 'pdf' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/courses/${id}/lessons/${l}/edit#resources`);
    expect(await t.deps.knex('courseResources').where({ lessonId: l }).first()).toMatchObject({ courseId: id, title: 'Exercice' });
    expect((await admin.get(`/admin/courses/${id}/lessons/${l}/edit`)).text).toContain('Exercice');
    // The course page lists only course-level resources.
    expect((await admin.get(`/admin/courses/${id}/resources`)).text).not.toContain('Exercice');
  });
});

// ---- deletion -----------------------------------------------------------------------

describe('deleting a course', () => {
  it('shows what will go, then deletes every row and every stored file', async () => {
    const admin = await adminAgent();
    const id = await createCourse(admin, { title: 'Doomed course' });
    const keep = await createCourse(admin, { title: 'Surviving course' });
    const m = await addModule(admin, id, 'M1');
    await addModule(admin, id, 'M2');
    const l = await addLesson(admin, id, m, 'L1');
    await addLesson(admin, id, m, 'L2');
    const token = await t.csrf(admin, `/admin/courses/${id}/media`);
    await upload(admin, `/admin/courses/${id}/thumbnail`, token, 'image', { body: PNG, name: 't.png' });
    await upload(admin, `/admin/courses/${id}/lessons/${l}/video`, token, 'video', { body: MP4, name: 'v.mp4' });
    await upload(admin, `/admin/courses/${id}/resources`, token, 'file', { body: PDF, name: 'r.pdf' }, { title: 'R', kind: 'pdf' });
    await upload(admin, `/admin/courses/${id}/lessons/${l}/resources`, token, 'file', { body: SOURCES, name: 's.zip' }, { title: 'S', kind: 'source' });
    const student = await t.user('student:course-doomed-student');
    await t.deps.knex('enrollments').insert({ courseId: id, userId: student.id });
    const keys = [
      (await course(id)).thumbnailKey,
      (await t.deps.knex('lessons').where({ id: l }).first()).videoKey,
      ...(await t.deps.knex('courseResources').where({ courseId: id }).select('fileKey')).map((r: { fileKey: string }) => r.fileKey),
    ] as string[];
    expect(keys).toHaveLength(4);
    for (const key of keys) expect(onDisk(key)).toBe(true);

    const page = await admin.get(`/admin/courses/${id}/deletion`);
    expect(page.status).toBe(200);
    for (const line of ['2 modules', '2 lessons', '2 resources', '4 stored files', '1 enrollment: that student loses access']) expect(page.text).toContain(line);
    expect(await course(id)).toBeDefined(); // the page deletes nothing

    const res = await post(admin, `/admin/courses/${id}/deletion`, {}, `/admin/courses/${id}/deletion`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/courses');
    expect(await course(id)).toBeUndefined();
    expect(await t.deps.knex('courseModules').where({ courseId: id })).toHaveLength(0);
    expect(await t.deps.knex('lessons').where({ moduleId: m })).toHaveLength(0);
    expect(await t.deps.knex('courseResources').where({ courseId: id })).toHaveLength(0);
    expect(await t.deps.knex('enrollments').where({ courseId: id })).toHaveLength(0);
    for (const key of keys) expect(onDisk(key)).toBe(false);
    expect(await course(keep)).toBeDefined();
    expect((await admin.get(`/admin/courses/${id}/deletion`)).status).toBe(404);
    expect((await post(admin, `/admin/courses/${id}/deletion`)).status).toBe(404);
  });
});
