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

/**
 * Streams the records of a published CSV, plain or gzipped (chosen by the `.gz` suffix), after
 * checking its header against the layout. The BOM that ONS exports carry and the CRLF line ends
 * of police.uk files are handled by csv-parse.
 */
export async function* readCsvRecords<C extends string>(
  file: string,
  layout: CsvLayout<C>,
): AsyncGenerator<CsvRecord<C>> {
  await assertExists(file);
  const parser = parse({ bom: true, info: true, skip_empty_lines: true });
  const stages: (Readable | Duplex)[] = [createReadStream(file)];
  if (file.endsWith('.gz')) stages.push(createGunzip());
  // pipeline carries an error from any stage (a corrupt archive, say) to the parser we iterate.
  pipeline([...stages, parser], () => undefined);
  let index: Map<C, number> | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (index === undefined) {
        index = columnIndex(file, layout, record);
        continue;
      }
      const values = {} as Record<C, string>;
      for (const [column, i] of index) values[column] = record[i] ?? '';
      yield { line: info.lines, values };
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
  if (index === undefined) throw new DatasetFileError(file, `empty: expected a ${layout.name} header`);
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
