// What the outbox shows of a stored attachment: its facts and, for an invitation, the
// lines a developer checks (method, UID, sequence, status, times) above the raw text.
export interface StoredAttachment { filename: string; contentType: string; content: string }

const SHOWN = ['METHOD', 'UID', 'SEQUENCE', 'STATUS', 'SUMMARY', 'DTSTART', 'DTEND', 'ORGANIZER', 'ATTENDEE'];

/** RFC 5545 lines unfolded (a line starting with a space continues the previous one). */
function unfold(ics: string): string[] {
  return ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n/).filter(Boolean);
}

function calendarSummary(ics: string): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const line of unfold(ics)) {
    const name = /^[A-Z-]+/.exec(line)?.[0] ?? '';
    if (!SHOWN.includes(name) || out.some((o) => o.name === name && name !== 'ATTENDEE')) continue;
    // TEXT values unescaped (RFC 5545 3.3.11): an escaped comma reads as a comma.
    out.push({ name, value: line.slice(name.length).replace(/^[;:]/, '').replace(/\\([,;\\])/g, '$1').replace(/\\n/gi, ' ') });
  }
  return out;
}

export function describeAttachments(stored: unknown) {
  const list = Array.isArray(stored) ? (stored as StoredAttachment[]) : [];
  return list.map((a, index) => {
    const isCalendar = a.contentType.toLowerCase().startsWith('text/calendar');
    return {
      index,
      filename: a.filename,
      contentType: a.contentType,
      size: Buffer.byteLength(a.content, 'utf8'),
      summary: isCalendar ? calendarSummary(a.content) : [],
      preview: a.contentType.toLowerCase().startsWith('text/') ? a.content : null,
    };
  });
}
