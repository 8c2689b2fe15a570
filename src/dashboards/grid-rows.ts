// A booking as the grid shows it, with what this viewer may do with it now.
import { type BookingStatus } from '../bookings/model.ts';
import { allowedActions } from '../bookings/policy.ts';
import type { GridActor } from './grid-columns.ts';

// ---------------------------------------------------------------------------
// Rows

export interface GridRecord {
  id: string;
  mentorId: string;
  studentId: string;
  startsAt: Date;
  endsAt: Date;
  durationMinutes: number;
  priceCents: number;
  currency: string;
  status: BookingStatus;
  meetingUrl: string | null;
  createdAt: Date;
  skillTitle: string;
  studentName: string;
  mentorName: string;
  subject: string | null;
}

export interface GridRow {
  id: string;
  skillTitle: string;
  studentName: string;
  mentorName: string;
  startsAt: string;
  endsAt: string;
  durationMinutes: number;
  priceCents: number;
  currency: string;
  status: BookingStatus;
  meetingUrl: string | null;
  createdAt: string;
  /** What the student wants to work on (the cards show it; the grid has no room). */
  subject: string | null;
  canApprove: boolean;
  canCancel: boolean;
}

/** A row as the grid shows it, with what this viewer may do with it now. */
export function toGridRow(r: GridRecord, actor: GridActor, now: Date): GridRow {
  const allowed = allowedActions(r, actor, now);
  return {
    id: r.id,
    skillTitle: r.skillTitle,
    studentName: r.studentName,
    mentorName: r.mentorName,
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    durationMinutes: r.durationMinutes,
    priceCents: r.priceCents,
    currency: r.currency.trim(),
    status: r.status,
    meetingUrl: r.status === 'confirmed' ? r.meetingUrl : null,
    createdAt: r.createdAt.toISOString(),
    subject: r.subject,
    canApprove: allowed.canDecide,
    canCancel: allowed.canCancel,
  };
}
