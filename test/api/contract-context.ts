// What a contract fixture gets: the test app, and a client that calls /api/v1 as a
// named account (a real access token from the token service) or anonymously.
import type supertest from 'supertest';
import type { TestApp } from '../helpers/app.ts';

export interface ApiClient {
  get(path: string): supertest.Test;
  post(path: string, body?: unknown): supertest.Test;
  put(path: string, body?: unknown): supertest.Test;
  patch(path: string, body?: unknown): supertest.Test;
  delete(path: string): supertest.Test;
}

export interface ContractContext {
  t: TestApp;
  /** `role:username` (created on first use, as t.user), or nothing for an anonymous caller. */
  as(fixture?: string): Promise<ApiClient>;
}

/**
 * One call of one operation, with the data it needs made first. It answers what the
 * operation answered; the contract test checks the status is a documented success and
 * the body matches the documented schema.
 */
export type Fixture = (ctx: ContractContext) => Promise<supertest.Response>;

export function contractContext(t: TestApp): ContractContext {
  return {
    t,
    async as(fixture) {
      const agent = t.agent();
      let auth: string | undefined;
      if (fixture) {
        const user = await t.user(fixture);
        auth = `Bearer ${(await t.deps.services.tokens.issueAccess(user)).accessToken}`;
      }
      const call = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, body?: unknown) => {
        let req = agent[method](`/api/v1${path}`).set('Accept', 'application/json');
        if (auth) req = req.set('Authorization', auth);
        if (body !== undefined) req = req.send(body as object);
        return req;
      };
      return {
        get: (p) => call('get', p),
        post: (p, b) => call('post', p, b),
        put: (p, b) => call('put', p, b),
        patch: (p, b) => call('patch', p, b),
        delete: (p) => call('delete', p),
      };
    },
  };
}
