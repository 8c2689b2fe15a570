// What a Q&A form may send: a question, or a reply when parentId names its question.
// A question must say enough to be answered (the same floor as a review); a reply may
// be short ("Thanks, that was it").
import { z } from 'zod';
import { blank } from '../lib/validation.ts';
import { WRITTEN_TEXT_MIN } from '../lib/written-text.ts';

const text = () => z.string({ error: 'validation.required' }).trim().min(1, { error: 'validation.required' });
const body = text().max(5000);
const questionBody = text().min(WRITTEN_TEXT_MIN, { error: 'comments.questionTooShort' }).max(5000);

export const commentSchema = z.object({
  body,
  parentId: z.preprocess(blank, z.guid().optional()),
});

export const questionSchema = commentSchema.extend({ body: questionBody });
