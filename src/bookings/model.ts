import type { QueryBuilder } from 'objection';
import { BaseModel } from '../db/model.ts';
import { Skill } from '../skills/model.ts';
import { User } from '../users/model.ts';

export const BOOKING_STATUSES = ['pending', 'confirmed', 'rejected', 'cancelled', 'completed', 'no_show', 'expired'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
/** Statuses that hold time in someone's calendar (the claims trigger uses the same list). */
export const LIVE_STATUSES: BookingStatus[] = ['pending', 'confirmed'];

export class BookingEvent extends BaseModel {
  static override tableName = 'bookingEvents';
  id!: number;
  bookingId!: string;
  status!: BookingStatus;
  actorId!: string | null;
  actorRole!: 'student' | 'mentor' | 'system' | null;
  note!: string | null;
  createdAt!: Date;
}

export class Booking extends BaseModel {
  static override tableName = 'bookings';

  id!: string;
  skillId!: string;
  mentorId!: string;
  studentId!: string;
  kind!: 'one_on_one' | 'group';
  startsAt!: Date;
  endsAt!: Date;
  durationMinutes!: number;
  status!: BookingStatus;
  subject!: string;
  description!: string | null;
  message!: string | null;
  meetingUrl!: string | null;
  mentorNotes!: string | null;
  rejectReason!: string | null;
  cancelReason!: string | null;
  cancelledBy!: 'student' | 'mentor' | null;
  /** In minor units of `currency`, fixed when the booking is made. */
  priceCents!: number;
  currency!: string;
  expiresAt!: Date | null;
  /** The start the cancellation policy counts from when a student moved the session (else null). */
  policyStartsAt!: Date | null;
  rescheduleCount!: number;
  createdAt!: Date;
  updatedAt!: Date;
  skill?: Skill;
  mentor?: User;
  student?: User;
  events?: BookingEvent[];

  override $beforeUpdate(): void {
    this.updatedAt = new Date();
  }

  static override modifiers = {
    /** Bookings that hold time: pending or confirmed. */
    live(query: QueryBuilder<Booking>) {
      query.whereIn('bookings.status', LIVE_STATUSES);
    },
    /** The person's own bookings, on either side. */
    involving(query: QueryBuilder<Booking>, userId: string) {
      query.where((w) => w.where('bookings.mentorId', userId).orWhere('bookings.studentId', userId));
    },
    /** What this person may see: their own bookings; the admin sees all. */
    visibleTo(query: QueryBuilder<Booking>, actor: { id: string; role: string }) {
      if (actor.role !== 'admin') query.modify('involving', actor.id);
    },
  };

  static override relationMappings = () => ({
    skill: { relation: BaseModel.BelongsToOneRelation, modelClass: Skill, join: { from: 'bookings.skillId', to: 'skills.id' } },
    mentor: { relation: BaseModel.BelongsToOneRelation, modelClass: User, join: { from: 'bookings.mentorId', to: 'users.id' } },
    student: { relation: BaseModel.BelongsToOneRelation, modelClass: User, join: { from: 'bookings.studentId', to: 'users.id' } },
    events: { relation: BaseModel.HasManyRelation, modelClass: BookingEvent, join: { from: 'bookings.id', to: 'bookingEvents.bookingId' } },
  });
}
