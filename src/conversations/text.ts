// Messages are plain text: stored as typed (line ends normalised), shown escaped with
// only http(s) links made clickable. Nothing a writer types can become markup.

export const MAX_MESSAGE_CHARS = 2000;

/** Control characters other than tab and line ends (C0, DEL, C1): invisible, and used to spoof text. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

export function normaliseBody(raw: string): string {
  return raw.replace(/\r\n?/g, '\n').trim();
}

export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

/** Counted in code points, like PostgreSQL's char_length: an emoji is one character, not two. */
export function charCount(text: string): number {
  return [...text].length;
}

/** What a booking's free-text note can give the conversation: clean, within bounds, or nothing. */
export function asFirstMessage(note: string | null | undefined): string | undefined {
  if (!note) return undefined;
  const clean = normaliseBody(note.replace(new RegExp(CONTROL.source, 'g'), ''));
  return clean ? [...clean].slice(0, MAX_MESSAGE_CHARS).join('') : undefined;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const LINK = /\bhttps?:\/\/[^\s<>"']+/gi;
// A sentence's own punctuation after a link is not part of it.
const TRAILING = /[.,;:!?)\]}'"]+$/;

/** Escaped HTML: links open in a new tab without handing the page or our address to the target. */
export function messageHtml(body: string): string {
  let html = '';
  let last = 0;
  for (const match of body.matchAll(LINK)) {
    const url = match[0].replace(TRAILING, '');
    const start = match.index;
    html += escapeHtml(body.slice(last, start));
    html += `<a href="${escapeHtml(url)}" rel="noopener noreferrer nofollow ugc" target="_blank">${escapeHtml(url)}</a>`;
    last = start + url.length;
  }
  html += escapeHtml(body.slice(last));
  return html.replace(/\n/g, '<br>');
}
