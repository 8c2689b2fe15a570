// The bookings list of the public API (/api/v1/me/bookings) and the mentor's bulk
// decisions: the grid's own query (scope, sort and filter model, counting) and the
// dashboard's own bulk loop, so the API and the dashboard never disagree.
import type { Deps } from '../composition.ts';
import type { Formatters } from '../i18n/format.ts';
import type { Translate } from '../i18n/index.ts';
import type { ApiBuilder } from '../lib/api/operation.ts';
import { z } from '../lib/api/openapi.ts';
import { BadRequestError, ValidationError } from '../lib/errors.ts';
import { MAX_PAGE_ROWS } from '../lib/grid-request.ts';
import { BookingGridRow, bookingGridRow } from './api-views.ts';
import { bulkDecide, bulkSchema } from './bulk.ts';
import { gridBlock } from './grid-block.ts';
import { parseGridRequest } from './grid-query.ts';

const text = (max: number, description: string) => z.string().max(max).optional().openapi({ description });

const listQuery = z.object({
  startRow: z.string().regex(/^\d{1,9}$/).optional().openapi({ description: 'First row of the block (default 0)' }),
  endRow: z.string().regex(/^\d{1,9}$/).optional().openapi({ description: `Row after the last one (default startRow + 100; at most ${MAX_PAGE_ROWS} rows a block)` }),
  sortModel: text(4000, 'Ag Grid sort model as JSON: `[{"colId":"startsAt","sort":"desc"}]`'),
  filterModel: text(4000, 'Ag Grid filter model as JSON (text, number, set and date filters of the grid\'s columns)'),
  quickFilter: text(100, 'Words matched against the skill, the other party and the subject'),
  status: text(200, 'Comma-separated statuses'),
  from: text(40, 'Sessions starting from this day (YYYY-MM-DD, in the viewer\'s zone) or instant'),
  to: text(40, 'Sessions starting before the end of this day or instant'),
});

const BulkResult = z.union([
  z.object({ id: z.uuid(), ok: z.literal(true), status: z.string() }),
  z.object({ id: z.uuid(), ok: z.literal(false), code: z.string(), message: z.string() }),
]).openapi('BulkBookingResult');

export function bookingsListApi(deps: Deps, api: ApiBuilder): void {
  api.operation({
    method: 'get', path: '/me/bookings', operationId: 'listMyBookings', tags: ['Mentor'], access: 'user',
    summary: 'My bookings, with the dashboard grid\'s sort and filters',
    description: [
      'A mentor sees the bookings of their skills, a student their own, an admin all. Paged by rows, like the grid (Infinite Row Model), not by cursor:',
      'ask `startRow`/`endRow`; `lastRow` is the total when known (-1 for an admin on a later block or a slow count), and `nextStartRow` is null on the last block.',
      'A sort or filter the grid would refuse is a 422 naming the parameter.',
    ].join(' '),
    query: listQuery,
    responses: { 200: { description: 'One block of rows', schema: z.object({ items: z.array(BookingGridRow), lastRow: z.number().int(), nextStartRow: z.number().int().nullable() }).openapi('BookingGridBlock') } },
    async handler({ query, user, res }) {
      const actor = { id: user!.id, role: user!.role };
      const t = res.locals.t as Translate;
      let grid;
      try {
        grid = parseGridRequest(query, actor.role, { timeZone: (res.locals.fmt as Formatters).timeZone });
      } catch (error) {
        // The grid's 400 names the parameter: in the API that is an invalid field.
        if (!(error instanceof BadRequestError)) throw error;
        throw new ValidationError({ [String(error.params.field ?? 'query')]: t(error.messageKey, error.params) });
      }
      const { rows, lastRow } = await gridBlock(deps.knex, actor, grid, deps.clock.now());
      const end = grid.startRow + rows.length;
      const more = rows.length === grid.endRow - grid.startRow && (lastRow === -1 || end < lastRow);
      return { body: { items: rows.map(bookingGridRow), lastRow, nextStartRow: more ? end : null } };
    },
  });

  api.operation({
    method: 'post', path: '/me/bookings/bulk', operationId: 'decideMyBookings', tags: ['Mentor'], access: ['mentor'],
    summary: 'Approve or reject many pending requests',
    description: 'Each booking is decided on its own (its own transaction): one refused does not stop the others; the results say which. A rejection needs the `reason` the students read.',
    body: bulkSchema,
    responses: { 200: { description: 'One result per distinct id', schema: z.object({ results: z.array(BulkResult) }).openapi('BulkBookingResults') } },
    async handler({ body, user, req, res }) {
      const results = await bulkDecide(deps.services.bookings, user!.id, body, res.locals.t as Translate, (err, bookingId) => req.log?.error({ err, bookingId }, 'bulk booking action failed'));
      return { body: { results } };
    },
  });
}
