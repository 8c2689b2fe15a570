// What a viewer may do with a booking right now: the one rule behind the booking
// page's forms, the grid rows (and so the grid script's buttons) and the service's
// own checks, so the three can never disagree.
import type { BookingStatus } from './model.ts';

export interface PolicyActor {
  id: string;
  role: 'student' | 'mentor' | 'admin';
}

export interface PolicyBooking {
  mentorId: string;
  studentId: string;
  status: BookingStatus;
  startsAt: Date;
  endsAt: Date;
}

export interface Allowed {
  /** The viewer is the booking's mentor. */
  isMentor: boolean;
  /** Accept or decline a request: the mentor, while it is pending and not started. */
  canDecide: boolean;
  /**
   * Cancel with a reason: either party while the session is live and not started. A
   * mentor answers a pending request by declining it; cancelling is for agreed
   * sessions. The admin sees everything but acts as neither party.
   */
  canCancel: boolean;
  /** Record completed / no-show: the mentor, once a confirmed session has ended. */
  canRecordOutcome: boolean;
}

export function allowedActions(b: PolicyBooking, viewer: PolicyActor, now: Date): Allowed {
  const isMentor = b.mentorId === viewer.id;
  const isStudent = b.studentId === viewer.id;
  const notStarted = b.startsAt.getTime() > now.getTime();
  const live = b.status === 'pending' || b.status === 'confirmed';
  return {
    isMentor,
    canDecide: isMentor && b.status === 'pending' && notStarted,
    canCancel: live && notStarted && (isStudent || (isMentor && b.status === 'confirmed')),
    canRecordOutcome: isMentor && b.status === 'confirmed' && b.endsAt.getTime() <= now.getTime(),
  };
}
