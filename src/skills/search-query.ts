// The catalogue's search rules, once: the page (numbered pages) and the API (cursor
// pages) both filter and rank skills through these.
import type { Knex } from 'knex';
import type { QueryBuilder } from 'objection';
import type { KeysetOrder } from '../lib/keyset.ts';
import { Skill, type SkillMode } from './model.ts';
import type { SearchInput } from './schemas.ts';

/** The page's filters, and two the API adds (a mentor's skills, one kind of skill). */
export type SearchFilters = Omit<SearchInput, 'page'> & { mode?: SkillMode; mentorId?: string };

const TSQUERY = `(websearch_to_tsquery('french', immutable_unaccent(?)) || websearch_to_tsquery('english', immutable_unaccent(?)))`;

/** Best match first: French or English full text, plus how close a word of the title is. */
export function relevance(q: string): { expr: string; bindings: string[] } {
  return {
    expr: `ts_rank(skills.search_vector, ${TSQUERY}) + word_similarity(immutable_unaccent(lower(?)), immutable_unaccent(lower(skills.title)))`,
    bindings: [q, q, q],
  };
}

export function filteredSkills(knex: Knex, now: Date, input: SearchFilters): QueryBuilder<Skill, Skill[]> {
  const query = Skill.query(knex).modify('public');
  const q = input.q?.trim();
  if (q) {
    // Full text in French and English, or a close spelling of a word of the title
    // (pg_trgm word similarity: "guitr", "piano sight-redaing").
    query.where((w) =>
      w.whereRaw(`skills.search_vector @@ ${TSQUERY}`, [q, q])
        .orWhereRaw('immutable_unaccent(lower(?)) <% immutable_unaccent(lower(skills.title))', [q]),
    );
  }
  if (input.category) query.where('skills.category', input.category);
  if (input.mode) query.where('skills.mode', input.mode);
  if (input.mentorId) query.where('skills.mentorId', input.mentorId);
  if (input.minPrice !== undefined) query.where('skills.priceCents', '>=', input.minPrice);
  if (input.maxPrice !== undefined) query.where('skills.priceCents', '<=', input.maxPrice);
  if (input.duration) query.whereRaw('? = any(skills.durations)', [input.duration]);
  // Group sessions in the past are no longer bookable.
  query.where((w) => w.where('skills.mode', 'one_on_one').orWhere('skills.startsAt', '>', now));
  if (input.available === 'week') {
    // A free slot in the next 7 days (kept in mentor_next_free by jobs), or a group
    // session with a seat left that starts within 7 days.
    const weekEnd = new Date(now.getTime() + 7 * 86_400_000);
    query.where((w) =>
      w.where((g) => g.where('skills.mode', 'group').where('skills.startsAt', '<', weekEnd).whereRaw('skills.seats_taken < skills.capacity'))
        .orWhere((o) => o.where('skills.mode', 'one_on_one').whereExists(
          knex('mentorNextFree').whereRaw('mentor_next_free.mentor_id = skills.mentor_id').where('nextFreeAt', '>=', now).where('nextFreeAt', '<', weekEnd),
        )),
    );
  }
  return query;
}

/** The page's sort options as keyset orders: (key, id), the key's direction as the page's. */
export function keysetOrder(sort: SearchInput['sort'], q: string | undefined): KeysetOrder {
  const chosen = sort ?? (q ? 'relevance' : 'newest');
  if (chosen === 'relevance' && q) return { name: 'relevance', ...relevance(q), dir: 'desc', type: 'real', id: 'skills.id' };
  if (chosen === 'price-asc') return { name: chosen, expr: 'skills.price_cents', dir: 'asc', type: 'integer', id: 'skills.id' };
  if (chosen === 'price-desc') return { name: chosen, expr: 'skills.price_cents', dir: 'desc', type: 'integer', id: 'skills.id' };
  return { name: 'newest', expr: 'skills.created_at', dir: 'desc', type: 'timestamptz', id: 'skills.id' };
}
