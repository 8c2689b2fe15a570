import type { Knex } from 'knex';

// An open proposal holds its new time in both calendars, so nobody else can take it
// while the other side decides: the same exclusion constraint protects it as any
// booking. The booking keeps its own claim on the current time, so the proposal claims
// only the part of the new time that the booking does not already cover (a move by
// half an hour overlaps itself). Triggers keep the claims in step with the proposal,
// and a booking that stops being live closes its open proposal in the same statement.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table calendar_claims add column proposal_id uuid references reschedule_proposals (id) on delete cascade');
  await knex.raw('alter table calendar_claims drop constraint calendar_claims_one_source');
  await knex.raw('alter table calendar_claims add constraint calendar_claims_one_source check (num_nonnulls(booking_id, skill_id, proposal_id) = 1)');
  await knex.raw('create index calendar_claims_proposal_idx on calendar_claims (proposal_id) where proposal_id is not null');

  await knex.raw(`
    create function claim_proposal_time() returns trigger language plpgsql as $$
    declare
      b record;
      uncovered tstzrange;
    begin
      if tg_op <> 'INSERT' then
        delete from calendar_claims where proposal_id = old.id;
      end if;
      if tg_op <> 'DELETE' and new.status = 'open' then
        select student_id, mentor_id, starts_at, ends_at into b from bookings where id = new.booking_id;
        uncovered := tstzrange(new.starts_at, new.ends_at) - tstzrange(b.starts_at, b.ends_at);
        if not isempty(uncovered) then
          insert into calendar_claims (user_id, during, proposal_id) values (b.student_id, uncovered, new.id), (b.mentor_id, uncovered, new.id);
        end if;
      end if;
      return null;
    end $$`);
  await knex.raw(`
    create trigger reschedule_proposals_claim_time after insert or delete or update of status, starts_at, ends_at
    on reschedule_proposals for each row execute function claim_proposal_time()`);

  await knex.raw(`
    create function close_proposals_of_ended_booking() returns trigger language plpgsql as $$
    begin
      if new.status not in ('pending', 'confirmed') then
        update reschedule_proposals set status = 'lapsed', closed_at = now() where booking_id = new.id and status = 'open';
      end if;
      return null;
    end $$`);
  await knex.raw(`
    create trigger bookings_close_proposals after update of status on bookings
    for each row when (old.status is distinct from new.status) execute function close_proposals_of_ended_booking()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger if exists bookings_close_proposals on bookings');
  await knex.raw('drop function if exists close_proposals_of_ended_booking()');
  await knex.raw('drop trigger if exists reschedule_proposals_claim_time on reschedule_proposals');
  await knex.raw('drop function if exists claim_proposal_time()');
  await knex.raw('delete from calendar_claims where proposal_id is not null');
  await knex.raw('alter table calendar_claims drop constraint calendar_claims_one_source');
  await knex.raw('alter table calendar_claims add constraint calendar_claims_one_source check (num_nonnulls(booking_id, skill_id) = 1)');
  await knex.raw('alter table calendar_claims drop column proposal_id');
}
