import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { createMailer, outboxTransport, smtpTransport } from './mailer.ts';
import { createViews } from './render.ts';

// ---- a real SMTP server on a free local port --------------------------------------

interface Received {
  mailFrom: string | undefined;
  rcptTo: string[];
  raw: string;
}

const received: Received[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onRcptTo(address, _session, callback) {
    if (address.address.startsWith('bounce@')) return callback(new Error('No such mailbox'));
    callback();
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const from = session.envelope.mailFrom;
      received.push({ mailFrom: from ? from.address : undefined, rcptTo: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
      callback();
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
const port = (smtp.server.address() as AddressInfo).port;
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

const APP_URL = 'https://leboncours.example';
const FROM = 'Leboncours <no-reply@leboncours.example>';
const logger = pino({ level: 'silent' });
const mailer = createMailer({
  transport: smtpTransport(`smtp://127.0.0.1:${port}?ignoreTLS=true`, FROM),
  views: createViews(false),
  appUrl: APP_URL,
  logger,
});

// An app over a database of its own, for the outbox pages.
const t = await createTestApp();

// ---- just enough MIME to read what arrived ----------------------------------------

interface Part {
  headers: Record<string, string>;
  body: string;
}

function decodeQuotedPrintable(s: string): string {
  const soft = s.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 words (=?UTF-8?Q?...?= / =?UTF-8?B?...?=); adjacent words join without space. */
function decodeWords(value: string): string {
  const tokens = value.split(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)/).filter((tok, i, all) => {
    const between = i > 0 && i < all.length - 1 && /^\s*$/.test(tok) && /^=\?/.test(all[i - 1]!) && /^=\?/.test(all[i + 1]!);
    return tok !== '' && !between;
  });
  let out = '';
  let pending: Buffer[] = [];
  const flush = () => {
    out += Buffer.concat(pending).toString('utf8');
    pending = [];
  };
  for (const tok of tokens) {
    const word = /^=\?[^?]+\?([QqBb])\?([^?]*)\?=$/.exec(tok);
    if (!word) {
      flush();
      out += tok;
    } else if (word[1]!.toUpperCase() === 'B') {
      pending.push(Buffer.from(word[2]!, 'base64'));
    } else {
      pending.push(Buffer.from(word[2]!.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1'));
    }
  }
  flush();
  return out;
}

function parsePart(raw: string): Part {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  let body = raw.slice(split + 4);
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'quoted-printable') body = decodeQuotedPrintable(body);
  else if (encoding === 'base64') body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return { headers, body };
}

function parseMessage(raw: string): { headers: Record<string, string>; parts: Part[] } {
  const top = parsePart(raw);
  const boundary = /boundary="?([^";]+)"?/.exec(top.headers['content-type'] ?? '')?.[1];
  if (!boundary) return { headers: top.headers, parts: [] };
  const sections = raw.slice(raw.indexOf('\r\n\r\n') + 4).split(`--${boundary}`);
  // Preamble before the first delimiter, epilogue after the closing "--".
  const parts = sections.slice(1, -1).map((s) => parsePart(s.replace(/^\r\n/, '').replace(/\r\n$/, '')));
  return { headers: top.headers, parts };
}

function lastMail() {
  const mail = received.at(-1);
  if (!mail) throw new Error('no mail received');
  const parsed = parseMessage(mail.raw);
  const part = (type: string) => {
    const found = parsed.parts.find((p) => p.headers['content-type']?.startsWith(type));
    if (!found) throw new Error(`no ${type} part`);
    return found.body;
  };
  return { ...mail, ...parsed, text: part('text/plain'), html: part('text/html') };
}

beforeEach(() => {
  received.length = 0;
});

// ---- over SMTP --------------------------------------------------------------------

describe('mailer over SMTP', () => {
  const resetUrl = `${APP_URL}/password-resets/Zm9vYmFyLWJhei1xdXV4LTAxMjM0NTY3ODktYWJjZGVmZ2hpams_x-Y`;

  it('sends the password reset mail in French', async () => {
    await mailer.send('password-reset', { email: 'awa@example.test', locale: 'fr', name: 'Awa Ndiaye' }, { name: 'Awa Ndiaye', url: resetUrl });
    const mail = lastMail();
    expect(mail.rcptTo).toEqual(['awa@example.test']);
    expect(mail.mailFrom).toBe('no-reply@leboncours.example');
    expect(mail.headers.to).toContain('awa@example.test');
    expect(mail.headers.from).toContain('no-reply@leboncours.example');
    expect(mail.headers.subject).toBe('Réinitialisez votre mot de passe Leboncours');
    expect(mail.headers['content-type']).toMatch(/^multipart\/alternative;/);
    expect(mail.parts.map((p) => p.headers['content-type']?.split(';')[0])).toEqual(['text/plain', 'text/html']);
    expect(mail.text).toContain('Bonjour Awa Ndiaye,');
    expect(mail.text).toContain(resetUrl);
    expect(mail.text).toContain('ignorez ce message');
    expect(mail.html).toContain('<html lang="fr">');
    expect(mail.html).toContain(`href="${resetUrl}"`);
    expect(mail.html).toContain('Choisir un nouveau mot de passe');
  });

  it('sends the password reset mail in English', async () => {
    await mailer.send('password-reset', { email: 'john@example.test', locale: 'en', name: 'John' }, { name: 'John', url: resetUrl });
    const mail = lastMail();
    expect(mail.rcptTo).toEqual(['john@example.test']);
    expect(mail.headers.subject).toBe('Reset your Leboncours password');
    expect(mail.headers['content-type']).toMatch(/^multipart\/alternative;/);
    expect(mail.text).toContain('Hello John,');
    expect(mail.text).toContain(resetUrl);
    expect(mail.html).toContain('<html lang="en">');
    expect(mail.html).toContain(`href="${resetUrl}"`);
    expect(mail.html).toContain('Choose a new password');
    expect(mail.html).not.toContain('Bonjour');
  });

  it('sends the welcome mail in French and in English, by role', async () => {
    await mailer.send('welcome', { email: 'moussa@example.test', locale: 'fr', name: 'Moussa' }, { name: 'Moussa', role: 'mentor' });
    const fr = lastMail();
    expect(fr.rcptTo).toEqual(['moussa@example.test']);
    expect(fr.headers.subject).toBe('Bienvenue sur Leboncours, Moussa');
    expect(fr.headers['content-type']).toMatch(/^multipart\/alternative;/);
    expect(fr.text).toContain('Votre compte mentor est prêt.');
    expect(fr.text).toContain(`${APP_URL}/profile`);
    expect(fr.html).toContain(`href="${APP_URL}/profile"`);
    expect(fr.html).toContain('Compléter mon profil');

    await mailer.send('welcome', { email: 'lea@example.test', locale: 'en', name: 'Léa' }, { name: 'Léa', role: 'student' });
    const en = lastMail();
    expect(en.rcptTo).toEqual(['lea@example.test']);
    expect(en.headers.subject).toBe('Welcome to Leboncours, Léa');
    expect(en.text).toContain('Hello Léa,');
    expect(en.text).toContain('Find a mentor');
    expect(en.text).not.toContain('mentor account');
    expect(en.html).toContain('Complete my profile');
  });

  it('escapes names in the HTML part only', async () => {
    const name = 'Bob <b>&</b>';
    await mailer.send('welcome', { email: 'bob@example.test', locale: 'en', name }, { name, role: 'student' });
    const mail = lastMail();
    expect(mail.headers.subject).toBe(`Welcome to Leboncours, ${name}`);
    expect(mail.text).toContain(`Hello ${name},`);
    expect(mail.html).toContain('Hello Bob &lt;b&gt;&amp;&lt;/b&gt;,');
    expect(mail.html).not.toContain('<b>&</b>');
  });

  it('rejects when the server refuses the recipient', async () => {
    await expect(mailer.send('welcome', { email: 'bounce@example.test', locale: 'en', name: 'X' }, { name: 'X', role: 'student' })).rejects.toThrow(/No such mailbox/);
    expect(received).toEqual([]);
  });
});

// ---- the development outbox -------------------------------------------------------

describe('dev outbox', () => {
  it('stores the message and shows it at /dev/outbox with a sandboxed HTML view', async () => {
    const outboxMailer = createMailer({ transport: outboxTransport(t.deps.knex), views: t.deps.views, appUrl: APP_URL, logger });
    await outboxMailer.send('password-reset', { email: 'awa@example.test', locale: 'fr', name: 'Awa' }, { name: 'Awa', url: `${APP_URL}/password-resets/abc123` });

    const rows = await t.deps.knex('mail_outbox').select();
    expect(rows).toHaveLength(1);
    const row = rows[0] as { id: number; toAddress: string; subject: string; html: string; text: string };
    expect(row.toAddress).toBe('awa@example.test');
    expect(row.subject).toBe('Réinitialisez votre mot de passe Leboncours');
    expect(row.text).toContain(`${APP_URL}/password-resets/abc123`);
    expect(row.html).toContain(`href="${APP_URL}/password-resets/abc123"`);

    const agent = t.agent();
    const list = await agent.get('/dev/outbox');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Réinitialisez votre mot de passe Leboncours');
    expect(list.text).toContain('awa@example.test');
    expect(list.text).toContain(`href="/dev/outbox/${row.id}"`);
    const filtered = await agent.get('/dev/outbox').query({ to: 'nobody@example.test' });
    expect(filtered.text).not.toContain('awa@example.test');

    const page = await agent.get(`/dev/outbox/${row.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`src="/dev/outbox/${row.id}/html"`);
    expect(page.text).toContain('password-resets/abc123');

    const html = await agent.get(`/dev/outbox/${row.id}/html`);
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.text).toBe(row.html);
    const csp = html.headers['content-security-policy'];
    expect(csp).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; frame-ancestors 'self'; sandbox");
    expect(csp).not.toContain('nonce-');
    // The app pages keep the strict policy.
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");

    expect((await agent.get('/dev/outbox/999999/html')).status).toBe(404);
    expect((await agent.get('/dev/outbox/not-a-number')).status).toBe(404);
  });
});
