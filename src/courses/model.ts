import type { Pojo, QueryBuilder } from 'objection';
import { BaseModel } from '../db/model.ts';
import { User } from '../users/model.ts';

export const LEVELS = ['beginner', 'intermediate', 'advanced', 'expert'] as const;
export const RESOURCE_KINDS = ['pdf', 'source', 'slides', 'other'] as const;

export class Course extends BaseModel {
  static override tableName = 'courses';
  id!: string;
  slug!: string;
  title!: string;
  subtitle!: string | null;
  published!: boolean;
  shortDescription!: string;
  descriptionHtml!: string;
  thumbnailKey!: string | null;
  headerKey!: string | null;
  introVideoKey!: string | null;
  level!: (typeof LEVELS)[number];
  compatibility!: string[];
  prerequisites!: string[];
  objectives!: string[];
  /** In minor units of `currency`; 0 is a free course. */
  priceCents!: number;
  currency!: string;
  /** Opened by a running subscription too (the payments feature's subscriptions). */
  includedInSubscription!: boolean;
  ratingAverage!: string;
  ratingCount!: number;
  studentsCount!: number;
  createdAt!: Date;
  updatedAt!: Date;
  modules?: CourseModule[];
  educators?: User[];
  resources?: CourseResource[];

  // The generated search column is neither read into pages nor ever written by the app.
  override $parseDatabaseJson(json: Pojo): Pojo {
    const { searchVector: _omit, ...rest } = super.$parseDatabaseJson(json);
    return rest;
  }

  override $formatDatabaseJson(json: Pojo): Pojo {
    const { searchVector: _omit, ...rest } = super.$formatDatabaseJson(json);
    return rest;
  }

  override $beforeUpdate(): void {
    this.updatedAt = new Date();
  }

  static override relationMappings = () => ({
    modules: { relation: BaseModel.HasManyRelation, modelClass: CourseModule, join: { from: 'courses.id', to: 'courseModules.courseId' } },
    resources: { relation: BaseModel.HasManyRelation, modelClass: CourseResource, join: { from: 'courses.id', to: 'courseResources.courseId' } },
    educators: {
      relation: BaseModel.ManyToManyRelation, modelClass: User,
      join: { from: 'courses.id', through: { from: 'courseEducators.courseId', to: 'courseEducators.mentorId' }, to: 'users.id' },
    },
  });

  static override modifiers = {
    published(query: QueryBuilder<Course>) {
      query.where('courses.published', true);
    },
  };
}

export class CourseModule extends BaseModel {
  static override tableName = 'courseModules';
  id!: string;
  courseId!: string;
  title!: string;
  position!: number;
  lessons?: Lesson[];

  static override relationMappings = () => ({
    lessons: { relation: BaseModel.HasManyRelation, modelClass: Lesson, join: { from: 'courseModules.id', to: 'lessons.moduleId' } },
    course: { relation: BaseModel.BelongsToOneRelation, modelClass: Course, join: { from: 'courseModules.courseId', to: 'courses.id' } },
  });
}

export class Lesson extends BaseModel {
  static override tableName = 'lessons';
  id!: string;
  moduleId!: string;
  title!: string;
  description!: string;
  videoKey!: string | null;
  /** The video's length, read from the file at upload; 0 without a video. */
  durationSeconds!: number;
  /** A reading without a video (never set while a video is attached). */
  textOnly!: boolean;
  freePreview!: boolean;
  position!: number;
  module?: CourseModule;
  resources?: CourseResource[];

  static override relationMappings = () => ({
    module: { relation: BaseModel.BelongsToOneRelation, modelClass: CourseModule, join: { from: 'lessons.moduleId', to: 'courseModules.id' } },
    resources: { relation: BaseModel.HasManyRelation, modelClass: CourseResource, join: { from: 'lessons.id', to: 'courseResources.lessonId' } },
  });
}

export class CourseResource extends BaseModel {
  static override tableName = 'courseResources';
  id!: string;
  courseId!: string;
  lessonId!: string | null;
  title!: string;
  kind!: (typeof RESOURCE_KINDS)[number];
  fileKey!: string;
  contentType!: string;
  sizeBytes!: number;
  createdAt!: Date;
}

export class Enrollment extends BaseModel {
  static override tableName = 'enrollments';
  id!: string;
  courseId!: string;
  userId!: string;
  source!: 'free' | 'payment' | 'admin';
  createdAt!: Date;
}
