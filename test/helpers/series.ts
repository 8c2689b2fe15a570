// Weekly series through HTTP, as the booking flow's forms send them.
import type supertest from 'supertest';
import type { TestApp } from './app.ts';

export interface SeriesForm {
  start: string;
  weeks: number;
  duration?: string;
  zone?: string;
  subject?: string;
}

export const seriesBody = (f: SeriesForm) => ({ start: f.start, weeks: String(f.weeks), duration: f.duration ?? '60', zone: f.zone ?? 'Europe/Paris', subject: f.subject ?? 'Weekly Rust practice' });

/** The preview page, and the free weeks it lists (as the confirm form carries them). */
export async function previewSeries(t: TestApp, agent: supertest.Agent, skillId: string, f: SeriesForm) {
  const token = await t.csrf(agent, '/');
  const res = await agent.post(`/skills/${skillId}/series/preview`).type('form').send({ _csrf: token, ...seriesBody(f) });
  return { res, ...weeksOf(res.text) };
}

export function weeksOf(html: string) {
  const weeks = [...html.matchAll(/data-week="([^"]+)" data-free="(yes|no)"/g)].map((m) => ({ start: m[1]!, free: m[2] === 'yes' }));
  const expected = /name="expected" value="([^"]*)"/.exec(html)?.[1] ?? '';
  return { weeks, expected };
}

export async function confirmSeries(t: TestApp, agent: supertest.Agent, skillId: string, f: SeriesForm, expected: string, token?: string) {
  const csrf = token ?? (await t.csrf(agent, '/'));
  return agent.post(`/skills/${skillId}/series`).type('form').send({ _csrf: csrf, ...seriesBody(f), expected });
}
