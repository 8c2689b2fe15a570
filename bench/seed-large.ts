// A large marketplace, written with set-based SQL (generate_series, INSERT … SELECT):
// one statement per table, nothing row by row from Node.
//
// Ids are derived from an index (uid(`'mentor' || i`): an md5 shaped as a version-4
// UUID, since the app validates ids with z.uuid()) so that every statement,
// and the bench itself, can name "mentor 0" or "skill 1234" without a lookup table.
//
// Bookings sit on a per-mentor grid of distinct weekday hours (08:00–19:00 start, Paris
// wall clock) from about 365 days ago to 20–27 days ahead: grid hour h of mentor i is
// (37·i + 1003·k) mod 3360 for its k-th booking, a bijection since gcd(1003, 3360) = 1,
// so no two bookings of a mentor ever overlap, whatever their status. Past bookings are
// completed / cancelled / no-show / expired / rejected; future ones pending / confirmed /
// cancelled / rejected. Mentor 0 is the busy one: 2 % of all bookings, capped by its
// grid's hours (3,359 at 1,000,000 bookings: 0.34 %; the others have about 2,000).
import type pg from 'pg';

export const MENTORS = 500;
export const STUDENTS = 5_000;
export const SKILLS = 2_000;
export const BUSY_MENTOR = 0;
export const PASSWORD = 'bench-password-123';

const GRID_HOURS = 3360; // 56 weeks × 5 weekdays × 12 hours
const GRID_STRIDE = 1003;
/** The most bookings the grid holds: every hour of every mentor but a margin (see quotas). */
export const MAX_SEEDED_BOOKINGS = (GRID_HOURS - 2) * (MENTORS - 1);

/** SQL for a deterministic RFC 4122 UUID (version 4, variant 8) from a text expression. */
const uid = (expr: string) => `overlay(overlay(md5(${expr}) placing '4' from 13) placing '8' from 17)::uuid`;

const FIRST_NAMES = ['Camille', 'Louis', 'Chloé', 'Hugo', 'Léa', 'Gabriel', 'Manon', 'Arthur', 'Inès', 'Jules', 'Emma', 'Lucas', 'Sarah', 'Nathan', 'Zoé', 'Raphaël', 'Alice', 'Thomas', 'Jade', 'Adam', 'Olivia', 'James', 'Sophie', 'Noah', 'Amélie', 'Mehdi', 'Yasmine', 'Karim', 'Anaïs', 'Paul'];
const LAST_NAMES = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard', 'André', 'Mercier', 'Dupont', 'Smith', 'Johnson', 'Brown', 'Nguyen', 'Haddad'];
const CITIES = ['Paris', 'Lyon', 'Marseille', 'Toulouse', 'Nantes', 'Bordeaux', 'Lille', 'Rennes', 'Strasbourg', 'Montpellier', 'Bruxelles', 'Genève', 'Montréal', 'London'];
const HEADLINES = ['Développeur senior, 10 ans de production', 'Professeure de musique diplômée', 'Data scientist in a fintech', 'Formateur certifié PC SOFT', 'Native English teacher', 'Designer UX freelance', 'Agrégé de mathématiques', 'Recruteuse tech, ex-cabinet', 'Staff engineer, open-source maintainer', 'Coach carrière et entretiens'];

// Topic and its category, side by side.
const TOPICS: [string, string][] = [
  ['guitare', 'music'], ['piano', 'music'], ['violon', 'music'], ['chant', 'music'], ['batterie', 'music'], ['guitar', 'music'],
  ['Python', 'programming'], ['TypeScript', 'programming'], ['React', 'programming'], ['Rust', 'programming'], ['Node.js', 'programming'],
  ['Kotlin', 'programming'], ['Swift', 'programming'], ['Docker et Kubernetes', 'programming'], ['code review', 'code-review'],
  ['revue de code', 'code-review'], ['SQL et PostgreSQL', 'data'], ['pandas', 'data'], ['machine learning', 'data'], ['Power BI', 'data'],
  ['Excel avancé', 'data'], ['statistiques', 'maths'], ['mathématiques', 'maths'], ['algèbre linéaire', 'maths'], ['probabilités', 'maths'],
  ['WinDev', 'pc-soft'], ['HFSQL', 'pc-soft'], ['WebDev', 'pc-soft'], ['anglais', 'languages'], ['English conversation', 'languages'],
  ['espagnol', 'languages'], ['allemand', 'languages'], ['français langue étrangère', 'languages'], ['UX design', 'design'], ['Figma', 'design'],
  ['photographie', 'design'], ['entretiens d\'embauche', 'career'], ['CV et LinkedIn', 'career'], ['négociation salariale', 'career'], ['comptabilité', 'other'],
];
const PREFIXES = ['Cours de', 'Atelier', 'Initiation :', 'Masterclass', 'Introduction to', 'Advanced', 'Coaching', 'Révisions :', 'Practical', 'Perfectionnement :'];
const SUFFIXES = ['', ' pour débutants', ' for beginners', ' : niveau intermédiaire', ' (advanced level)', ' en cinq séances', ' from scratch', ' pour le bac', ' en entreprise', ' step by step'];
const INTROS = [
  'Une séance individuelle en visio pour progresser en {t} à votre rythme.',
  'A one-to-one video session to get better at {t}, at your own pace.',
  'Vous bloquez sur {t} ? Nous partons de vos questions et de vos exemples.',
  'Stuck with {t}? We start from your own questions and examples.',
  'Je vous accompagne en {t} depuis les bases jusqu\'aux sujets avancés.',
];
const BODIES = [
  'Nous faisons d\'abord un point rapide sur votre niveau, puis nous travaillons sur des exercices concrets choisis ensemble. Vous repartez avec un résumé écrit et des ressources.',
  'We review your current level, then practise on concrete exercises chosen together. You leave with a written summary, links and a plan for the next weeks.',
  'Méthode progressive, beaucoup de pratique et des corrections précises : l\'objectif est que vous soyez autonome rapidement, sans recettes magiques.',
  'Hands-on, practical and friendly: lots of practice, precise feedback and homework if you want it. Beginners are welcome, experts too.',
  'Chaque séance est préparée à partir de ce que vous m\'envoyez avant : code, partition, copie, CV ou tableau. Rien n\'est générique.',
  'Each session is prepared from what you send beforehand: code, sheet music, homework, résumé or spreadsheet. Nothing generic.',
];
const OUTROS = [
  'Matériel nécessaire : un ordinateur et une connexion correcte.',
  'All you need is a laptop and a decent connection.',
  'Séances en français ou en anglais, au choix.',
  'Sessions in French or English, as you prefer.',
  'Annulation gratuite jusqu\'à 24 h avant.',
  '',
];
const SUBJECTS = ['Premiers pas', 'Préparer un examen', 'Revue de mon projet', 'Questions sur les bases', 'Mock interview', 'Debugging session', 'Exercices corrigés', 'Progresser vite', 'Conversation practice', 'Avis sur mon travail'];

export interface BaseSeed {
  mentors: number;
  students: number;
  skills: number;
  availabilityRules: number;
  ms: number;
}

/** Users, mentor settings, weekly hours and skills; one statement each. */
export async function seedBase(pool: pg.Pool, passwordHash: string): Promise<BaseSeed> {
  const started = performance.now();
  const client = await pool.connect();
  try {
    await client.query('begin');
    const mentors = await client.query(
      `insert into users (id, email, username, password_hash, role, display_name, headline, bio, city, country, experience_level,
                          hourly_rate_cents, languages, locale, timezone, created_at, updated_at)
       select ${uid(`'mentor' || i`)}, format('mentor%s@bench.test', lpad(i::text, 4, '0')), format('mentor%s', lpad(i::text, 4, '0')),
              $1, 'mentor',
              ($2::text[])[1 + i % cardinality($2::text[])] || ' ' || ($3::text[])[1 + (i / 7) % cardinality($3::text[])],
              ($5::text[])[1 + i % cardinality($5::text[])],
              'Mentor sur Leboncours depuis ' || (2015 + i % 10) || '. ' || ($5::text[])[1 + (i + 3) % cardinality($5::text[])] || '.',
              ($4::text[])[1 + i % cardinality($4::text[])], 'FR',
              (array['beginner', 'intermediate', 'expert'])[1 + i % 3],
              (20 + i % 60) * 100, array['fr', 'en'], (array['fr', 'en'])[1 + (i % 3 = 0)::int], 'Europe/Paris',
              now() - make_interval(days => 400 + i % 400), now() - make_interval(days => i % 30)
       from generate_series(0, $6::int - 1) i`,
      [passwordHash, FIRST_NAMES, LAST_NAMES, CITIES, HEADLINES, MENTORS],
    );
    const students = await client.query(
      `insert into users (id, email, username, password_hash, role, display_name, city, locale, timezone, created_at, updated_at)
       select ${uid(`'student' || i`)}, format('student%s@bench.test', lpad(i::text, 5, '0')), format('student%s', lpad(i::text, 5, '0')),
              $1, 'student',
              ($2::text[])[1 + (i * 7) % cardinality($2::text[])] || ' ' || ($3::text[])[1 + (i / 3) % cardinality($3::text[])],
              ($4::text[])[1 + i % cardinality($4::text[])], (array['fr', 'en'])[1 + (i % 4 = 0)::int], 'Europe/Paris',
              now() - make_interval(days => i % 700, hours => i % 24), now() - make_interval(days => i % 90)
       from generate_series(0, $5::int - 1) i`,
      [passwordHash, FIRST_NAMES, LAST_NAMES, CITIES, STUDENTS],
    );
    // No notice, a 28-day window, no buffer; every other mentor confirms instantly.
    await client.query(
      `insert into mentor_settings (mentor_id, min_notice_minutes, window_days, buffer_minutes, requires_approval)
       select ${uid(`'mentor' || i`)}, 0, 28, 0, i % 2 = 0 from generate_series(0, $1::int - 1) i`,
      [MENTORS],
    );
    const rules = await client.query(
      `insert into availability_rules (mentor_id, weekday, start_time, end_time, active)
       select ${uid(`'mentor' || i`)}, d, '08:00', '20:00', true
       from generate_series(0, $1::int - 1) i cross join generate_series(1, 5) d`,
      [MENTORS],
    );
    // Skill j belongs to mentor j % 500; its 4th skill (s = 3) is a group session for
    // every 10th mentor. One-on-one skills always offer 60 minutes.
    const skills = await client.query(
      `insert into skills (id, mentor_id, title, description, category, price_cents, currency, durations, mode, status, starts_at, capacity,
                           seats_taken, created_at, updated_at)
       select ${uid(`'skill' || j`)}, ${uid(`'mentor' || i`)},
              case when grp then 'Atelier collectif : ' || topic
                   else ($4::text[])[1 + (j / 3) % cardinality($4::text[])] || ' ' || topic || ($5::text[])[1 + (j / 7) % cardinality($5::text[])] end,
              concat_ws(' ',
                replace(($6::text[])[1 + j % cardinality($6::text[])], '{t}', topic),
                ($7::text[])[1 + (j / 2) % cardinality($7::text[])],
                case when j % 3 = 0 then replace(($6::text[])[1 + (j + 1) % cardinality($6::text[])], '{t}', topic) end,
                case when j % 2 = 0 then ($7::text[])[1 + (j / 5 + 1) % cardinality($7::text[])] end,
                ($8::text[])[1 + j % cardinality($8::text[])]),
              category, (15 + (j * 7) % 86) * 100, 'EUR',
              case when grp then array[90] when j % 4 = 0 then array[60] when j % 4 = 1 then array[30, 60]
                   when j % 4 = 2 then array[60, 90] else array[60, 90, 120] end,
              case when grp then 'group' else 'one_on_one' end, 'published',
              case when grp then date_trunc('hour', now()) + make_interval(days => 1 + (i / 10) % 20, hours => 6) end,
              case when grp then 8 end, case when grp then i % 5 else 0 end,
              now() - make_interval(days => (j * 13) % 365, hours => j % 24), now() - make_interval(days => j % 30)
       from (
         select j, j % $2::int as i, (j / $2::int = 3 and (j % $2::int) % 10 = 0) as grp,
                ($3::text[])[1 + (j * 7 + j / $2::int) % cardinality($3::text[])] as topic,
                ($9::text[])[1 + (j * 7 + j / $2::int) % cardinality($9::text[])] as category
         from generate_series(0, $1::int - 1) j
       ) s`,
      [SKILLS, MENTORS, TOPICS.map((t) => t[0]), PREFIXES, SUFFIXES, INTROS, BODIES, OUTROS, TOPICS.map((t) => t[1])],
    );
    await client.query('commit');
    await client.query('vacuum analyze users, skills, mentor_settings, availability_rules');
    return {
      mentors: mentors.rowCount ?? 0,
      students: students.rowCount ?? 0,
      skills: skills.rowCount ?? 0,
      availabilityRules: rules.rowCount ?? 0,
      ms: Math.round(performance.now() - started),
    };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * k-range of grid hours per mentor for a total: mentor 0 gets 2 %, up to all but one of
 * its 3,360 grid hours (0.34 % of 1,000,000: a realistic share for the busiest of 500
 * mentors, who cannot work more hours than there are), the rest share.
 */
function quotas(total: number): { busy: number; other: number } {
  const busy = Math.min(GRID_HOURS - 1, Math.round(total / 50));
  return { busy, other: Math.ceil((total - busy) / (MENTORS - 1)) + 1 };
}

/** Per mentor, the grid positions k below these are spent (busy mentor, every other one). */
export interface SeedReach {
  busy: number;
  other: number;
}

export interface BookingSeed {
  inserted: number;
  total: number;
  ms: number;
  /** Pass it to the next call. */
  reach: SeedReach;
}

/**
 * Tops the bookings table up to `target` rows. `from` is the reach of the previous call
 * (nothing for the first): its grid hours are skipped, so two calls never pick the same
 * hour. Hours taken meanwhile by bookings the bench made through the app are skipped too
 * (they are live, and the exclusion constraint would refuse the row); what they leave
 * missing is taken from the next hours of the other mentors.
 *
 * Written for the 1,000,000 step (900,000 rows in one statement): every candidate hour
 * is computed once (materialized CTEs, ids looked up rather than hashed per row) and
 * the live bookings are compared as ready ranges. Rows are inserted in start order, as
 * a live table grows (a mentor's bookings end up spread over the heap, one or two per
 * page, not clustered: a block of 100 rows costs what it would in production).
 * Foreign keys are not re-checked row by row (session_replication_role = replica, in
 * this transaction only): every id comes from the seed's own users and skills.
 * Constraints that are indexes (the exclusion constraint, unique indexes) and CHECKs
 * still apply. Triggers do not fire either: the grid's sort names (kept by a trigger in
 * the app) are written here from the users rows.
 */
export async function seedBookings(pool: pg.Pool, target: number, from: SeedReach = { busy: 0, other: 0 }): Promise<BookingSeed> {
  const started = performance.now();
  const before = Number((await pool.query<{ n: string }>('select count(*) as n from bookings')).rows[0]!.n);
  const needed = Math.max(0, target - before);
  const q = quotas(target);
  let reach = { busy: Math.max(from.busy, q.busy), other: Math.max(from.other, q.other) };
  if (reach.busy > GRID_HOURS || reach.other > GRID_HOURS) throw new Error(`${target} bookings do not fit the seed's grid of ${GRID_HOURS} hours per mentor (at most ${MAX_SEEDED_BOOKINGS})`);
  const client = await pool.connect();
  let inserted = 0;
  try {
    await client.query('begin');
    await client.query(`set local work_mem = '256MB'`);
    await client.query('set local session_replication_role = replica');
    inserted = await insertGridRange(client, from, reach, needed);
    while (inserted < needed) {
      const next = { busy: reach.busy, other: reach.other + Math.ceil((needed - inserted) / (MENTORS - 1)) + 1 };
      if (next.other > GRID_HOURS) break;
      inserted += await insertGridRange(client, reach, next, needed - inserted);
      reach = next;
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  await pool.query('vacuum analyze bookings');
  const total = Number((await pool.query<{ n: string }>('select count(*) as n from bookings')).rows[0]!.n);
  return { inserted, total, ms: Math.round(performance.now() - started), reach };
}

/** Grid positions [lo, hi) of every mentor, spread evenly, free hours only, at most `limit` rows. */
async function insertGridRange(client: pg.PoolClient, lo: SeedReach, hi: SeedReach, limit: number): Promise<number> {
  const result = await client.query(
    `with params as materialized (
       select date_trunc('week', (now() at time zone 'Europe/Paris') - interval '365 days') as base, now() as t_now
     ), mentors as materialized (
       select i, ${uid(`'mentor' || i`)} as mentor_id,
              case when i = $9::int then $1::int else $2::int end as lo,
              case when i = $9::int then $3::int else $4::int end as hi
       from generate_series(0, $5::int - 1) i
     ), students as materialized (
       select j, ${uid(`'student' || j`)} as student_id from generate_series(0, $6::int - 1) j
     ), skills as materialized (
       select j, ${uid(`'skill' || j`)} as skill_id from generate_series(0, 3 * $5::int - 1) j
     ), grid as materialized (
       select m.i, m.mentor_id, k, m.lo, m.hi, p.t_now,
              (p.base + make_interval(days => (h / 60) * 7 + (h % 60) / 12, hours => 8 + h % 12)) at time zone 'Europe/Paris' as starts_at,
              case when (m.i + k) % 4 = 0 then 30 else 60 end as duration,
              (m.i * 7919 + k * 104729) % 100 as r
       from mentors m
       cross join params p
       cross join lateral generate_series(m.lo, m.hi - 1) k
       cross join lateral (select (m.i * 37 + k * $7::int) % $8::int as h) hh
     ), live as materialized (
       select b.mentor_id, tstzrange(b.starts_at, b.ends_at) as span
       from bookings b where b.kind = 'one_on_one' and b.status in ('pending', 'confirmed')
     ), picked as (
       select g.*, g.starts_at + make_interval(mins => g.duration) as ends_at
       from grid g
       where not exists (
         select 1 from live l where l.mentor_id = g.mentor_id and l.span && tstzrange(g.starts_at, g.starts_at + make_interval(mins => g.duration)))
       order by (g.k - g.lo)::float8 / greatest(g.hi - g.lo, 1), g.i
       limit $11::int
     ), rows as (
       select x.*,
              case when x.starts_at < x.t_now then
                     case when r < 60 then 'completed' when r < 72 then 'cancelled' when r < 77 then 'no_show' when r < 90 then 'expired' else 'rejected' end
                   else case when r < 35 then 'pending' when r < 85 then 'confirmed' when r < 95 then 'cancelled' else 'rejected' end
              end as status
       from picked x
     )
     insert into bookings (skill_id, mentor_id, student_id, kind, starts_at, ends_at, duration_minutes, status, subject, description, message,
                           meeting_url, reject_reason, cancel_reason, cancelled_by, price_cents, currency, expires_at, created_at, updated_at,
                           student_sort_name, mentor_sort_name)
     select sk.skill_id, x.mentor_id, st.student_id,
            'one_on_one', x.starts_at, x.ends_at, x.duration, x.status,
            ($10::text[])[1 + (x.i + x.k) % cardinality($10::text[])],
            case when x.r % 3 = 0 then 'Je voudrais travailler sur un exemple concret que j''enverrai avant la séance.' end,
            case when x.r % 4 = 0 then 'Merci !' end,
            case when x.status in ('confirmed', 'completed', 'no_show') then 'https://meet.jit.si/leboncours-bench-' || left(md5(x.i || ':' || x.k), 12) end,
            case when x.status = 'rejected' then 'Pas disponible à cet horaire' end,
            case when x.status = 'cancelled' then 'Empêchement de dernière minute' end,
            case when x.status = 'cancelled' then (array['student', 'mentor'])[1 + x.r % 2] end,
            round((20 + x.i % 60) * 100 * x.duration / 60.0)::integer, 'EUR',
            case when x.status = 'pending' then least(x.t_now + interval '48 hours', x.starts_at) end,
            least(x.starts_at - interval '3 days', x.t_now - make_interval(hours => 1 + x.k % 48)),
            least(x.starts_at - interval '3 days', x.t_now - make_interval(hours => 1 + x.k % 48)),
            su.display_name, mu.display_name
     from rows x
     join skills sk on sk.j = x.i + $5::int * (x.k % 3)
     join students st on st.j = (x.i * 131 + x.k * 17) % $6::int
     join users su on su.id = st.student_id
     join users mu on mu.id = x.mentor_id
     order by x.starts_at, x.i`,
    [lo.busy, lo.other, hi.busy, hi.other, MENTORS, STUDENTS, GRID_STRIDE, GRID_HOURS, BUSY_MENTOR, SUBJECTS, limit],
  );
  return result.rowCount ?? 0;
}

export interface BookingSlot {
  skillId: string;
  start: string;
}

/**
 * Free future hours (Paris weekdays, 08:00–19:00 starts, from now + 2 h to now + 27 days)
 * for the booking scenario, one skill per mentor, round-robin across mentors so that
 * concurrent requests mostly hit different mentors. The busy mentor is left alone.
 */
export async function freeBookingSlots(pool: pg.Pool, limit: number): Promise<BookingSlot[]> {
  const { rows } = await pool.query<{ skill_id: string; starts_at: Date }>(
    `with m as (
       select ${uid(`'mentor' || i`)} as mentor_id, ${uid(`'skill' || (i + $1::int * (i % 3))`)} as skill_id
       from generate_series(0, $1::int - 1) i where i <> $2::int
     ), cand as (
       select m.mentor_id, m.skill_id, t as starts_at
       from m cross join generate_series(date_trunc('hour', now()) + interval '2 hours', now() + interval '27 days', interval '1 hour') t
       where extract(isodow from t at time zone 'Europe/Paris') between 1 and 5
         and extract(hour from t at time zone 'Europe/Paris') between 8 and 19
         and not exists (
           select 1 from bookings b
           where b.mentor_id = m.mentor_id and b.kind = 'one_on_one' and b.status in ('pending', 'confirmed')
             and tstzrange(b.starts_at, b.ends_at) && tstzrange(t, t + interval '60 minutes'))
     )
     select skill_id, starts_at from (
       select *, row_number() over (partition by mentor_id order by starts_at) as rn from cand
     ) x
     order by rn, mentor_id
     limit $3::int`,
    [MENTORS, BUSY_MENTOR, limit],
  );
  return rows.map((r) => ({ skillId: r.skill_id, start: r.starts_at.toISOString() }));
}

export const studentUsername = (i: number) => `student${String(i).padStart(5, '0')}`;

/** Usernames of the first n students (they sign in for the booking scenario). */
export function studentUsernames(n: number): string[] {
  return Array.from({ length: Math.min(n, STUDENTS) }, (_, i) => studentUsername(i));
}

export const mentorUsername = (i: number) => `mentor${String(i).padStart(4, '0')}`;

/** The id of mentor i or student i (see uid above). */
export async function userId(pool: pg.Pool, kind: 'mentor' | 'student', i: number): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(`select ${uid(`$1::text || $2::int`)}::text as id`, [kind, i]);
  return rows[0]!.id;
}

export async function busyMentorId(pool: pg.Pool): Promise<string> {
  return userId(pool, 'mentor', BUSY_MENTOR);
}
