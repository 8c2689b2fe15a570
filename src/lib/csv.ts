// CSV cells as spreadsheets read them (RFC 4180 quoting), and never a formula: a cell a
// user typed that starts with = + - @ (or a tab / carriage return) is prefixed with '.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const s = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: readonly string[]) => `${cells.map(csvCell).join(',')}\r\n`;
