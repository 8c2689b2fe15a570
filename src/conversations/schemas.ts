import { z } from 'zod';
import { charCount, hasControlCharacters, MAX_MESSAGE_CHARS, normaliseBody } from './text.ts';

export const messageSchema = z.object({
  body: z
    .string({ error: 'conversations.error.required' })
    .transform(normaliseBody)
    .refine((s) => s.length > 0, { error: 'conversations.error.required', abort: true })
    .refine((s) => !hasControlCharacters(s), { error: 'conversations.error.control', abort: true })
    .refine((s) => charCount(s) <= MAX_MESSAGE_CHARS, { error: 'conversations.error.tooLong' }),
});
