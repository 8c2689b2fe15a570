// `npm run test:cluster`: the app as it runs at scale, on this machine. PostgreSQL 15
// primary + streaming replica, PgBouncer (transaction pooling), three instances of the
// compiled build, HAProxy in front. Then a racing-booking load through HAProxy with one
// instance killed (-9) midway, the database's verdict, the replica's share of the reads,
// and what happens to a job the killed instance held. Prints a table, writes
// bench/results/cluster.json, exits 1 on any failed check. Everything it starts is
// stopped in the finally, and its temporary folder removed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { haproxyStats, startApps } from './apps.ts';
import { checkBookings } from './checks.ts';
import { abandonedJob } from './jobs-probe.ts';
import { buildAttempts, percentile, prepareFixture, runLoad } from './load.ts';
import { Processes, run, sleep } from './processes.ts';
import { anonymousCatalogue } from './replica.ts';
import { readYourWrites, studentJourney } from './journey.ts';
import { startDatabases, startHaproxy, startPgBouncer } from './topology.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ATTEMPTS = Number(process.env.CLUSTER_ATTEMPTS ?? 400);
const CONCURRENCY = 50;
const started = Date.now();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lbc-cluster-'));
fs.chmodSync(dir, 0o755);
fs.mkdirSync(path.join(dir, 'logs'));
run('chown', ['postgres:postgres', dir]);
const procs = new Processes(path.join(dir, 'logs'));
const checks: { check: string; ok: boolean; value: string }[] = [];
const expect = (check: string, ok: boolean, value: unknown) => checks.push({ check, ok, value: typeof value === 'string' ? value : JSON.stringify(value) });
const step = (name: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${name}`);
const results: Record<string, unknown> = { node: process.version, cores: os.cpus().length };
let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await procs.stopAll();
  if (code === 0 || !process.env.CLUSTER_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dir} (CLUSTER_KEEP)`);
  process.exit(code);
};
process.on('SIGINT', () => void stop(130));
process.on('SIGTERM', () => void stop(143));

async function main(): Promise<void> {
  step('build');
  run(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  step('primary, replica, PgBouncer');
  await startDatabases(procs, dir);
  await startPgBouncer(procs, dir);
  step('three app instances (the first migrates and seeds over the direct URL)');
  const apps = await startApps(procs, dir, ROOT);
  await startHaproxy(procs, dir);
  for (let i = 0; (await haproxyStats(dir)).some((s) => s.status !== 'UP'); i++) {
    if (i > 60) throw new Error(`HAProxy never saw the three instances UP: ${JSON.stringify(await haproxyStats(dir))}`);
    await sleep(250);
  }
  results.startupSeconds = (Date.now() - started) / 1000;

  // Three mentors' skills made free: a booking is a 201, not a checkout to pay.
  const fixture = await prepareFixture(40);
  step('(a) browser journey through the LB');
  const journey = await studentJourney(fixture.mentors[2]!.skillId).catch((error: unknown) => ({ ok: false, detail: (error as Error).message }));
  expect('journey: student books in the UI, sees it on the dashboard', journey.ok, journey.detail);

  step('(e) anonymous catalogue reads, read-your-writes');
  const reads = await anonymousCatalogue(60);
  results.replicaReads = reads;
  expect('catalogue pages 200 through the LB', reads.errors === 0, `${reads.pages - reads.errors}/${reads.pages}`);
  expect('catalogue statements ran on the replica', reads.replicaStatements > 0 && reads.primaryStatements === 0, `replica ${reads.replicaStatements}, primary ${reads.primaryStatements}`);
  const ryw = await readYourWrites(20).catch((error: unknown) => ({ rounds: 0, stale: 0, error: (error as Error).message }));
  results.readYourWrites = ryw;
  expect('mentor sees own skill title at once (RYW)', ryw.stale === 0 && ryw.rounds > 0, `${ryw.rounds - ryw.stale}/${ryw.rounds}`);

  step(`(b) ${ATTEMPTS} racing bookings, ${CONCURRENCY} clients; (c) kill -9 of app2 at 35 %`);
  const attempts = await buildAttempts(fixture, ATTEMPTS, 24);
  const since = new Date(Date.now() - 1000);
  let killedAt = 0;
  let markedDownAt = 0;
  const watch = (async () => {
    while (!markedDownAt) {
      if (killedAt && (await haproxyStats(dir)).find((s) => s.name === 'app2')?.status.startsWith('DOWN')) markedDownAt = Date.now();
      await sleep(50);
    }
  })();
  const loadStarted = performance.now();
  const outcomes = await runLoad(attempts, CONCURRENCY, (done) => {
    if (!killedAt && done >= attempts.length * 0.35) {
      killedAt = Date.now();
      procs.kill9(apps[1]!);
    }
  });
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  await Promise.race([watch, sleep(15_000)]);
  const stats = await haproxyStats(dir);

  const byKind: Record<string, number> = {};
  for (const o of outcomes) {
    const kind = o.status === 0 ? `network: ${o.error}` : `${o.status}${o.code ? ` ${o.code}` : ''}`;
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  const failures = outcomes.filter((o) => o.status === 0 || o.status >= 500).sort((a, b) => a.at - b.at);
  const firstFailure = failures[0];
  const recoveredAt = firstFailure && outcomes.filter((o) => o.at > firstFailure.at && o.status > 0 && o.status < 500).sort((a, b) => a.at - b.at)[0]?.at;
  // Sent once HAProxy had marked it down: none may have reached it.
  const servedAfterKill = new Set(outcomes.filter((o) => markedDownAt && o.startedAt > markedDownAt).map((o) => o.server));
  const latencies = outcomes.map((o) => o.ms);
  const load = {
    requests: outcomes.length, seconds: Math.round(loadSeconds * 10) / 10, rps: Math.round(outcomes.length / loadSeconds),
    p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), maxMs: percentile(latencies, 100), byKind,
    fiveHundreds: outcomes.filter((o) => o.status >= 500).length, networkErrors: outcomes.filter((o) => o.status === 0).length,
    killToMarkedDownMs: markedDownAt ? markedDownAt - killedAt : null,
    firstFailureToSuccessMs: firstFailure && recoveredAt ? recoveredAt - firstFailure.at : null,
    haproxy: stats, servedByAfterKill: [...servedAfterKill],
  };
  results.load = load;
  expect('0 × 5xx seen by clients', load.fiveHundreds === 0 && load.networkErrors === 0, `${load.fiveHundreds} 5xx, ${load.networkErrors} network`);
  expect('HAProxy marked the killed instance DOWN', Boolean(markedDownAt), load.killToMarkedDownMs === null ? 'never' : `${load.killToMarkedDownMs} ms`);
  expect('no request sent after the mark-down reached the killed instance', !servedAfterKill.has('app2'), load.servedByAfterKill);

  step('(d) the database\'s verdict');
  const verdict = await checkBookings(outcomes, since, fixture.students.map((s) => s.id));
  results.bookings = verdict;
  expect('0 overlapping bookings (mentor side)', verdict.mentorOverlaps === 0, verdict.mentorOverlaps);
  expect('0 overlapping bookings (student side)', verdict.studentOverlaps === 0, verdict.studentOverlaps);
  expect('0 duplicate bookings', verdict.duplicateBookings === 0 && verdict.keysWithTwoBookings === 0, `${verdict.duplicateBookings} rows, ${verdict.keysWithTwoBookings} keys`);
  expect('every 201 is a booking in the database', verdict.ackedMissing === 0, verdict.ackedMissing);
  expect('bookings made = acknowledged (lost answers retried)', verdict.unacknowledged === 0, `${verdict.bookingsMade} made, ${verdict.unacknowledged} without ack, ${verdict.lostResponses} lost → ${JSON.stringify(verdict.lostRetryAnswers)}`);

  step('(f) a job held by the killed instance');
  const job = await abandonedJob(killedAt);
  results.abandonedJob = job;
  expect('a job locked by the killed instance runs elsewhere within 90 s', job.ranAfterMs !== null && job.ranAfterMs < 90_000, job.ranAfterMs === null ? `not run (${job.detail})` : `${Math.round(job.ranAfterMs / 1000)} s after the kill`);
  results.totalSeconds = (Date.now() - started) / 1000;
}

function report(error?: unknown): number {
  if (error) expect('run completed', false, (error as Error).stack ?? String(error));
  const load = results.load as { requests: number; p50Ms: number; p99Ms: number; byKind: unknown } | undefined;
  console.log(`\nCluster test (instances on Node ${process.version}, ${os.cpus().length} cores)`);
  if (load) console.log(`  requests ${load.requests}, p50 ${load.p50Ms} ms, p99 ${load.p99Ms} ms through HAProxy; answers ${JSON.stringify(load.byKind)}`);
  const width = Math.max(...checks.map((c) => c.check.length));
  for (const c of checks) console.log(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.check.padEnd(width)}  ${c.value}`);
  fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench/results/cluster.json'), `${JSON.stringify({ at: new Date().toISOString(), checks, ...results }, null, 2)}\n`);
  console.log(`  written to bench/results/cluster.json (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return checks.every((c) => c.ok) ? 0 : 1;
}

main().then(() => stop(report()), (error: unknown) => stop(report(error)));
