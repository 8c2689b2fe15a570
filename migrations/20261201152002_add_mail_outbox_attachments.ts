import type { Knex } from 'knex';

// The dev outbox keeps attachments (calendar invitations), so a developer sees what a
// recipient's mail client would: [{ filename, contentType, content }].
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mail_outbox', (t) => {
    t.jsonb('attachments').notNullable().defaultTo('[]');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mail_outbox', (t) => {
    t.dropColumn('attachments');
  });
}
