// The Ag Grid dashboards' server side (Infinite Row Model): parses what the
// grid sends (startRow/endRow, sortModel, filterModel, quick filter, status and date
// range) and builds the SQL. Pure: nothing here runs a query.
//
// Safety rules:
// - identifiers (columns, sort directions, operators) come only from the tables below;
//   what the browser sends merely selects an entry, and anything unknown is a 400
//   naming the offending parameter;
// - every value the browser sends reaches PostgreSQL as a bound parameter.
export * from './grid-columns.ts';
export { parseGridRequest, type ParseOptions } from './grid-parse.ts';
export { GRID_SELECT, gridCountQuery, gridEstimateQuery, gridRowsQuery } from './grid-sql.ts';
export { toGridRow, type GridRecord, type GridRow } from './grid-rows.ts';
