// A course's own pictures and intro video: the new file is stored first, the row
// points at it, then the old file goes (a failure on the way deletes the new one).
import type { Knex } from 'knex';
import { NotFoundError } from '../lib/errors.ts';
import type { Storage } from '../lib/storage.ts';
import { Course } from '../courses/model.ts';
import { fileDeleter, type FileLogger } from './stored-files.ts';
import { storeCourseImage, storeVideo, type UploadedFile } from './uploads.ts';

export type CourseImageSlot = 'thumbnail' | 'header';

export function courseMediaService(deps: { knex: Knex; storage: Storage; logger?: FileLogger }) {
  const { knex, storage } = deps;
  const deleteFiles = fileDeleter(storage, deps.logger);

  async function find(id: string): Promise<Course> {
    const course = await Course.query(knex).findById(id);
    if (!course) throw new NotFoundError();
    return course;
  }

  const imageColumn = (slot: CourseImageSlot) => (slot === 'thumbnail' ? 'thumbnailKey' : 'headerKey');

  /** Stores the new file first, points the row at it, then drops the old file. */
  async function replaceFile(id: string, column: 'thumbnailKey' | 'headerKey' | 'introVideoKey', store: () => Promise<string>): Promise<void> {
    await find(id);
    const key = await store();
    let previous: string | null;
    try {
      previous = await knex.transaction(async (trx) => {
        const course = await Course.query(trx).findById(id).forUpdate();
        if (!course) throw new NotFoundError();
        await trx('courses').where({ id }).update({ [column]: key, updatedAt: new Date() });
        return course[column];
      });
    } catch (error) {
      await deleteFiles([key]);
      throw error;
    }
    await deleteFiles([previous]);
  }

  async function replaceImage(id: string, slot: CourseImageSlot, file: UploadedFile | undefined): Promise<void> {
    await replaceFile(id, imageColumn(slot), () => storeCourseImage(storage, file));
  }

  async function replaceIntroVideo(id: string, file: UploadedFile | undefined): Promise<void> {
    await replaceFile(id, 'introVideoKey', async () => (await storeVideo(storage, file)).key);
  }

  async function removeMedia(id: string, slot: CourseImageSlot | 'introVideo'): Promise<void> {
    const column = slot === 'introVideo' ? 'introVideoKey' : imageColumn(slot);
    const previous = await knex.transaction(async (trx) => {
      const course = await Course.query(trx).findById(id).forUpdate();
      if (!course) throw new NotFoundError();
      await trx('courses').where({ id }).update({ [column]: null, updatedAt: new Date() });
      return course[column];
    });
    await deleteFiles([previous]);
  }

  return { replaceImage, replaceIntroVideo, removeMedia };
}
