// A browser's refused form comes back as a 303 to the form's page, which shows the
// messages and the typed input once (src/lib/refused-form.ts): tests read that page.
import type supertest from 'supertest';
import { expect } from 'vitest';

export async function refusedPage(agent: supertest.Agent, res: supertest.Response, page?: string): Promise<supertest.Response> {
  expect(res.status).toBe(303);
  const location = String(res.headers.location).split('#')[0]!;
  if (page) expect(location).toBe(page);
  const shown = await agent.get(location);
  expect(shown.status).toBe(200);
  return shown;
}
