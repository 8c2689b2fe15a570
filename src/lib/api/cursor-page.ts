// The query and the envelope every cursor-paged list of the API shares.
import type { ZodType } from 'zod';
import { z } from './openapi.ts';

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ type: 'integer', description: 'Items per page (1–100)' }),
  cursor: z.string().min(1).max(512).regex(/^[A-Za-z0-9_-]+$/).optional().openapi({ description: 'The `nextCursor` of the previous page (opaque)' }),
};

/** Free text of a search: printable, and short (PostgreSQL refuses NUL bytes in text). */
export const searchText = z.string().trim().max(100)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, { error: 'validation.format' });

export function pageOf<T extends ZodType>(item: T, name: string) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().openapi({ description: 'Pass it as `cursor` for the next page; null on the last page' }),
  }).openapi(name);
}
