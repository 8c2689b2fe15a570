// Course slugs: the address of a course page, made from its title when not typed.
import { SLUG_MAX } from './schemas.ts';

/** "Les Fenêtres de WinDev 26 !" → "les-fenetres-de-windev-26"; lowercase ASCII, dashes. */
export function slugify(title: string, max = SLUG_MAX): string {
  const ascii = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/ø/g, 'o')
    .replace(/đ/g, 'd')
    .replace(/ł/g, 'l')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  let slug = ascii.slice(0, max).replace(/-+$/, '');
  // Cut at a word boundary when the title was longer than the room left.
  if (ascii.length > max && ascii[max] !== '-' && slug.includes('-')) slug = slug.slice(0, slug.lastIndexOf('-'));
  return slug || 'course';
}
