// A course review (one per enrolled student and course) and a mentor review (one per
// completed booking); rating averages and counts are kept by database triggers.
import { BaseModel } from '../db/model.ts';
import { User } from '../users/model.ts';

export class CourseReview extends BaseModel {
  static override tableName = 'courseReviews';
  id!: string;
  courseId!: string;
  userId!: string;
  rating!: number;
  body!: string;
  createdAt!: Date;
  updatedAt!: Date;
  author?: User;

  static override relationMappings = () => ({
    author: { relation: BaseModel.BelongsToOneRelation, modelClass: User, join: { from: 'courseReviews.userId', to: 'users.id' } },
  });
}

export class MentorReview extends BaseModel {
  static override tableName = 'mentorReviews';
  id!: string;
  bookingId!: string;
  mentorId!: string;
  studentId!: string;
  rating!: number;
  body!: string;
  createdAt!: Date;
  updatedAt!: Date;
  student?: User;

  static override relationMappings = () => ({
    student: { relation: BaseModel.BelongsToOneRelation, modelClass: User, join: { from: 'mentorReviews.studentId', to: 'users.id' } },
  });
}
