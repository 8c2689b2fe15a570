// A real app over a database of the test file's own: supertest drives it through
// HTTP. Mail is captured by a transport that keeps what it was given; the clock can
// be fixed and moved.
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import supertest from 'supertest';
import { afterAll } from 'vitest';
import { createApp } from '../../src/app.ts';
import { createDeps, type DepOverrides, type Deps } from '../../src/composition.ts';
import { loadConfig } from '../../src/config.ts';
import type { OutgoingMail } from '../../src/lib/mailer.ts';
import { User, type Role } from '../../src/users/model.ts';
import { createTestDatabase } from './db.ts';
import { runOnce } from 'graphile-worker';
import { startWorker, workerLogger } from '../../src/lib/jobs.ts';
import { allTasks } from '../../src/jobs.ts';

export const PASSWORD = 'correct-horse-battery';

export interface TestApp {
  app: Express;
  deps: Deps;
  databaseUrl: string;
  mails: OutgoingMail[];
  /** A cookie-keeping client; `ip` sets the address it appears to come from. */
  agent(ip?: string): supertest.Agent;
  user(fixture: string, extra?: Partial<User>): Promise<User>;
  signIn(fixture: string, extra?: Partial<User>): Promise<supertest.Agent>;
  /** The shadow admin of testEnv(), signed in. */
  signInAdmin(): Promise<supertest.Agent>;
  csrf(agent: supertest.Agent, path?: string): Promise<string>;
  /** Runs every job that is due now (mail, provider calls, simulated webhooks) until none is left. */
  runJobs(): Promise<void>;
  close(): Promise<void>;
}

export function testEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    // Cheap hashing in tests: the cost is a production setting, not a behaviour.
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    ADMIN_EMAIL: 'admin@leboncours.test',
    // argon2id hash of "admin-password-123" with the cheap test parameters
    ADMIN_PASSWORD_HASH: '$argon2id$v=19$m=1024,t=1,p=1$9L74gZYTRF3avxvXfZZ7QA$73pX781vAO2uKRMfVWF4JiX8EaufuzbxtRzrfziPY/w',
    APP_URL: 'http://localhost:3999',
    // Each test agent comes from its own address (X-Forwarded-For), so the per-IP
    // login limit does not leak between unrelated tests.
    TRUST_PROXY: 'true',
    UPLOAD_DIR: path.join(os.tmpdir(), 'leboncours-test', `uploads-${process.pid}`),
    // Off unless a test is about it: most tests read a page right after changing what it shows.
    PAGE_CACHE_SECONDS: '0',
    ...extra,
  };
}

export async function createTestApp(options: {
  env?: Record<string, string>;
  overrides?: DepOverrides;
  worker?: boolean;
  /** Another app instance over this database (the other's, which it leaves in place). */
  databaseUrl?: string;
} = {}): Promise<TestApp> {
  const db = options.databaseUrl ? { url: options.databaseUrl, drop: async () => undefined } : await createTestDatabase();
  const config = loadConfig(testEnv(options.env));
  const mails: OutgoingMail[] = [];
  const deps = createDeps(config, db.url, {
    mailTransport: { send: async (mail) => { mails.push(mail); } },
    ...options.overrides,
  });
  const app = createApp(deps);

  /** `role:username`, e.g. "mentor:alice": created on first use with PASSWORD. */
  async function user(fixture: string, extra: Partial<User> = {}): Promise<User> {
    const [role, username] = fixture.split(':') as [Role, string];
    const existing = await User.query(deps.knex).where('username', username).first();
    if (existing) return existing;
    return User.query(deps.knex).insertAndFetch({
      role, username, email: `${username}@example.test`, displayName: username.charAt(0).toUpperCase() + username.slice(1) + ' Test',
      passwordHash: await deps.passwords.hash(PASSWORD), locale: 'en', timezone: 'Europe/Paris', ...extra,
    } as Partial<User>);
  }

  let nextIp = 1;
  const newAgent = (ip = `10.0.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`) => supertest.agent(app).set('X-Forwarded-For', ip).set('Accept-Language', 'en');

  async function csrf(agent: supertest.Agent, path = '/login'): Promise<string> {
    const res = await agent.get(path);
    const match = /id="csrf-token" data-token="([^"]+)"/.exec(res.text);
    if (!match?.[1]) throw new Error(`no csrf token on ${path} (status ${res.status})`);
    return match[1];
  }

  async function signIn(fixture: string, extra: Partial<User> = {}): Promise<supertest.Agent> {
    const u = await user(fixture, extra);
    const agent = newAgent();
    const token = await csrf(agent);
    const res = await agent.post('/login').type('form').send({ _csrf: token, identifier: u.username, password: PASSWORD });
    if (res.status !== 303) throw new Error(`sign-in of ${fixture} failed: ${res.status}`);
    return agent;
  }

  async function signInAdmin(): Promise<supertest.Agent> {
    const agent = newAgent();
    const token = await csrf(agent);
    const res = await agent.post('/login').type('form').send({ _csrf: token, identifier: 'admin@leboncours.test', password: 'admin-password-123' });
    if (res.status !== 303) throw new Error(`admin sign-in failed: ${res.status}`);
    return agent;
  }

  // The job worker only where a test needs jobs to run (mail after a booking).
  const worker = options.worker
    ? await startWorker({ connectionString: db.url, taskList: allTasks(deps), logger: deps.logger, concurrency: 1 })
    : undefined;

  const tasks = allTasks(deps);
  async function runJobs(): Promise<void> {
    await runOnce({ connectionString: db.url, taskList: tasks, logger: workerLogger(deps.logger) });
    // graphile-worker 0.17 does not await a job's completion (worker.js calls completeJob and
    // moves on), so runOnce can resolve before the last job's row is deleted or unlocked:
    // seen under CI load as a reminder job still queued after its notice was written. Wait
    // (a bounded while) until no job is locked, so a test sees the queue as the jobs left it.
    for (const until = Date.now() + 5_000; Date.now() < until;) {
      const { rows: [row] } = await deps.knex.raw<{ rows: { n: number }[] }>('select count(*)::int as n from graphile_worker._private_jobs where locked_at is not null');
      if (!row?.n) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const close = async () => {
    await worker?.stop();
    await deps.close();
    await db.drop();
  };
  afterAll(close);

  return { app, deps, databaseUrl: db.url, mails, agent: newAgent, user, signIn, signInAdmin, csrf, runJobs, close };
}
