import { parse } from 'csv-parse/sync';
import { toCsv, type Column } from './csv-reply';

interface Row {
  id: string;
  value: number | null;
  flags: string[];
  imputed: boolean;
  note?: string;
}

const COLUMNS: Column<Row>[] = [
  { header: 'id', cell: (r) => r.id },
  { header: 'value', cell: (r) => r.value },
  { header: 'flags', cell: (r) => r.flags },
  { header: 'imputed', cell: (r) => r.imputed },
  { header: 'note', cell: (r) => r.note },
];

describe('toCsv', () => {
  it('writes a header row and one line per row, an unknown figure as an empty cell, never 0', () => {
    const csv = toCsv(COLUMNS, [
      { id: 'a/b', value: 0, flags: [], imputed: false },
      { id: 'c/d', value: null, flags: ['decrease', 'held'], imputed: true },
    ]);
    expect(csv).toBe('id,value,flags,imputed,note\na/b,0,,false,\nc/d,,decrease;held,true,\n');
  });

  it('is only the header row for no rows', () => {
    expect(toCsv(COLUMNS, [])).toBe('id,value,flags,imputed,note\n');
  });

  it('quotes what would break a row, and csv-parse reads it back as it was', () => {
    const notes = ['a, b', 'say "hi"', 'two\nlines', 'carriage\r\nreturn', ' padded ', 'a=1'];
    const csv = toCsv(
      COLUMNS,
      notes.map((note, i) => ({ id: `m/${i}`, value: i, flags: [], imputed: false, note })),
    );
    const rows: Record<string, string>[] = parse(csv, { columns: true });
    expect(rows.map((r) => r.note)).toEqual(notes);
    expect(rows.map((r) => Number(r.value))).toEqual(notes.map((_, i) => i));
  });

  it('keeps a spreadsheet from running a text cell as a formula, and writes negative numbers as numbers', () => {
    const notes = ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\r=1'];
    const csv = toCsv(
      COLUMNS,
      notes.map((note, i) => ({ id: `m/${i}`, value: -i - 1, flags: [], imputed: false, note })),
    );
    const rows: Record<string, string>[] = parse(csv, { columns: true });
    expect(rows.map((r) => r.note)).toEqual(notes.map((note) => `'${note}`));
    expect(rows.map((r) => Number(r.value))).toEqual(notes.map((_, i) => -i - 1));
  });
});
