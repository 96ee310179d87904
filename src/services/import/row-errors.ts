import { basename } from 'node:path';

/** One invalid row (or value) of an import file: where it is and why it was refused. */
export interface RowError {
  file: string;
  /** 1-based; the header is line 1. For JSON, the record's index in its array, from 1. */
  line: number;
  column: string;
  reason: string;
  /** What the error is, for the counts by kind ("Crime type unknown", "gaps: status"). */
  kind: string;
  /** JSON: `line` counts records in their array, and is shown as "record N". */
  record?: boolean;
}

/** How many errors are listed in full; the rest are counted by kind. */
export const ERRORS_LISTED = 20;

/**
 * The errors of an import, held in bounded memory however many rows are bad: the first
 * ERRORS_LISTED in full, and a count per kind.
 */
export class RowErrors {
  readonly first: RowError[] = [];
  readonly byKind = new Map<string, number>();
  count = 0;

  add(error: RowError): void {
    this.count += 1;
    if (this.first.length < ERRORS_LISTED) this.first.push(error);
    this.byKind.set(error.kind, (this.byKind.get(error.kind) ?? 0) + 1);
  }

  /** "2019-10-street.csv, line 7, column Month: "Oct" is not YYYY-MM". */
  static describe(e: RowError): string {
    return `${basename(e.file)}, ${e.record ? 'record' : 'line'} ${e.line}, ${e.record ? 'field' : 'column'} ${e.column}: ${e.reason}`;
  }

  /** The first errors and the counts by kind, most frequent first, as lines to print. */
  summary(): string[] {
    if (this.count === 0) return [];
    const kinds = [...this.byKind].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return [
      `${this.count} invalid ${this.count === 1 ? 'row' : 'rows'}${this.count > this.first.length ? ` (the first ${this.first.length} below)` : ''}:`,
      ...this.first.map((e) => `  ${RowErrors.describe(e)}`),
      'by kind:',
      ...kinds.map(([kind, n]) => `  ${n} × ${kind}`),
    ];
  }
}
