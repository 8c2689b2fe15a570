// Mail port. SMTP through nodemailer when SMTP_URL is set; otherwise the dev outbox,
// a table a developer reads at /dev/outbox. Messages are rendered from Eta templates
// (views/mail/NAME.eta for HTML, NAME.text.eta for plain text) in the recipient's language.
import type { Eta } from 'eta';
import type { Knex } from 'knex';
import type { Transporter } from 'nodemailer';
import { translator, type Locale } from '../i18n/index.ts';
import { lazy } from './lazy.ts';
import type { Logger } from './logger.ts';
import { currentScope } from './request-context.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  attachments?: { filename: string; content: string; contentType: string }[];
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
}

export function smtpTransport(url: string, from: string): MailTransport {
  // nodemailer is loaded with the first mail (~35 ms less start-up; a web-only process never needs it).
  const connect: () => Promise<Transporter> = lazy(async () => (await import('nodemailer')).default.createTransport(url));
  return {
    async send(mail) {
      await (await connect()).sendMail({ from, ...mail });
    },
  };
}

export function outboxTransport(knex: Knex): MailTransport {
  return {
    async send(mail) {
      // jsonb: serialised here, or pg would send the array as a PostgreSQL array literal.
      await knex('mail_outbox').insert({ toAddress: mail.to, subject: mail.subject, html: mail.html, text: mail.text, attachments: JSON.stringify(mail.attachments ?? []) });
    },
  };
}

export interface Mailer {
  /** Renders `template` for the recipient and sends it. Throws if the transport fails. */
  send(
    template: string,
    to: { email: string; locale: Locale; name: string },
    data: Record<string, unknown>,
    options?: { subjectKey?: string; attachments?: OutgoingMail['attachments'] },
  ): Promise<void>;
}

export function createMailer(deps: { transport: MailTransport; views: Eta; appUrl: string; logger: Logger }): Mailer {
  return {
    async send(template, to, data, options = {}) {
      const t = translator(to.locale);
      const locals = { ...data, t, appUrl: deps.appUrl, recipient: to, locale: to.locale };
      const subject = t(options.subjectKey ?? `mail.${template}.subject`, data as Record<string, string>);
      const html = deps.views.render(`mail/${template}`, { ...locals, subject });
      const text = deps.views.render(`mail/${template}.text.eta`, { ...locals, subject });
      await deps.transport.send({ to: to.email, subject, html, text, ...(options.attachments ? { attachments: options.attachments } : {}) });
      // The request (or the job it queued) that sent it: one reqId finds the page, the job and the mail.
      const scope = currentScope();
      deps.logger.info({ template, to: to.email, reqId: scope?.reqId, traceId: scope?.traceId, jobId: scope?.jobId }, 'mail sent');
    },
  };
}
