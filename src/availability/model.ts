import { BaseModel } from '../db/model.ts';

export class AvailabilityRule extends BaseModel {
  static override tableName = 'availabilityRules';
  id!: string;
  mentorId!: string;
  weekday!: number;
  startTime!: string; // 'HH:MM:SS' from PostgreSQL `time`
  endTime!: string;
  active!: boolean;
}

export class AvailabilityOverride extends BaseModel {
  static override tableName = 'availabilityOverrides';
  id!: string;
  mentorId!: string;
  date!: string; // 'YYYY-MM-DD' (see the date type parser in src/db/knex.ts)
  kind!: 'extra' | 'blocked';
  startTime!: string | null;
  endTime!: string | null;
  note!: string | null;
}

export class MentorSettings extends BaseModel {
  static override tableName = 'mentorSettings';
  static override idColumn = 'mentorId';
  mentorId!: string;
  minNoticeMinutes!: number;
  windowDays!: number;
  bufferMinutes!: number;
  requiresApproval!: boolean;
  /** How far ahead a weekly series may reach (at least the ordinary window). */
  seriesWindowDays!: number;
  updatedAt!: Date;
}

export const DEFAULT_SETTINGS = { minNoticeMinutes: 720, windowDays: 14, bufferMinutes: 0, requiresApproval: true, seriesWindowDays: 90 } as const;
