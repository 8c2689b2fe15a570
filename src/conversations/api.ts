// A booking's conversation in the public API: the same service as the booking page
// (its rate limit, its sanitising, its read marks). The booking is loaded through the
// caller first, so a stranger's booking is a 404 before any message is read.
import type { Deps } from '../composition.ts';
import type { ApiBuilder } from '../lib/api/operation.ts';
import { z } from '../lib/api/openapi.ts';
import { messageSchema } from './schemas.ts';
import type { Thread } from './service.ts';

const MessageView = z.object({
  id: z.string(),
  authorId: z.uuid().nullable().openapi({ description: 'null for the platform\'s admin' }),
  authorRole: z.enum(['student', 'mentor', 'admin']),
  authorName: z.string().nullable(),
  body: z.string().openapi({ description: 'The text as written (plain text)' }),
  html: z.string().openapi({ description: 'The same text, escaped and with links, safe to insert as HTML' }),
  mine: z.boolean(),
  createdAt: z.iso.datetime(),
}).openapi('Message');

const MessageList = z.object({ items: z.array(MessageView), nextCursor: z.string().nullable() }).openapi('MessageList');

const view = (m: Thread['messages'][number]): z.infer<typeof MessageView> => ({
  id: String(m.id), authorId: m.authorId, authorRole: m.authorRole, authorName: m.authorName, body: m.body, html: m.html, mine: m.mine,
  createdAt: new Date(m.createdAt).toISOString(),
});

// Message ids grow: the cursor is the last id shown, oldest first.
const encode = (id: string) => Buffer.from(id).toString('base64url');
const decode = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

export function conversationsApi(deps: Deps, api: ApiBuilder): void {
  const { bookings, conversations } = deps.services;
  const byId = z.object({ id: z.uuid() });

  api.operation({
    method: 'get', path: '/bookings/{id}/messages', operationId: 'listBookingMessages', tags: ['Student'], access: 'user',
    summary: 'A booking\'s messages', description: 'Oldest first. Reading them marks them read, as opening the booking page does.',
    params: byId,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(20),
      cursor: z.string().max(40).refine((c) => /^\d{1,19}$/.test(decode(c)), { error: 'validation.format' }).optional(),
    }),
    responses: { 200: { description: 'A page of messages', schema: MessageList } }, errors: [404],
    async handler({ params, query, user }) {
      const viewer = { id: user!.id, role: user!.role };
      const booking = await bookings.findForUser(viewer, params.id);
      const after = query.cursor ? BigInt(decode(query.cursor)) : -1n;
      const rest = (await conversations.threadFor(viewer, booking)).messages.filter((m) => BigInt(m.id) > after);
      const items = rest.slice(0, query.limit);
      return { body: { items: items.map(view), nextCursor: rest.length > query.limit ? encode(String(items.at(-1)!.id)) : null } };
    },
  });

  api.operation({
    method: 'post', path: '/bookings/{id}/messages', operationId: 'postBookingMessage', tags: ['Student'], access: 'user',
    summary: 'Write in a booking\'s conversation', description: '429 with Retry-After past 10 messages a minute or 100 a day.',
    params: byId, body: messageSchema, idempotent: true,
    responses: { 201: { description: 'The message, as the thread shows it', schema: MessageView } }, errors: [404],
    async handler({ params, body, user }) {
      const viewer = { id: user!.id, role: user!.role };
      const booking = await bookings.findForUser(viewer, params.id);
      const id = await conversations.post(viewer, booking, body.body);
      const written = (await conversations.threadFor(viewer, booking)).messages.find((m) => String(m.id) === String(id));
      return { status: 201, body: view(written!) };
    },
  });
}
