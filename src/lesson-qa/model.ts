// A lesson Q&A message: a question (no parent) or a reply under one.
import { BaseModel } from '../db/model.ts';
import { User } from '../users/model.ts';

export class LessonComment extends BaseModel {
  static override tableName = 'lessonComments';
  id!: string;
  lessonId!: string;
  parentId!: string | null;
  userId!: string | null;
  authorRole!: 'student' | 'mentor' | 'admin';
  body!: string;
  pinned!: boolean;
  deletedAt!: Date | null;
  createdAt!: Date;
  updatedAt!: Date;
  author?: User | null;

  static override relationMappings = () => ({
    author: { relation: BaseModel.BelongsToOneRelation, modelClass: User, join: { from: 'lessonComments.userId', to: 'users.id' } },
  });
}
