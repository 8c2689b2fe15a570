// fast-check arbitraries for hostile HTTP input: arbitrary and full-unicode strings,
// NUL, huge values, wrong JSON types, duplicated fields and bodies in encodings the
// app does not read.
import zlib from 'node:zlib';
import fc from 'fast-check';

/** Percent-encodes the UTF-8 bytes of any string (lone surrogates included, which encodeURIComponent refuses). */
export function pct(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

// NUL and undecodable escapes are refused at the edge, so they are kept rare: most
// requests must get past that check to test the handlers behind it.
const POISON = ['\u0000', 'a\u0000b'];

const NASTY = [
  '', ' ', '%00', '%FF', '%', '..', '../../etc/passwd', '\ud800', '\uffff', '😀', 'e\u0301',
  '2026-13-45', '2026-02-30', '2026-02-30T10:00', '2026-12-10T25:99', '2026-12-10T10:00:00Z', '0000-00-00', '9999-12-31T23:59',
  '-1', '0', '1e309', 'NaN', 'Infinity', '99999999999999999999', '1.5', '30', '60', 'true', 'on', 'null', '[]', '{}',
  '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '<script>alert(1)</script>', "' or 1=1 --",
  'https://example.com', 'javascript:alert(1)', '//evil.example', 'completed', 'no_show', 'group', 'one_on_one', 'extra', 'blocked',
  'programming', 'fr', 'en', 'Europe/Paris', 'x'.repeat(1001),
];

/** One value; `maxHuge` bounds the long ones (a URL must stay under Node's 16 kB of headers). */
export const valueOf = (maxHuge: number): fc.Arbitrary<string> => fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY), weight: 8 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 6 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 4 },
  { arbitrary: fc.integer().map(String), weight: 2 },
  { arbitrary: fc.uuid(), weight: 2 },
  { arbitrary: fc.nat({ max: maxHuge }).map((n) => 'x'.repeat(n)), weight: 1 },
  { arbitrary: fc.nat({ max: Math.floor(maxHuge / 6) }).map((n) => 'é'.repeat(n)), weight: 1 },
  { arbitrary: fc.constantFrom(...POISON), weight: 1 },
);

export const value = valueOf(20_000);

/** A field name: one the forms use, or anything at all. */
export const fieldName = (known: string[]) => fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 5 }, { arbitrary: fc.string({ maxLength: 12 }), weight: 1 });

/** Pairs, so that a field can come twice (`message=a&message=b`). */
export const pairs = (known: string[], maxLength = 6, v = value) =>
  fc.array(fc.tuple(fieldName(known), fc.oneof({ arbitrary: v.map((x) => [x]), weight: 4 }, { arbitrary: fc.array(v, { minLength: 2, maxLength: 3 }), weight: 1 })), { maxLength })
    .map((list) => list.flatMap(([k, vs]) => vs.map((v) => [k, v] as [string, string])));

/** Undefined most of the time: bad escapes are refused at the edge, before handlers. */
export const rarely = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 7 }, { arbitrary: arb, weight: 1 });

export const encodePairs = (list: [string, string][]) => list.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&');

const json: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue({ maxDepth: 3 }), value, fc.array(value, { maxLength: 3 }));

// 20 MB of 'a' in about 20 kB of gzip: must stop at the body limit.
const GZIP_BOMB = zlib.gzipSync(Buffer.alloc(20 * 1024 * 1024, 'a'));

export type Body =
  | { kind: 'none' }
  | { kind: 'form'; pairs: [string, string][]; rawSuffix?: string }
  | { kind: 'json'; text: string }
  | { kind: 'raw'; contentType: string; encoding?: string; bytes: Buffer; label: string }
  | { kind: 'multipart'; files: { field: string; name: string }[]; fields: [string, string][] };

const RAW_SUFFIXES = ['%FF', '%E0%A4%A', 'a=%00', '%00=a', 'a=%', '&&&', '=x', 'a[b]=1&a[]=2', 'a=1;b=2'];

const rawBodies: fc.Arbitrary<Body> = fc.oneof(
  fc.constant<Body>({ kind: 'raw', contentType: 'application/x-www-form-urlencoded; charset=utf-16', bytes: Buffer.from('a=1', 'utf16le'), label: 'utf-16 form' }),
  fc.constant<Body>({ kind: 'raw', contentType: 'application/json; charset=utf-16', bytes: Buffer.from('{"a":1}', 'utf16le'), label: 'utf-16 json' }),
  fc.constantFrom('bogus', 'br', 'compress', 'gzip, identity, x').map((encoding): Body => ({ kind: 'raw', contentType: 'application/x-www-form-urlencoded', encoding, bytes: Buffer.from('a=1'), label: `Content-Encoding ${encoding}` })),
  fc.uint8Array({ maxLength: 64 }).map((b): Body => ({ kind: 'raw', contentType: 'application/x-www-form-urlencoded', encoding: 'gzip', bytes: Buffer.from(b), label: 'corrupt gzip' })),
  fc.constant<Body>({ kind: 'raw', contentType: 'application/x-www-form-urlencoded', encoding: 'gzip', bytes: GZIP_BOMB, label: 'gzip bomb' }),
  fc.constantFrom('{"a":', '[1,2', 'nul\u0000', '{"a":"\\u0000"}', '"just a string"', '1e999', '{"__proto__":{"x":1}}').map((t): Body => ({ kind: 'raw', contentType: 'application/json', bytes: Buffer.from(t), label: `json ${JSON.stringify(t)}` })),
  fc.string({ maxLength: 40 }).map((t): Body => ({ kind: 'raw', contentType: 'text/plain', bytes: Buffer.from(t), label: 'text/plain' })),
  fc.constant<Body>({ kind: 'raw', contentType: 'application/x-www-form-urlencoded', bytes: Buffer.from(Array.from({ length: 300 }, (_, i) => `f${i}=1`).join('&')), label: '300 parameters' }),
  fc.constant<Body>({ kind: 'raw', contentType: 'application/x-www-form-urlencoded', bytes: Buffer.from(`a=${'x'.repeat(150_000)}`), label: '150 kB form' }),
  fc.constant<Body>({ kind: 'raw', contentType: 'multipart/form-data; boundary=B', bytes: Buffer.from('--B\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc'), label: 'truncated multipart' }),
  fc.constant<Body>({ kind: 'raw', contentType: 'multipart/form-data', bytes: Buffer.from('no boundary'), label: 'multipart without boundary' }),
);

export const body = (known: string[]): fc.Arbitrary<Body> => fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('form' as const), pairs: pairs(known), rawSuffix: rarely(fc.constantFrom(...RAW_SUFFIXES)) }), weight: 5 },
  { arbitrary: fc.dictionary(fieldName(known), json, { maxKeys: 6 }).map((o): Body => ({ kind: 'json', text: JSON.stringify(o) })), weight: 2 },
  { arbitrary: rawBodies, weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('multipart' as const),
      files: fc.array(fc.record({ field: fieldName(['image', 'avatar', 'video', 'file', ...known]), name: fc.oneof(fc.constantFrom('a.png', 'a\u0000.png', '..\\..\\x.pdf', 'é.mp4', ''), fc.string({ maxLength: 10 })) }), { maxLength: 3 }),
      fields: pairs(known, 4),
    }),
    weight: 1,
  },
  { arbitrary: fc.constant<Body>({ kind: 'none' }), weight: 1 },
);

export const QUERY_KEYS = ['q', 'page', 'sort', 'category', 'minPrice', 'maxPrice', 'duration', 'available', 'week', 'start', 'from', 'to', 'status', 'startRow', 'endRow', 'sortModel', 'filterModel', 'quickFilter', 'exp', 'sig', 'dl', 'next', 'lang', 'role', 'view', 'edit', '_csrf'];
