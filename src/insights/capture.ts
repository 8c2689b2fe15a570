// What counts as a step of the page funnel, read from the request and its answer. The
// middleware runs before the page cache (a cached skill page is still a view) and decides
// at 'finish', when the status is known: only a page actually shown counts. It costs a
// method check and a path prefix for every other request, and never delays a response:
// the event goes to the in-memory buffer after the response is handed to the socket.
import type { Request, RequestHandler, Response } from 'express';
import type { Clock } from '../lib/clock.ts';
import { isPartialRequest } from '../lib/htmx.ts';
import type { Logger } from '../lib/logger.ts';
import { isBot } from './bots.ts';
import { createEventBuffer, type EventBuffer, type EventBufferOptions, type InsightEvent, type InsightKind } from './event-buffer.ts';
import { utcDay, visitorHash, visitorSalts, type VisitorSalts } from './visitor-hash.ts';

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const SKILL_PAGE = new RegExp(`^/skills/(${UUID})(/book|/holds|/book/summary)?/?$`);
const MENTOR_PAGE = /^\/mentors\/([^/]{1,100})\/?$/;
// The format users.username accepts (users_username_format): anything else cannot be a mentor's page.
const USERNAME = /^[A-Za-z0-9_.-]{3,30}$/;

interface Step {
  kind: InsightKind;
  skillId: string | null;
  mentorUsername: string | null;
}

/** The candidate step of a request, from its method and path alone (the cheap test every request takes). */
function candidate(req: Request): Step | undefined {
  const path = req.path;
  if (req.method === 'GET' && path.startsWith('/mentors/')) {
    const raw = MENTOR_PAGE.exec(path)?.[1];
    if (!raw) return undefined;
    let username: string;
    try {
      username = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    // users.username is citext: the page finds "Alice" at /mentors/ALICE. Lower case is the
    // one spelling of every match, so the rollup joins on `users.username = mentor_username::citext`.
    return USERNAME.test(username) ? { kind: 'mentor_view', skillId: null, mentorUsername: username.toLowerCase() } : undefined;
  }
  if (!path.startsWith('/skills/')) return undefined;
  const match = SKILL_PAGE.exec(path);
  if (!match) return undefined;
  const skillId = match[1]!.toLowerCase();
  const rest = match[2];
  if (req.method === 'GET' && rest === undefined) return { kind: 'skill_view', skillId, mentorUsername: null };
  if (req.method === 'GET' && rest === '/book') return { kind: 'modal_opened', skillId, mentorUsername: null };
  if (req.method === 'POST' && rest === '/holds') return { kind: 'details_reached', skillId, mentorUsername: null };
  if (req.method === 'POST' && rest === '/book/summary') return { kind: 'summary_reached', skillId, mentorUsername: null };
  return undefined;
}

/** Requests nobody asked to be counted in: bots, Do Not Track / Global Privacy Control, prefetches, history restores. */
function excluded(req: Request): boolean {
  const h = req.headers;
  if (h.dnt === '1' || h['sec-gpc'] === '1') return true;
  if (h['hx-history-restore-request'] === 'true') return true;
  // Chromium sends `Sec-Purpose: prefetch` (or `prefetch;prerender`), older browsers `Purpose: prefetch`.
  if (String(h['sec-purpose'] ?? h.purpose ?? '').includes('prefetch')) return true;
  return isBot(h['user-agent']);
}

/** Whether the answer showed the step (the request already matched its candidate). */
function shown(step: Step, req: Request, res: Response): boolean {
  switch (step.kind) {
    case 'skill_view':
    case 'mentor_view':
      // A page's own partials (a skill's next free slots) are not another view of the page.
      return res.statusCode === 200 && !isPartialRequest(req);
    case 'modal_opened':
      // The picker's own navigation (duration chips, weeks, the zone form) swaps #booking-flow
      // in place, or without JavaScript carries `week`; the modal is opened into
      // #booking-modal-body, or as a page from a "Book" link (no week).
      return res.statusCode === 200 && !String(req.headers['hx-target'] ?? '').endsWith('#booking-flow') && req.query.week === undefined;
    case 'details_reached': {
      // A hold made: htmx gets the details form in the answer (200); without JavaScript the
      // answer is a 303 to the details page. A lost slot re-renders the picker with a 4xx.
      if (res.statusCode === 200) return true;
      const location = res.getHeader('location');
      return res.statusCode === 303 && typeof location === 'string' && location.startsWith(`/skills/${step.skillId}/book/details`);
    }
    case 'summary_reached':
      // "Edit" on the summary posts here too and shows step 2 again; a form with errors answers 422.
      return res.statusCode === 200 && !(req.body as { edit?: unknown } | undefined)?.edit;
  }
}

export interface CaptureDeps {
  buffer: EventBuffer;
  salts: VisitorSalts;
  clock: Clock;
  logger: Logger;
}

export function captureInsights({ buffer, salts, clock, logger }: CaptureDeps): RequestHandler {
  function record(step: Step, address: string, userAgent: string) {
    const occurredAt = clock.now();
    const salt = salts.saltFor(utcDay(occurredAt));
    const event = (s: Buffer): InsightEvent => ({ ...step, occurredAt, visitor: visitorHash(s, address, userAgent) });
    if (Buffer.isBuffer(salt)) return buffer.push(event(salt));
    // The first event of a day waits for the day's salt; the address lives only in this closure meanwhile.
    buffer.track(salt.then((s) => buffer.push(event(s)), (err: unknown) => logger.error({ err }, 'insight event lost: no visitor salt')));
  }

  return (req, res, next) => {
    const step = candidate(req);
    if (step && !excluded(req)) {
      res.once('finish', () => {
        if (shown(step, req, res)) record(step, req.ip ?? '', req.headers['user-agent'] ?? '');
      });
    }
    next();
  };
}

/** The capture, built once by the composition root: app.ts mounts `middleware`; server.ts and tests call `flush`/`close`. */
export function insightCaptureService(deps: { knex: EventBufferOptions['knex']; clock: Clock; logger: Logger; flushMs: number; maxEvents: number }) {
  const buffer = createEventBuffer(deps);
  const salts = visitorSalts(deps);
  return {
    middleware: captureInsights({ buffer, salts, clock: deps.clock, logger: deps.logger }),
    salts,
    flush: () => buffer.flush(),
    close: () => buffer.close(),
  };
}

export type InsightCapture = ReturnType<typeof insightCaptureService>;
