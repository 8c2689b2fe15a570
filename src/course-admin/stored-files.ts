// Stored files of a course go after the rows that pointed at them: a failed delete
// leaves an orphan file (logged), never a row pointing at nothing.
import type { Knex } from 'knex';
import { storedImageKeys } from '../lib/images.ts';
import type { Storage } from '../lib/storage.ts';

export type FileLogger = { warn(obj: object, msg: string): void };

/** Deletes stored files (a picture with all its widths) once nothing points at them; a failure is logged, never fatal. */
export function fileDeleter(storage: Storage, logger?: FileLogger) {
  return async function deleteFiles(keys: (string | null | undefined)[]): Promise<void> {
    const results = await Promise.allSettled(keys.filter((k): k is string => !!k).flatMap(storedImageKeys).map((k) => storage.delete(k)));
    for (const r of results) if (r.status === 'rejected') logger?.warn({ err: r.reason }, 'course file not deleted');
  };
}

/** The storage keys in one column of a query's rows (pluck() misses the camelCase mapping). */
export async function keysOf(query: Knex.QueryBuilder, column: string): Promise<string[]> {
  const prop = column.split('.').pop()!;
  const rows = (await query.whereNotNull(column).select(column)) as Record<string, string>[];
  return rows.map((r) => r[prop]).filter((k): k is string => typeof k === 'string');
}
