import type { Knex } from 'knex';

// Courses (seed 001): modules and lessons in order, resources, enrollments, reviews
// and lesson Q&A. Counters that pages show (students, rating) are kept by triggers in
// the same transaction as the rows they count, so they can never drift.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('courses', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.specificType('slug', 'citext').notNullable().unique();
    t.text('title').notNullable();
    t.text('subtitle');
    t.boolean('published').notNullable().defaultTo(false);
    t.text('short_description').notNullable().defaultTo('');
    t.text('description_html').notNullable().defaultTo('');
    t.text('thumbnail_key');
    t.text('header_key');
    t.text('intro_video_key');
    t.text('level').notNullable().defaultTo('beginner');
    t.specificType('compatibility', 'text[]').notNullable().defaultTo('{}');
    t.specificType('prerequisites', 'text[]').notNullable().defaultTo('{}');
    t.specificType('objectives', 'text[]').notNullable().defaultTo('{}');
    t.decimal('price', 10, 2).notNullable().defaultTo(0);
    t.specificType('currency', 'char(3)').notNullable().defaultTo('EUR');
    t.decimal('rating_average', 3, 2).notNullable().defaultTo(0);
    t.integer('rating_count').notNullable().defaultTo(0);
    t.integer('students_count').notNullable().defaultTo(0);
    t.timestamps(true, true, false);
  });
  await knex.raw(`
    alter table courses
      add constraint courses_slug_format check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and char_length(slug) <= 80),
      add constraint courses_title_length check (char_length(title) between 3 and 160),
      add constraint courses_level_check check (level in ('beginner', 'intermediate', 'advanced', 'expert')),
      add constraint courses_price_check check (price >= 0 and price <= 100000),
      add constraint courses_rating_check check (rating_average between 0 and 5 and rating_count >= 0 and students_count >= 0)`);

  await knex.schema.createTable('course_educators', (t) => {
    t.uuid('course_id').notNullable().references('courses.id').onDelete('CASCADE');
    t.uuid('mentor_id').notNullable().references('users.id').onDelete('CASCADE');
    t.primary(['course_id', 'mentor_id']);
  });

  await knex.schema.createTable('course_modules', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('course_id').notNullable().references('courses.id').onDelete('CASCADE');
    t.text('title').notNullable();
    t.integer('position').notNullable();
  });
  // Deferred so that a reorder can swap two positions inside one transaction.
  await knex.raw('alter table course_modules add constraint course_modules_position_unique unique (course_id, position) deferrable initially deferred');

  await knex.schema.createTable('lessons', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('module_id').notNullable().references('course_modules.id').onDelete('CASCADE');
    t.text('title').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.text('video_key');
    t.integer('duration_seconds').notNullable().defaultTo(0);
    t.boolean('free_preview').notNullable().defaultTo(false);
    t.integer('position').notNullable();
  });
  await knex.raw('alter table lessons add constraint lessons_position_unique unique (module_id, position) deferrable initially deferred');

  await knex.schema.createTable('course_resources', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('course_id').notNullable().references('courses.id').onDelete('CASCADE');
    t.uuid('lesson_id').references('lessons.id').onDelete('CASCADE');
    t.text('title').notNullable();
    t.text('kind').notNullable();
    t.text('file_key').notNullable();
    t.text('content_type').notNullable();
    t.bigInteger('size_bytes').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['course_id']);
    t.index(['lesson_id']);
  });
  await knex.raw(`alter table course_resources add constraint course_resources_kind check (kind in ('pdf', 'source', 'slides', 'other'))`);

  await knex.schema.createTable('enrollments', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('course_id').notNullable().references('courses.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('source').notNullable().defaultTo('free');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['course_id', 'user_id']);
    t.index(['user_id']);
  });
  await knex.raw(`alter table enrollments add constraint enrollments_source check (source in ('free', 'payment', 'admin'))`);

  await knex.schema.createTable('course_reviews', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('course_id').notNullable().references('courses.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.smallint('rating').notNullable();
    t.text('body').notNullable();
    t.timestamps(true, true, false);
    t.unique(['course_id', 'user_id']);
  });
  await knex.raw('alter table course_reviews add constraint course_reviews_rating check (rating between 1 and 5 and char_length(body) between 10 and 3000)');

  // Mentor reviews: one per completed booking (seed 002 "notation des mentors").
  await knex.schema.createTable('mentor_reviews', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('booking_id').notNullable().unique().references('bookings.id').onDelete('CASCADE');
    t.uuid('mentor_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('student_id').notNullable().references('users.id').onDelete('CASCADE');
    t.smallint('rating').notNullable();
    t.text('body').notNullable();
    t.timestamps(true, true, false);
    t.index(['mentor_id', 'created_at']);
  });
  await knex.raw('alter table mentor_reviews add constraint mentor_reviews_rating check (rating between 1 and 5 and char_length(body) between 10 and 3000)');
  await knex.schema.alterTable('users', (t) => {
    t.decimal('rating_average', 3, 2).notNullable().defaultTo(0);
    t.integer('rating_count').notNullable().defaultTo(0);
  });

  await knex.schema.createTable('lesson_comments', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('lesson_id').notNullable().references('lessons.id').onDelete('CASCADE');
    t.uuid('parent_id').references('lesson_comments.id').onDelete('CASCADE');
    // The shadow admin has no users row: its posts have no user_id and author_role 'admin'.
    t.uuid('user_id').references('users.id').onDelete('SET NULL');
    t.text('author_role').notNullable();
    t.text('body').notNullable();
    t.boolean('pinned').notNullable().defaultTo(false);
    t.timestamp('deleted_at', { useTz: true });
    t.timestamps(true, true, false);
    t.index(['lesson_id', 'created_at']);
    t.index(['parent_id']);
  });
  await knex.raw(`
    alter table lesson_comments
      add constraint lesson_comments_role check (author_role in ('student', 'mentor', 'admin')),
      add constraint lesson_comments_body check (char_length(body) between 1 and 5000),
      add constraint lesson_comments_pin_is_answer check (not pinned or parent_id is not null)`);
  // One official answer per question.
  await knex.raw('create unique index lesson_comments_one_pin on lesson_comments (parent_id) where pinned');

  // A skill may be linked to a course: only its enrolled students may book it (seed 004).
  await knex.schema.alterTable('skills', (t) => {
    t.uuid('course_id').references('courses.id').onDelete('SET NULL');
  });

  // Counters kept by triggers, in the writing transaction.
  await knex.raw(`
    -- +1/-1 under the row lock of the UPDATE: a count(*) would read a snapshot that
    -- misses enrollments committed concurrently.
    create function courses_students_count() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        update courses set students_count = students_count + 1 where id = new.course_id;
      else
        update courses set students_count = greatest(students_count - 1, 0) where id = old.course_id;
      end if;
      return null;
    end $$;
    create trigger enrollments_count after insert or delete on enrollments
      for each row execute function courses_students_count();

    create function courses_rating() returns trigger language plpgsql as $$
    declare target uuid := coalesce(new.course_id, old.course_id);
    begin
      -- Row lock on the course serialises concurrent reviews of one course. NO KEY
      -- UPDATE, because the foreign-key check already holds KEY SHARE on that row:
      -- FOR UPDATE would deadlock two concurrent reviewers.
      perform 1 from courses where id = target for no key update;
      update courses c set rating_count = s.n, rating_average = coalesce(s.avg, 0)
      from (select count(*) as n, round(avg(rating)::numeric, 2) as avg from course_reviews where course_id = target) s
      where c.id = target;
      return null;
    end $$;
    create trigger course_reviews_rating after insert or update of rating or delete on course_reviews
      for each row execute function courses_rating();

    create function mentors_rating() returns trigger language plpgsql as $$
    declare target uuid := coalesce(new.mentor_id, old.mentor_id);
    begin
      perform 1 from users where id = target for no key update;
      update users u set rating_count = s.n, rating_average = coalesce(s.avg, 0)
      from (select count(*) as n, round(avg(rating)::numeric, 2) as avg from mentor_reviews where mentor_id = target) s
      where u.id = target;
      return null;
    end $$;
    create trigger mentor_reviews_rating after insert or update of rating or delete on mentor_reviews
      for each row execute function mentors_rating();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger if exists mentor_reviews_rating on mentor_reviews; drop function if exists mentors_rating()');
  await knex.raw('drop trigger if exists course_reviews_rating on course_reviews; drop function if exists courses_rating()');
  await knex.raw('drop trigger if exists enrollments_count on enrollments; drop function if exists courses_students_count()');
  await knex.schema.alterTable('skills', (t) => t.dropColumn('course_id'));
  await knex.schema.dropTable('lesson_comments');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('rating_average');
    t.dropColumn('rating_count');
  });
  await knex.schema.dropTable('mentor_reviews');
  await knex.schema.dropTable('course_reviews');
  await knex.schema.dropTable('enrollments');
  await knex.schema.dropTable('course_resources');
  await knex.schema.dropTable('lessons');
  await knex.schema.dropTable('course_modules');
  await knex.schema.dropTable('course_educators');
  await knex.schema.dropTable('courses');
}
