import type { Pojo, QueryBuilder } from 'objection';
import { BaseModel } from '../db/model.ts';

export type Role = 'student' | 'mentor';
export type ExperienceLevel = 'beginner' | 'intermediate' | 'expert';

export class User extends BaseModel {
  static override tableName = 'users';

  id!: string;
  email!: string;
  username!: string;
  passwordHash!: string;
  role!: Role;
  displayName!: string;
  bio!: string | null;
  avatarKey!: string | null;
  jobTitle!: string | null;
  company!: string | null;
  city!: string | null;
  country!: string | null;
  linkedinUrl!: string | null;
  websiteUrl!: string | null;
  experienceLevel!: ExperienceLevel | null;
  phone!: string | null;
  timezone!: string;
  locale!: 'fr' | 'en';
  headline!: string | null;
  hourlyRateCents!: number | null;
  currency!: string;
  languages!: string[];
  ratingAverage!: string;
  ratingCount!: number;
  disabledAt!: Date | null;
  lastLoginAt!: Date | null;
  createdAt!: Date;
  updatedAt!: Date;

  static override modifiers = {
    active(query: QueryBuilder<User>) {
      query.whereNull('disabledAt');
    },
    mentors(query: QueryBuilder<User>) {
      query.where('role', 'mentor');
    },
  };

  override $beforeUpdate(): void {
    this.updatedAt = new Date();
  }

  // The hash never leaves the model when it is serialised (JSON API, logs).
  override $formatJson(json: Pojo): Pojo {
    const { passwordHash: _omit, ...rest } = super.$formatJson(json);
    return rest;
  }
}
