// Every process the cluster test starts, each in its own process group, so that one
// `kill(-pid)` ends it with its children (runuser → postgres and its backends), and a
// single stopAll() in a finally leaves nothing behind, on success, failure or Ctrl+C.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface Started {
  name: string;
  child: ChildProcess;
  log: string;
  exited: Promise<number | null>;
}

export class Processes {
  private readonly started: Started[] = [];
  constructor(private readonly logDir: string) {}

  start(name: string, command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Started {
    const log = path.join(this.logDir, `${name}.log`);
    const fd = fs.openSync(log, 'a');
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', fd, fd], detached: true });
    fs.closeSync(fd);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const entry = { name, child, log, exited };
    this.started.push(entry);
    return entry;
  }

  /** kill -9 of the whole group: what a crashed machine or an OOM kill looks like. */
  kill9(entry: Started): void {
    if (entry.child.pid) signalGroup(entry.child.pid, 'SIGKILL');
  }

  /** Newest first (the app before the proxies before the databases): TERM, then KILL after a grace. */
  async stopAll(graceMs = 4000): Promise<void> {
    for (const entry of [...this.started].reverse()) {
      if (entry.child.exitCode !== null || entry.child.signalCode !== null) continue;
      signalGroup(entry.child.pid!, 'SIGTERM');
      const done = await Promise.race([entry.exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!done) signalGroup(entry.child.pid!, 'SIGKILL');
    }
    // Children that outlived their leader (a postgres whose runuser died) are still in the group.
    for (const entry of this.started) signalGroup(entry.child.pid!, 'SIGKILL');
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A short command that must succeed; its output is returned, or thrown with the error. */
export function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): string {
  const result = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

export function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
