// Undo for a removed weekly range or date exception. The removed range is kept in the
// remover's own session (one, the latest, for 10 minutes, used once): the Undo form only
// names it by a random id, so another account's id, or a replay, finds nothing (404).
import crypto from 'node:crypto';
import type { Request } from 'express';
import type { Clock } from '../lib/clock.ts';
import type { OverrideInput } from './service.ts';

export const UNDO_MS = 10 * 60_000;

export type RemovedRange =
  | { kind: 'rule'; weekday: number; start: string; end: string; active: boolean }
  | { kind: 'override'; input: OverrideInput };

interface Removal {
  id: string;
  mentorId: string;
  range: RemovedRange;
  /** What the toast says was removed, named when it was removed. */
  label: string;
  expiresAt: number;
  /** The toast shows once; the undo stays possible until it expires. */
  shown?: boolean;
}

declare module 'express-session' {
  interface SessionData {
    availabilityRemoval?: Removal;
  }
}

export function rememberRemoval(req: Request, clock: Clock, mentorId: string, range: RemovedRange, label: string): void {
  req.session.availabilityRemoval = { id: crypto.randomUUID(), mentorId, range, label, expiresAt: clock.now().getTime() + UNDO_MS };
}

/** The toast to show on this page view, if a removal was just made (then marked shown). */
export function removalToast(req: Request, clock: Clock, mentorId: string): { id: string; label: string } | undefined {
  const removal = req.session.availabilityRemoval;
  if (!removal || removal.shown || removal.mentorId !== mentorId || removal.expiresAt <= clock.now().getTime()) return undefined;
  removal.shown = true;
  return { id: removal.id, label: removal.label };
}

/**
 * The removal this undo names, taken out of the session whatever happens next (one try):
 * undefined when it is not this mentor's (404); `expired` past its 10 minutes.
 */
export function takeRemoval(req: Request, clock: Clock, mentorId: string, id: unknown): RemovedRange | 'expired' | undefined {
  const removal = req.session.availabilityRemoval;
  if (!removal || typeof id !== 'string' || removal.id !== id || removal.mentorId !== mentorId) return undefined;
  delete req.session.availabilityRemoval;
  return removal.expiresAt <= clock.now().getTime() ? 'expired' : removal.range;
}
