// The media tab of the course editor: thumbnail, header image, intro video.
import type { RequestHandler } from 'express';
import { besideField } from '../lib/form-errors.ts';
import { redirect, render } from '../lib/render.ts';
import { editorUrls, flash, paramOf, type EditorPages } from './editor-pages.ts';
import type { CourseAdminService, CourseImageSlot } from './service.ts';
import { UploadRejectedError } from './uploads.ts';

export function mediaHandlers(courses: CourseAdminService, pages: EditorPages) {
  const media: RequestHandler = async (req, res) => {
    const { view, locals, values } = await pages.mediaPage(req, res);
    render(req, res, view, { ...locals, values });
  };

  /** A refused file (missing, over the limit, wrong type) is a message beside its field. */
  const uploadImage = (slot: CourseImageSlot): RequestHandler => async (req, res) => {
    const courseId = paramOf(req);
    await courses.find(courseId);
    await besideField(res, () => pages.mediaPage(req, res), async () => {
      if (req.uploadError === 'tooLarge') throw new UploadRejectedError('image', 'tooLarge');
      await courses.replaceImage(courseId, slot, req.file);
    }, slot);
    flash(req, 'courses.admin.imageSaved');
    redirect(req, res, editorUrls.media(courseId));
  };

  const uploadIntroVideo: RequestHandler = async (req, res) => {
    const courseId = paramOf(req);
    await courses.find(courseId);
    await besideField(res, () => pages.mediaPage(req, res), async () => {
      if (req.uploadError === 'tooLarge') throw new UploadRejectedError('video', 'tooLarge');
      await courses.replaceIntroVideo(courseId, req.file);
    }, 'introVideo');
    flash(req, 'courses.admin.videoSaved');
    redirect(req, res, editorUrls.media(courseId));
  };

  const removeMedia = (slot: CourseImageSlot | 'introVideo'): RequestHandler => async (req, res) => {
    await courses.removeMedia(paramOf(req), slot);
    flash(req, 'courses.admin.mediaRemoved', 'info');
    redirect(req, res, editorUrls.media(paramOf(req)));
  };

  return { media, uploadImage, uploadIntroVideo, removeMedia };
}
