import { basename } from 'node:path';

/**
 * A published data file that is not what its reader expects: the wrong layout, a missing file, a
 * value that does not parse. The message names the file (and the line where there is one) so
 * whoever runs the import knows which download to check.
 */
export class DatasetFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
    readonly line?: number,
  ) {
    super(`${basename(file)}${line === undefined ? '' : `, line ${line}`}: ${problem}`);
    this.name = new.target.name;
  }
}

/** The header lacks a column the layout needs: usually a different vintage or a different file. */
export class MissingColumnError extends DatasetFileError {
  constructor(
    file: string,
    readonly missing: readonly string[],
    readonly found: readonly string[],
    layout: string,
  ) {
    const names = missing.map((c) => `"${c}"`).join(', ');
    super(
      file,
      `missing column${missing.length === 1 ? '' : 's'} ${names} of the ${layout} layout (the header has: ${found.join(', ')})`,
      1,
    );
  }
}
