// Proof that the anonymous catalogue reads reach the replica: the replica's own
// pg_stat_statements (reset first) counts the catalogue's statements it executed, while
// the primary's counters for the same statements stay put.
import { LB } from './load.ts';
import { PORTS, sql } from './topology.ts';

// The join that only the catalogue's skill queries build (src/skills/service.ts, MENTOR_JSON).
const CATALOGUE_SQL = `query like '%json_build_object(%mentor.id%' and query like '%from "skills"%'`;

async function catalogueCalls(port: number): Promise<number> {
  const [row] = await sql<{ n: number }>(port, `select coalesce(sum(calls), 0)::int as n from pg_stat_statements where ${CATALOGUE_SQL}`);
  return row!.n;
}

export interface ReplicaReads { pages: number; errors: number; replicaStatements: number; primaryStatements: number }

export async function anonymousCatalogue(pages: number): Promise<ReplicaReads> {
  await sql(PORTS.replica, 'select pg_stat_statements_reset()');
  const primaryBefore = await catalogueCalls(PORTS.primary);
  const [skill] = await sql<{ id: string; username: string }>(PORTS.primary,
    `select s.id, u.username from skills s join users u on u.id = s.mentor_id where s.status = 'published' order by s.created_at limit 1`);
  const paths = ['/', '/skills?q=python', '/skills?sort=price-asc', `/skills/${skill!.id}`, `/mentors/${skill!.username}`, '/courses'];
  let errors = 0;
  for (let i = 0; i < pages; i++) {
    const res = await fetch(`${LB}${paths[i % paths.length]}`, { signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
    if (res.status !== 200) errors++;
  }
  return { pages, errors, replicaStatements: await catalogueCalls(PORTS.replica), primaryStatements: (await catalogueCalls(PORTS.primary)) - primaryBefore };
}
