import type { Knex } from 'knex';

// Lessons without a video may be marked text-only (a reading), which the publication
// checklist accepts in place of a video. A lesson's duration is now its video's,
// read from the file at upload (duration_seconds already holds seconds): a duration
// typed on a lesson without a video had nothing behind it, so it goes back to 0
// ("no duration"). Lessons with a video keep theirs until the video is uploaded again.
// down cannot bring those typed numbers back; it only drops what up added.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table lessons
      add column text_only boolean not null default false,
      add constraint lessons_text_only_has_no_video check (not text_only or video_key is null);
    update lessons set duration_seconds = 0 where video_key is null and duration_seconds <> 0;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table lessons drop constraint lessons_text_only_has_no_video, drop column text_only');
}
