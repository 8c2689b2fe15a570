import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import os from 'node:os';
import supertest from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { outboxTransport } from '../lib/mailer.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';

// Mail goes to the outbox table, as in development.
const t: TestApp = await createTestApp({ overrides: { mailTransport: { send: (mail) => outboxTransport(t.deps.knex).send(mail) } }, worker: true });

// The outbox must be refused to anyone reaching the server over the network, so the
// test needs a real non-loopback socket: this machine's own network address.
const external = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
if (!external) throw new Error('this test needs a non-loopback IPv4 interface');
const server = await new Promise<Server>((resolve) => {
  const s = t.app.listen(0, '0.0.0.0', () => resolve(s));
});
afterAll(() => new Promise((r) => server.close(r)));
const remoteBase = `http://${external}:${(server.address() as AddressInfo).port}`;

async function requestReset(email: string) {
  const agent = t.agent();
  const token = await t.csrf(agent, '/password-resets/new');
  await agent.post('/password-resets').type('form').send({ _csrf: token, email });
  // The mail is sent by the job worker.
  for (let i = 0; i < 160 && !(await t.deps.knex('mail_outbox').where({ toAddress: email }).first()); i++) await new Promise((r) => setTimeout(r, 50));
}

describe('development outbox', () => {
  it('is readable from this machine', async () => {
    await t.user('student:dev');
    await requestReset('dev@example.test');
    const list = await t.agent().get('/dev/outbox');
    expect(list.status).toBe(200);
    const id = /href="\/dev\/outbox\/(\d+)"/.exec(list.text)?.[1];
    expect((await t.agent().get(`/dev/outbox/${id}/html`)).text).toMatch(/password-resets\//);
  });

  it('is refused to another machine, whatever X-Forwarded-For says, with the normal error page', async () => {
    await t.user('student:victim');
    await requestReset('victim@example.test');
    const { id } = await t.deps.knex('mail_outbox').where({ toAddress: 'victim@example.test' }).first();
    for (const path of ['/dev/outbox', `/dev/outbox/${id}`, `/dev/outbox/${id}/html`]) {
      const res = await supertest(remoteBase).get(path).set('X-Forwarded-For', '127.0.0.1').set('Accept-Language', 'en');
      expect(res.status).toBe(403);
      expect(res.text).toContain('can be read only from the machine the server runs on');
      expect(res.text).not.toMatch(/password-resets\//);
    }
    const json = await supertest(remoteBase).get('/dev/outbox').set('Accept', 'application/json');
    expect(json.body.error.code).toBe('forbidden');
  });

  it('is readable by the admin from another machine', async () => {
    const admin = supertest.agent(remoteBase);
    const page = await admin.get('/login');
    const token = /id="csrf-token" data-token="([^"]+)"/.exec(page.text)?.[1];
    const login = await admin.post('/login').type('form').send({ _csrf: token, identifier: 'admin@leboncours.test', password: 'admin-password-123' });
    expect(login.status).toBe(303);
    expect((await admin.get('/dev/outbox')).status).toBe(200);
  });
});
