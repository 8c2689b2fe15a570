import type { RequestHandler } from 'express';
import type { Deps } from '../composition.ts';
import { isLoopbackHost } from '../config.ts';
import { ForbiddenError, NotFoundError } from '../lib/errors.ts';
import { render } from '../lib/render.ts';
import { describeAttachments, type StoredAttachment } from './attachments.ts';

interface OutboxRow { id: number; toAddress: string; subject: string; html: string; text: string; attachments: StoredAttachment[]; createdAt: Date }

/**
 * The outbox holds password-reset links: readable from this machine only, or by the
 * admin. The socket's address decides, never X-Forwarded-For, which any client can send.
 */
export const localOrAdmin: RequestHandler = (req, _res, next) => {
  if (isLoopbackHost(req.socket.remoteAddress ?? '') || req.user?.role === 'admin') return next();
  next(new ForbiddenError('devOutbox.localOnly'));
};

export function outboxHandlers({ knex }: Deps) {
  const find = async (id: unknown) => {
    const n = Number(id);
    const row = Number.isSafeInteger(n) ? await knex<OutboxRow>('mail_outbox').where({ id: n }).first() : undefined;
    if (!row) throw new NotFoundError();
    return row;
  };

  const list: RequestHandler = async (req, res) => {
    const to = typeof req.query.to === 'string' ? req.query.to : undefined;
    const query = knex<OutboxRow>('mail_outbox').select('id', 'toAddress', 'subject', 'createdAt', knex.raw('jsonb_array_length(attachments) as attachment_count')).orderBy('id', 'desc').limit(100);
    if (to) query.where('toAddress', to);
    render(req, res, 'dev-outbox/outbox', { title: 'Outbox', messages: await query, to });
  };

  const show: RequestHandler = async (req, res) => {
    const message = await find(req.params.id);
    render(req, res, 'dev-outbox/outbox-message', { title: 'Outbox', message, attachments: describeAttachments(message.attachments) });
  };

  // Always a download, never rendered here: an attachment is whatever a mail carried.
  const attachment: RequestHandler = async (req, res) => {
    const message = await find(req.params.id);
    const index = Number(req.params.index);
    const file = Number.isSafeInteger(index) && index >= 0 ? message.attachments[index] : undefined;
    if (!file) throw new NotFoundError();
    res.set('Content-Security-Policy', "default-src 'none'; sandbox");
    res.attachment(file.filename).type(file.contentType).send(file.content);
  };

  // The mail's own HTML, framed by the page above. It gets a sandboxed policy of its
  // own: mail markup relies on inline styles, which the app's CSP forbids.
  const html: RequestHandler = async (req, res) => {
    const message = await find(req.params.id);
    res.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; frame-ancestors 'self'; sandbox");
    res.type('html').send(message.html);
  };

  return { list, show, html, attachment };
}
