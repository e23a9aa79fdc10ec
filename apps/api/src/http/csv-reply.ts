import type { FastifyReply, FastifyRequest } from 'fastify';
import { stringify } from 'csv-stringify/sync';

export const FORMATS = ['json', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

/** A CSV cell: null and undefined are empty cells (an unknown figure is never 0), lists are joined with `;`. */
export type Cell = string | number | boolean | null | undefined | readonly string[];

/** One column of a CSV answer: its header and how a row's cell is read. */
export interface Column<Row> {
  header: string;
  cell: (row: Row) => Cell;
}

/** Adds `name` to the answer's `Vary` (CORS's `Origin` may be there already), once. */
export function addVary(reply: FastifyReply, name: string): void {
  const current = reply.getHeader('vary');
  const names =
    typeof current === 'string'
      ? current
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean)
      : [];
  if (names.some((part) => part === '*' || part.toLowerCase() === name.toLowerCase())) return;
  reply.header('vary', [...names, name].join(', '));
}

/**
 * Decides whether a read answers CSV: `format=csv`, or no `format` and an `Accept`
 * naming `text/csv`; and, either way, adds `Vary: Accept`, since the answer varies on it, so the
 * browsers and shared caches that keep it (`Cache-Control: public`) are told.
 */
export function negotiateCsv(format: Format | undefined, request: FastifyRequest, reply: FastifyReply): boolean {
  addVary(reply, 'Accept');
  return format === 'csv' || (format === undefined && /\btext\/csv\b/i.test(request.headers.accept ?? ''));
}

/**
 * A table as RFC 4180 CSV with a header row, written by csv-stringify
 * (decision 0025): a cell with a comma, a quote or a line break is quoted,
 * and its quotes doubled. A text cell that a spreadsheet would run as a
 * formula (one starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return: a description anyone could have written upstream) starts with a
 * `'` instead, as OWASP advises; numbers are written as they are.
 */
export function toCsv<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const cellText = (value: Cell): string | number =>
    value === null || value === undefined
      ? ''
      : Array.isArray(value)
        ? value.join(';')
        : typeof value === 'boolean'
          ? String(value)
          : (value as string | number);
  return stringify(
    rows.map((row) => columns.map((column) => cellText(column.cell(row)))),
    {
      header: true,
      columns: columns.map((column) => column.header),
      record_delimiter: 'unix',
      escape_formulas: true,
    },
  );
}

/** Sets a CSV answer's headers; `name` becomes the suggested file name. */
export function sendCsvHeaders(reply: FastifyReply, name: string): void {
  reply.header('Content-Type', 'text/csv; charset=utf-8');
  reply.header('Content-Disposition', `inline; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}.csv"`);
}
