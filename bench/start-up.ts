// The real `npm start` path, measured from outside: the compiled build (scripts/start.mjs
// → dist/server.js, no tsx) started as a child process, timed from spawn to the first
// 200 of GET /, and its memory read from /proc. The bench also uses startAppProcess to
// load-test the production build itself rather than the sources run through tsx.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runLoad, type LoadResult } from './load.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const START_SCRIPT = path.join(ROOT, 'scripts', 'start.mjs');
/** Enough of the child's output to explain a start that failed. */
const OUTPUT_KEPT = 64 * 1024;

export interface AppProcess {
  url: string;
  pid: number;
  /** Spawn to the first 200 of GET / (what a user waits for after `npm start`). */
  firstPageMs: number;
  /** The last 64 KB of the child's stdout and stderr. */
  output(): string;
  /** SIGINT (the graceful shutdown), SIGKILL after 15 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface StartAppOptions {
  port: number;
  /** Added over this process's environment (DATABASE_URL, NODE_ENV, LOG_LEVEL, DATA_DIR…). */
  env?: Record<string, string | undefined>;
  /** The command, default `node scripts/start.mjs` (npm start without npm in between, so pid is the app's). */
  command?: string[];
  timeoutMs?: number;
}

export async function startAppProcess(options: StartAppOptions): Promise<AppProcess> {
  const [cmd, ...args] = options.command ?? [process.execPath, START_SCRIPT];
  const url = `http://127.0.0.1:${options.port}`;
  const started = performance.now();
  const child = spawn(cmd!, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: String(options.port), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const deadline = started + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}) before serving a page:\n${output}`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`no 200 from GET ${url}/ within ${options.timeoutMs ?? 120_000} ms:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/`, { signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const firstPageMs = Math.round(performance.now() - started);

  return {
    url,
    pid: child.pid!,
    firstPageMs,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGINT');
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(force);
      return code;
    },
  };
}

export interface Memory {
  /** Peak resident set since the process started (VmHWM), MB. */
  vmHwmMb: number;
  /** Resident set now (VmRSS), MB. */
  vmRssMb: number;
}

/** VmHWM and VmRSS of a live process, from /proc/<pid>/status (Linux). */
export function readMemory(pid: number): Memory {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { vmHwmMb: Math.round(kb('VmHWM') / 102.4) / 10, vmRssMb: Math.round(kb('VmRSS') / 102.4) / 10 };
}

/** Peak resident set (VmHWM) of a live process, MB. */
export function readVmHwm(pid: number): number {
  return readMemory(pid).vmHwmMb;
}

export interface StartUpResult {
  /** First start on an empty DATA_DIR: initdb, migrations, demo data (embedded PostgreSQL only). */
  coldMs: number | undefined;
  /** Later starts on the same data: spawn → first 200 of GET /. */
  warmMs: number[];
  /** The median of warmMs: the figure of the target "npm start to first page, warm". */
  firstPageMs: number;
  /** Compiling dist/ when the sources changed (0 when it was fresh); never inside the timings above. */
  buildMs: number;
}

export interface StartUpOptions {
  /** Embedded PostgreSQL folder; emptied first when `cold` is set. */
  dataDir: string;
  /** Use this server instead of an embedded cluster (then there is no cold start to measure). */
  databaseUrl?: string;
  port: number;
  embeddedPgPort?: number;
  warmRuns?: number;
  /** Start once on an emptied dataDir first and report it as coldMs. */
  cold?: boolean;
  env?: Record<string, string | undefined>;
}

export async function measureStartUp(options: StartUpOptions): Promise<StartUpResult> {
  const builder = (await import(pathToFileURL(path.join(ROOT, 'scripts', 'build.mjs')).href)) as { ensureBuild(): Promise<boolean> };
  const buildStarted = performance.now();
  const built = await builder.ensureBuild();
  const buildMs = built ? Math.round(performance.now() - buildStarted) : 0;
  const env = {
    DATA_DIR: options.dataDir,
    DATABASE_URL: options.databaseUrl,
    EMBEDDED_PG_PORT: options.embeddedPgPort ? String(options.embeddedPgPort) : undefined,
    ...options.env,
  };
  const once = async () => {
    const app = await startAppProcess({ port: options.port, env });
    const code = await app.stop();
    if (code !== 0) throw new Error(`the app did not stop cleanly (exit ${code}):\n${app.output()}`);
    return app.firstPageMs;
  };
  let coldMs: number | undefined;
  if (options.cold && !options.databaseUrl) {
    fs.rmSync(options.dataDir, { recursive: true, force: true });
    coldMs = await once();
  } else {
    await once(); // the data exists (migrated, seeded) before any warm start is timed
  }
  const warmMs: number[] = [];
  for (let i = 0; i < (options.warmRuns ?? 3); i++) warmMs.push(await once());
  const sorted = [...warmMs].sort((a, b) => a - b);
  return { coldMs, warmMs, firstPageMs: sorted[Math.floor(sorted.length / 2)]!, buildMs };
}

export interface MemoryUnderLoad extends Memory {
  loads: { path: string; result: LoadResult }[];
}

/**
 * Loads each page in turn (autocannon, in a worker thread of this process), then reads
 * the app's VmHWM: the peak its RSS reached while serving them.
 */
export async function measureMemoryUnderLoad(app: Pick<AppProcess, 'url' | 'pid'>, pages: { path: string; cookie?: string }[], options: { connections?: number; seconds?: number } = {}): Promise<MemoryUnderLoad> {
  const loads: MemoryUnderLoad['loads'] = [];
  for (const page of pages) {
    const result = await runLoad({
      url: `${app.url}${page.path}`,
      connections: options.connections ?? 50,
      seconds: options.seconds ?? 10,
      requests: page.cookie ? [{ method: 'GET', headers: { cookie: page.cookie, 'accept-language': 'fr' } }] : undefined,
      expected: [200],
    });
    loads.push({ path: page.path, result });
  }
  return { ...readMemory(app.pid), loads };
}
