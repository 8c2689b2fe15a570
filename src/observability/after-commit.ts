// Runs a callback once the outermost transaction around `db` has committed, and never
// when it rolls back: a counter of booking transitions must not count a booking that a
// later statement of the same transaction (or the payment around it) undid.
import type { Knex } from 'knex';

interface TransactionLike {
  isTransaction?: boolean;
  parentTransaction?: TransactionLike;
  executionPromise?: Promise<unknown>;
}

export function afterCommit(db: Knex | Knex.Transaction, fn: () => void): void {
  let trx = db as unknown as TransactionLike;
  if (!trx.isTransaction || !trx.executionPromise) return fn(); // plain knex: the statement has already committed
  // A nested transaction is a savepoint: it must be released (not rolled back, say for
  // a deadlock retry) AND every transaction around it committed.
  let done: Promise<unknown> = trx.executionPromise;
  while (trx.parentTransaction?.executionPromise) {
    const parent: Promise<unknown> = trx.parentTransaction.executionPromise;
    done = done.then(() => parent);
    trx = trx.parentTransaction;
  }
  done.then(fn, () => undefined);
}
