import type { Pojo, QueryBuilder } from 'objection';
import { BaseModel } from '../db/model.ts';
import { User } from '../users/model.ts';

export const SKILL_CATEGORIES = ['programming', 'code-review', 'data', 'design', 'pc-soft', 'languages', 'music', 'maths', 'career', 'other'] as const;
export const DURATIONS = [30, 60, 90, 120] as const;
export type SkillCategory = (typeof SKILL_CATEGORIES)[number];
export type SkillStatus = 'draft' | 'published' | 'cancelled';
export type SkillMode = 'one_on_one' | 'group';

export class Skill extends BaseModel {
  static override tableName = 'skills';

  id!: string;
  mentorId!: string;
  title!: string;
  description!: string;
  category!: SkillCategory;
  /** For the shortest duration, in minor units of `currency`. */
  priceCents!: number;
  currency!: string;
  durations!: number[];
  mode!: SkillMode;
  status!: SkillStatus;
  imageKey!: string | null;
  startsAt!: Date | null;
  capacity!: number | null;
  /** Only students enrolled in this course may book the skill. */
  courseId!: string | null;
  seatsTaken!: number;
  createdAt!: Date;
  updatedAt!: Date;
  mentor?: User;

  // The generated search column is never written by the app.
  override $formatDatabaseJson(json: Pojo): Pojo {
    const { searchVector: _omit, ...rest } = super.$formatDatabaseJson(json);
    return rest;
  }

  override $beforeUpdate(): void {
    this.updatedAt = new Date();
  }

  static override relationMappings = () => ({
    mentor: { relation: BaseModel.BelongsToOneRelation, modelClass: User, join: { from: 'skills.mentorId', to: 'users.id' } },
  });

  static override modifiers = {
    /** What anyone may see: published skills of active mentors. */
    public(query: QueryBuilder<Skill>) {
      query.where('skills.status', 'published').whereExists(
        // role = 'mentor' lets PostgreSQL use users_role_created_idx instead of hashing every user.
        User.query().select(1).whereColumn('users.id', 'skills.mentorId').where('users.role', 'mentor').whereNull('users.disabledAt'),
      );
    },
  };
}
