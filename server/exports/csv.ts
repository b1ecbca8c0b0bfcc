/**
 * The one CSV writer of every export (customers now; report status, ledgers, boards and the
 * dashboard later). Files are made for spreadsheets, Excel first, as people in China open them:
 * - UTF-8 with a byte-order mark, without which Excel reads Chinese as GBK mojibake;
 * - CRLF line ends and every cell in double quotes (RFC 4180);
 * - CSV injection neutralised as OWASP advises: a cell that begins with =, +, -, @, tab or carriage
 *   return gets a leading apostrophe, so a spreadsheet shows it as text instead of running it as a
 *   formula (`=HYPERLINK(...)`, `=cmd|...`). Numbers are left alone: a negative number is no formula.
 * csv-stringify does the quoting and the escaping (`escape_formulas`); what is ours is the choice of
 * options, so that no export can forget one.
 */
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';

export type CsvCell = string | number | boolean | null | undefined;

const options = { bom: true, quoted: true, quoted_empty: true, record_delimiter: 'windows', escape_formulas: true } as const;

/** A CSV file of a header and rows, streamed: rows may come a page at a time from the database. */
export function csvStream(header: string[], rows: AsyncIterable<CsvCell[]> | Iterable<CsvCell[]>): Readable {
  const out = stringify(options);
  void (async () => {
    out.write(header);
    for await (const row of rows) {
      if (!out.write(row.map((cell) => cell ?? ''))) await once(out, 'drain');
    }
    out.end();
  })().catch((error: unknown) => out.destroy(error as Error));
  return out;
}

/** The headers of a CSV download named `filename` (UTF-8 names as RFC 6266 asks, with an ASCII fallback). */
export function csvDownloadHeaders(filename: string): Record<string, string> {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    'Cache-Control': 'private, no-store',
  };
}
