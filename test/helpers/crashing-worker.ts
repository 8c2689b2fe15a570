// A worker process that takes a job and never finishes it: the test kills it with
// SIGKILL, as a crashed or OOM-killed instance would die, with no shutdown at all.
// Usage: node --import tsx test/helpers/crashing-worker.ts <database-url> <task>
import pino from 'pino';
import { startWorker } from '../../src/lib/jobs.ts';

const [connectionString, task] = process.argv.slice(2) as [string, string];
await startWorker({
  connectionString,
  logger: pino({ level: 'silent' }),
  concurrency: 1,
  recovery: { staleAfterMs: 1000, heartbeatMs: 200 },
  taskList: {
    [task]: () => {
      process.stdout.write('locked\n');
      return new Promise<void>(() => undefined);
    },
  },
});
process.stdout.write('ready\n');
