// Every task runs inside the scope of the request that queued it (the ids jobs.add put
// in its payload) plus its own job id: its log lines, the mails it sends and the jobs it
// adds in turn carry the same reqId. One line per run says how it went.
import type { Task, TaskList } from 'graphile-worker';
import type { Logger } from '../lib/logger.ts';
import { runInScope, type WorkScope } from '../lib/request-context.ts';

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

function scoped(task: string, run: Task, logger: Logger): Task {
  return (payload, helpers) => {
    const p = payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>) : {};
    // A task called straight (a test, a one-off script) has no job around it.
    const job = (helpers as Partial<typeof helpers> | undefined)?.job;
    const scope: WorkScope = { reqId: text(p._requestId), traceId: text(p._traceId), jobId: job ? String(job.id) : undefined };
    const line = { jobId: scope.jobId, task, reqId: scope.reqId, traceId: scope.traceId, attempt: job?.attempts };
    const started = performance.now();
    return runInScope(scope, async () => {
      try {
        const result = await run(payload, helpers);
        logger.info({ ...line, ms: Math.round(performance.now() - started) }, 'job ran');
        return result;
      } catch (err) {
        logger.warn({ ...line, ms: Math.round(performance.now() - started), err }, 'job failed');
        throw err;
      }
    });
  };
}

export function scopedTasks(tasks: TaskList, logger: Logger): TaskList {
  return Object.fromEntries(Object.entries(tasks).map(([name, run]) => [name, run ? scoped(name, run, logger) : run]));
}
