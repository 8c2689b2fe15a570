// A mentor's payout account (a Stripe Connect Express account, or the simulated
// provider's): created once per mentor, onboarded on the provider's own page, and kept
// in step with the provider from its current state (return, refresh, account.updated),
// never from what a URL or an event's snapshot says.
import type { Knex } from 'knex';
import type { Clock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { ProviderError, type AccountState, type PaymentsProvider, type ProviderEvent } from '../lib/payments/port.ts';
import type { EventHandler, EventHandlers } from './webhook-service.ts';

export interface PayoutAccountRow {
  mentorId: string;
  provider: string;
  providerAccountId: string;
  chargesEnabled: boolean;
  payoutsEnabled: boolean;
  detailsSubmitted: boolean;
}

/** What the payouts page says: nothing yet, started but not finished, or ready. */
export type PayoutAccountStatus = 'none' | 'incomplete' | 'ready';

export const statusOf = (row: PayoutAccountRow | undefined): PayoutAccountStatus =>
  !row ? 'none' : row.chargesEnabled && row.payoutsEnabled ? 'ready' : 'incomplete';

/** The provider refused or did not answer: nothing was saved that it does not know of. */
export class PayoutProviderError extends AppError {
  readonly status = 503;
  readonly code = 'payout_provider_unavailable';
  constructor() {
    super('payouts.providerUnavailable');
  }
}

async function asked<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ProviderError) throw new PayoutProviderError();
    throw error;
  }
}

export function payoutAccountService(deps: { knex: Knex; clock: Clock; provider: PaymentsProvider; appUrl: string }) {
  const { knex, provider, clock } = deps;

  async function of(mentorId: string, db: Knex = knex): Promise<PayoutAccountRow | undefined> {
    return db('payoutAccounts').where({ mentorId }).first();
  }

  /** A paid skill may be sold only when the account can take charges. */
  async function canTakeCharges(mentorId: string): Promise<boolean> {
    return Boolean((await of(mentorId))?.chargesEnabled);
  }

  /** Writes the provider's state of an account on our row (unknown accounts are not ours). */
  async function apply(db: Knex, account: AccountState): Promise<void> {
    await db('payoutAccounts').where({ providerAccountId: account.id }).update({
      chargesEnabled: account.chargesEnabled, payoutsEnabled: account.payoutsEnabled, detailsSubmitted: account.detailsSubmitted, updatedAt: clock.now(),
    });
  }

  /**
   * The account, created at most once: the idempotency key is the mentor's id, so a
   * double click or two tabs get the same provider account, and the primary key on
   * mentor_id keeps one row whichever request writes first.
   */
  async function ensureAccount(mentor: { id: string; email: string }): Promise<PayoutAccountRow> {
    const existing = await of(mentor.id);
    if (existing) return existing;
    const account = await asked(() => provider.createConnectedAccount({ email: mentor.email, metadata: { mentor_id: mentor.id } }, `account:${mentor.id}`));
    await knex('payoutAccounts')
      .insert({ mentorId: mentor.id, provider: provider.name, providerAccountId: account.id, chargesEnabled: account.chargesEnabled, payoutsEnabled: account.payoutsEnabled, detailsSubmitted: account.detailsSubmitted })
      .onConflict('mentorId').ignore();
    return (await of(mentor.id))!;
  }

  /** Where the mentor fills in identity and bank details (a fresh link each time: they expire). */
  async function onboardingUrl(mentor: { id: string; email: string }): Promise<string> {
    const row = await ensureAccount(mentor);
    const { url } = await asked(() => provider.createAccountLink({ accountId: row.providerAccountId, refreshUrl: `${deps.appUrl}/payouts/refresh`, returnUrl: `${deps.appUrl}/payouts/return` }));
    return url;
  }

  /** Back from the provider's page: its state of the account, now. */
  async function sync(mentorId: string): Promise<PayoutAccountRow | undefined> {
    const row = await of(mentorId);
    if (!row) return undefined;
    await apply(knex, await asked(() => provider.retrieveAccount(row.providerAccountId)));
    return of(mentorId);
  }

  const accountEvents: EventHandler<AccountState> = {
    observe: async (event: ProviderEvent) => (event.object.object === 'account' ? provider.retrieveAccount(event.object.id) : undefined),
    apply: (trx, account) => apply(trx, account),
  };
  const events: EventHandlers = { 'account.updated': accountEvents as EventHandler<unknown> };

  return { of, canTakeCharges, ensureAccount, onboardingUrl, sync, events };
}

export type PayoutAccountService = ReturnType<typeof payoutAccountService>;
