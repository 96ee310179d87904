import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { pipeline, type Duplex, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { DatasetFileError, MissingColumnError } from './dataset-file-error.js';

export interface CsvRecord<C extends string> {
  /** The line the record starts on (the header is line 1), for error messages. */
  readonly line: number;
  readonly values: Readonly<Record<C, string>>;
}

export interface CsvLayout<C extends string> {
  /** What the file is, in the publisher's words, for error messages. */
  readonly name: string;
  /** Columns the file must have, by their published header names; others are ignored. */
  readonly columns: readonly C[];
}

export interface CsvReadOptions {
  /** Called with each chunk's size in bytes as read from disk (compressed, for a `.gz`). */
  onBytes?: (bytes: number) => void;
  /** Yield rows with too few or too many cells rather than stop at them (the caller reports them). */
  relaxColumnCount?: boolean;
}

/**
 * Streams the records of a published CSV, plain or gzipped (chosen by the `.gz` suffix), after
 * checking its header against the layout. The BOM that ONS exports carry and the CRLF line ends
 * of police.uk files are handled by csv-parse.
 */
export async function* readCsvRecords<C extends string>(
  file: string,
  layout: CsvLayout<C>,
  options: CsvReadOptions = {},
): AsyncGenerator<CsvRecord<C>> {
  let index: Map<C, number> | undefined;
  for await (const row of readCsvTable(file, options)) {
    if (index === undefined) {
      index = columnIndex(file, layout, row.cells);
      continue;
    }
    const values = {} as Record<C, string>;
    for (const [column, i] of index) values[column] = row.cells[i] ?? '';
    yield { line: row.line, values };
  }
  if (index === undefined) throw new DatasetFileError(file, `empty: expected a ${layout.name} header`);
}

/**
 * Streams every row of a CSV as its cells, the header first (line 1), in bounded memory: the
 * file is read a chunk at a time and only the row in hand is held.
 */
export async function* readCsvTable(
  file: string,
  options: CsvReadOptions = {},
): AsyncGenerator<{ line: number; cells: string[] }> {
  await assertExists(file);
  const parser = parse({
    bom: true,
    info: true,
    skip_empty_lines: true,
    relax_column_count: options.relaxColumnCount === true,
  });
  const source = createReadStream(file, { highWaterMark: 256 * 1024 });
  if (options.onBytes) source.on('data', (chunk) => options.onBytes!(chunk.length));
  const stages: (Readable | Duplex)[] = [source];
  if (file.endsWith('.gz')) stages.push(createGunzip());
  // pipeline carries an error from any stage (a corrupt archive, say) to the parser we iterate.
  pipeline([...stages, parser], () => undefined);
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { line: info.lines, cells: record };
    }
  } catch (err) {
    if (err instanceof DatasetFileError) throw err;
    const line = (err as { lines?: unknown }).lines;
    throw new DatasetFileError(
      file,
      `not readable as CSV (${(err as Error).message})`,
      typeof line === 'number' ? line : undefined,
    );
  } finally {
    parser.destroy();
  }
}

function columnIndex<C extends string>(file: string, layout: CsvLayout<C>, header: string[]): Map<C, number> {
  const found = header.map((h) => h.trim());
  const missing = layout.columns.filter((c) => !found.includes(c));
  if (missing.length > 0) throw new MissingColumnError(file, missing, found, layout.name);
  return new Map(layout.columns.map((c) => [c, found.indexOf(c)]));
}

async function assertExists(file: string): Promise<void> {
  try {
    await access(file);
  } catch {
    throw new DatasetFileError(file, 'file not found');
  }
}

/**
 * A data file stored either as published or gzipped: `name` if it exists, else `name.gz`.
 * Lets the same import run on a download and on the repository's compressed copy.
 */
export async function resolveDataFile(file: string): Promise<string> {
  for (const candidate of [file, `${file}.gz`]) {
    try {
      await access(candidate);
      return candidate;
    } catch {
      // try the next form
    }
  }
  throw new DatasetFileError(file, 'file not found (neither it nor its .gz form exists)');
}
