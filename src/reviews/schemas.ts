// What a review form may send (course and mentor reviews alike).
import { z } from 'zod';
import { blank } from '../lib/validation.ts';
import { WRITTEN_TEXT_MIN } from '../lib/written-text.ts';

export const reviewSchema = z.object({
  rating: z.preprocess(blank, z.coerce.number({ error: 'reviews.ratingRequired' }).int().min(1, { error: 'reviews.ratingRequired' }).max(5, { error: 'reviews.ratingRequired' })),
  body: z.string({ error: 'reviews.bodyLength' }).trim().min(WRITTEN_TEXT_MIN, { error: 'reviews.bodyLength' }).max(3000, { error: 'reviews.bodyLength' }),
});
