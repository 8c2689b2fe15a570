// Asking for a page until the anonymous page cache serves it from memory.
import type supertest from 'supertest';

/**
 * A page once the instance keeps it. The NOTIFY of the fixture's own writes (the skill, its hours)
 * can reach B after its first render started, and a render that saw an invalidation is not
 * stored: under load the second request may be a miss too, so ask until it is a hit.
 */
export async function kept(request: () => Promise<supertest.Response>): Promise<supertest.Response> {
  for (let i = 0; ; i++) {
    const res = await request();
    if (res.headers['x-page-cache'] === 'hit' || i === 20) return res;
    await new Promise((r) => setTimeout(r, 25));
  }
}
