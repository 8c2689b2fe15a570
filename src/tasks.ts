// Every job the worker knows, from each feature that queues some: one list for
// src/server.ts and the test helper alike.
import type { TaskList } from 'graphile-worker';
import { authTasks } from './auth/tasks.ts';
import type { Deps } from './composition.ts';
import { taskList } from './notifications/tasks.ts';

export function allTasks(deps: Deps): TaskList {
  return { ...taskList(deps), ...authTasks(deps) };
}
