// Page events wait here, in memory, and reach insight_events in one INSERT per second:
// a page view costs an array push, never a round trip. What this trades away is stated
// in the issue: a crash, a full buffer or a failed insert loses counts (logged), never a
// booking and never a request, since nothing here runs inside a request.
import type { Knex } from 'knex';
import type { Logger } from '../lib/logger.ts';

export type InsightKind = 'skill_view' | 'mentor_view' | 'modal_opened' | 'details_reached' | 'summary_reached';

export interface InsightEvent {
  occurredAt: Date;
  kind: InsightKind;
  skillId: string | null;
  mentorUsername: string | null;
  visitor: Buffer;
}

export interface EventBuffer {
  push(event: InsightEvent): void;
  /** An event still waiting for its visitor (the day's salt being read): flush() waits for it. */
  track(pending: Promise<unknown>): void;
  /** Writes everything buffered so far (and what is pending); resolves once it is in the table, or lost and logged. */
  flush(): Promise<void>;
  /** Stops the timer and writes what is left: the shutdown path. */
  close(): Promise<void>;
  readonly size: number;
}

export interface EventBufferOptions {
  knex: Knex;
  logger: Logger;
  flushMs: number;
  maxEvents: number;
}

export function createEventBuffer({ knex, logger, flushMs, maxEvents }: EventBufferOptions): EventBuffer {
  let events: InsightEvent[] = [];
  const pending = new Set<Promise<unknown>>();
  // Counted between two flushes, logged once by the next one: one line, not one per dropped event.
  let dropped = 0;
  let timer: NodeJS.Timeout | undefined;

  async function write(batch: InsightEvent[]): Promise<void> {
    // One statement whatever the batch size: five arrays, unnested side by side into rows.
    // (knex's types want string[]: pg sends a null element as a NULL of the array)
    const nullable = (values: (string | null)[]) => values as string[];
    const columns: Knex.Value[] = [
      batch.map((e) => e.occurredAt), batch.map((e) => e.kind), nullable(batch.map((e) => e.skillId)), nullable(batch.map((e) => e.mentorUsername)), batch.map((e) => e.visitor),
    ];
    await knex.raw(
      `insert into insight_events (occurred_at, kind, skill_id, mentor_username, visitor)
       select * from unnest(?::timestamptz[], ?::text[], ?::uuid[], ?::text[], ?::bytea[])`,
      columns,
    );
  }

  async function flushNow(): Promise<void> {
    if (pending.size) await Promise.allSettled([...pending]);
    if (dropped) {
      logger.warn({ dropped, maxEvents }, 'insight events dropped: the buffer was full');
      dropped = 0;
    }
    if (!events.length) return;
    const batch = events;
    events = [];
    try {
      await write(batch);
    } catch (err) {
      logger.error({ err, lost: batch.length }, 'insight events lost: their batch could not be written');
    }
  }

  // One write at a time: while the rollup holds its lock on insight_events, a waiting batch
  // holds one pool connection, not one more every second; later flushes queue behind it.
  let chain: Promise<void> = Promise.resolve();
  let ticking = false;
  const flush = (): Promise<void> => (chain = chain.then(flushNow));

  const buffer: EventBuffer = {
    push(event) {
      if (events.length >= maxEvents) dropped++;
      else events.push(event);
    },
    track(promise) {
      pending.add(promise);
      void promise.finally(() => pending.delete(promise)).catch(() => undefined);
    },
    flush,
    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await flush();
    },
    get size() {
      return events.length;
    },
  };
  // unref'd: a pending flush never keeps a process (a test run, a CLI command) alive.
  timer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    void flush().finally(() => { ticking = false; });
  }, flushMs);
  timer.unref();
  return buffer;
}
