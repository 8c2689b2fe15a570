// What a Q&A form may send: a question, or a reply when parentId names its question.
import { z } from 'zod';
import { blank } from '../lib/validation.ts';

export const commentSchema = z.object({
  body: z.string({ error: 'validation.required' }).trim().min(1, { error: 'validation.required' }).max(5000),
  parentId: z.preprocess(blank, z.guid().optional()),
});
