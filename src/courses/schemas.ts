// Input of the public course pages: the catalogue's search and the lesson completion.
import { z } from 'zod';
import { blank } from '../lib/validation.ts';

/** What the player reports with its completion: the share of the video watched. */
export const completionSchema = z.object({
  watched: z.preprocess(blank, z.coerce.number().min(0.9, { error: 'courses.progress.watchedTooLittle' }).max(1, { error: 'courses.progress.watchedTooLittle' }).optional()),
});
