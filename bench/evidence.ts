// The plans and query counts behind the report's findings, taken from what the app
// really sends (captured from knex), at 100,000 bookings.
import type { Knex } from 'knex';
import type pg from 'pg';
import { formatters } from '../src/i18n/format.ts';
import { translator } from '../src/i18n/index.ts';
import { captureQueries, explain, type CapturedQuery, type Explained } from './explain.ts';
import type { SignedIn } from './sign-in.ts';
import type { BookingSlot } from './seed-large.ts';

const MAX_DURATION_MS = 120 * 60_000;
const USERS_SEMI_JOIN = / and exists \(select "users"\.\* from "users" where "users"\."id" = "skills"\."mentor_id" and "users"\."disabled_at" is null\)/;

async function get(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<void> {
  const res = await fetch(`${baseUrl}${path}`, { headers });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
}

const num = (re: RegExp, text: string) => {
  const m = re.exec(text);
  return m ? Number(m[1]) : undefined;
};

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the landing count, the search (count and page) and the
 * slot fragment's bookings lookup for the busy mentor. Read-only: run it between
 * scenarios, when nothing else is running.
 */
export async function explainReadPaths(knex: Knex, pool: pg.Pool, baseUrl: string, opts: { searchWord: string; busyMentor: string; busySkill: string }) {
  const searchPath = `/?q=${encodeURIComponent(opts.searchWord)}`;
  const landing = await captureQueries(knex, () => get(baseUrl, '/'));
  const search = await captureQueries(knex, () => get(baseUrl, searchPath));
  const slots = await captureQueries(knex, () =>
    get(baseUrl, `/skills/${opts.busySkill}/book?duration=60`, { 'hx-request': 'true', 'hx-request-type': 'partial' }),
  );
  const isCount = (q: CapturedQuery) => /count\(/i.test(q.sql);
  const explained: Explained[] = [];
  const findings: string[] = [];

  const landingCount = landing.find((q) => isCount(q) && q.sql.includes('"skills"'));
  if (landingCount) explained.push(await explain(pool, 'landing count (GET /), src/skills/service.ts search()', landingCount));
  const searchCount = search.find((q) => isCount(q) && q.sql.includes('search_vector'));
  const searchPage = search.find((q) => !isCount(q) && q.sql.includes('search_vector'));
  if (searchCount) explained.push(await explain(pool, `search count (GET ${searchPath}), src/skills/service.ts search()`, searchCount));
  if (searchPage) explained.push(await explain(pool, `search page (GET ${searchPath}), src/skills/service.ts search()`, searchPage));

  const lookup = slots.find((q) => /from "bookings"/.test(q.sql));
  if (lookup) {
    const current = await explain(pool, 'slot fragment bookings lookup (busy mentor), src/slots/service.ts freeSlotsFor()', lookup);
    explained.push(current);
    const { rows } = await pool.query<{ total: string; live: string }>(
      `select count(*) as total, count(*) filter (where status in ('pending', 'confirmed') and ends_at > now()) as live
       from bookings where mentor_id = $1`,
      [opts.busyMentor],
    );
    const returned = num(/actual time=[\d.]+\.\.[\d.]+ rows=([\d.]+)/, current.plan);
    const removed = num(/Rows Removed by Filter: (\d+)/, current.plan) ?? 0;
    findings.push(
      `Slot lookup, busy mentor (${rows[0]!.total} bookings, ${rows[0]!.live} live and upcoming): ${returned ?? '?'} rows returned, ` +
        `${removed} read and discarded by the filter, ${current.executionMs ?? '?'} ms.`,
    );
    // Only worth showing when the index range is wider than the answer.
    if (returned !== undefined && removed > returned) {
      const variant = withStartsLowerBound(lookup);
      if (variant) explained.push(await explain(pool, 'the same lookup with starts_at > (ends_at bound − 120 min) (suggested)', variant));
    }
  }
  findings.push(
    `Queries per request: GET / ${landing.length}, GET ${searchPath} ${search.length}, slot fragment ${slots.length} ` +
      '(through knex; the session store adds its own on the session pool).',
  );
  return { explained, findings };
}

/** A live booking lasts at most 120 minutes: ends_at > X implies starts_at > X − 120 min. */
function withStartsLowerBound(lookup: CapturedQuery): CapturedQuery | undefined {
  const m = /"ends_at" > \$(\d+)/.exec(lookup.sql);
  const endsAfter = m ? lookup.bindings[Number(m[1]) - 1] : undefined;
  if (!(endsAfter instanceof Date)) return undefined;
  return { sql: `${lookup.sql} and "starts_at" > $${lookup.bindings.length + 1}`, bindings: [...lookup.bindings, new Date(endsAfter.getTime() - MAX_DURATION_MS)] };
}

/**
 * The catalogue's "published skill of an active mentor" test is a semi-join on users
 * that the planner answers by hashing every user, students included. The same count
 * with role = 'mentor' in the semi-join (only skills of mentors exist) lets it hash the
 * 500 mentors through the existing users_role_created_idx instead. Read-only.
 */
export async function explainMentorRoleVariant(knex: Knex, pool: pg.Pool, baseUrl: string): Promise<Explained[]> {
  const landing = await captureQueries(knex, () => get(baseUrl, '/'));
  const count = landing.find((q) => /count\(/i.test(q.sql) && USERS_SEMI_JOIN.test(q.sql));
  if (!count) return [];
  const variant = {
    sql: count.sql.replace(USERS_SEMI_JOIN, ` and exists (select 1 from "users" where "users"."id" = "skills"."mentor_id" and "users"."role" = 'mentor' and "users"."disabled_at" is null)`),
    bindings: count.bindings,
  };
  return [await explain(pool, "landing count with users.role = 'mentor' in the semi-join (suggested, no new index)", variant)];
}

/**
 * The statements of one booking request (through knex, and the session store's on its own
 * pool: each is a round trip), and those sent more than once.
 */
export async function bookingStatements(
  knex: Knex,
  sessionPool: pg.Pool,
  baseUrl: string,
  student: SignedIn,
  slot: BookingSlot,
): Promise<{ status: number; total: number; knex: number; session: number; repeated: string[]; finding: string }> {
  let status = 0;
  let session = 0;
  // connect-pg-simple calls pool.query: count those calls for the length of the request.
  const query = sessionPool.query.bind(sessionPool) as (...args: unknown[]) => unknown;
  (sessionPool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    session++;
    return query(...args);
  };
  const queries = await captureQueries(knex, async () => {
    const res = await fetch(`${baseUrl}/skills/${slot.skillId}/bookings`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: student.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: student.token, start: slot.start, duration: '60', subject: 'Séance de mesure' }).toString(),
    });
    await res.arrayBuffer();
    status = res.status;
  }).finally(() => {
    delete (sessionPool as unknown as { query?: unknown }).query; // back to the prototype's
  });
  const counts = new Map<string, number>();
  for (const q of queries) {
    const key = q.sql.replace(/\s+/g, ' ').slice(0, 140);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const repeated = [...counts].filter(([, n]) => n > 1).map(([sql, n]) => `${n}× ${sql}`);
  const total = queries.length + session;
  const finding =
    `One booking POST (status ${status}) made ${total} round trips: ${queries.length} SQL statements through knex, ` +
    `${session} by the session store; repeated: ${repeated.map((r) => `\`${r}\``).join('; ') || 'none'}`;
  return { status, total, knex: queries.length, session, repeated, finding };
}

function perCallMicros(fn: () => unknown, runs = 2_000): number {
  for (let i = 0; i < 200; i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) fn();
  return Math.round(((performance.now() - t0) / runs) * 1000);
}

/**
 * What src/lib/locale.ts pays on every request (formatters() and translator() build
 * Intl objects each time) and what every price costs (money() builds a NumberFormat),
 * against the same work with the Intl objects built once.
 */
export function measureIntlPerRequest(): string {
  const built = perCallMicros(() => formatters('fr', 'Europe/Paris'));
  const t = perCallMicros(() => translator('fr'));
  const fmt = formatters('fr', 'Europe/Paris');
  const money = perCallMicros(() => fmt.money(4500));
  const cached = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', minimumFractionDigits: 0 });
  const moneyCached = perCallMicros(() => cached.format(45), 20_000);
  return (
    `Per request, src/lib/locale.ts builds Intl objects: formatters() ${built} µs + translator() ${t} µs; each fmt.money() ` +
    `${money} µs (a new Intl.NumberFormat) against ${moneyCached} µs with a cached one; a catalogue page shows 12 prices.`
  );
}
