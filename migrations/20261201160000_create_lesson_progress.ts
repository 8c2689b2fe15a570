import type { Knex } from 'knex';

// A student's progress through a course: one row per lesson they finished (watched to
// 90 % or marked as done). The primary key makes "mark as done" idempotent under any
// number of concurrent requests; the rows go with the user or the lesson.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('lesson_progress', (t) => {
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('lesson_id').notNullable().references('lessons.id').onDelete('CASCADE');
    t.timestamp('completed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['user_id', 'lesson_id']);
    t.index(['lesson_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('lesson_progress');
}
