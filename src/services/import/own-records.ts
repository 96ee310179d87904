import { readFile, stat } from 'node:fs/promises';
import type { ZodIssue, ZodTypeAny } from 'zod';
import { IndicatorRow, OWN_KINDS, OWN_ROW_SCHEMAS, type OwnKind, type OwnRow } from '../../domain/import-rows.js';
import { readCsvTable, type CsvReadOptions } from './csv-records.js';
import { DatasetFileError } from './dataset-file-error.js';
import type { RowErrors } from './row-errors.js';

export type { OwnKind } from '../../domain/import-rows.js';

type ColumnType = 'text' | 'number' | 'list' | 'boolean';

interface OwnLayout {
  name: string;
  /** All present: the file is of this kind. */
  required: readonly string[];
  /** Every column allowed, with how its text is read; any other column is refused. */
  columns: Readonly<Record<string, ColumnType>>;
}

/** The project's own CSV layouts; the README documents them and datasets/examples/ has one of each. */
export const OWN_LAYOUTS: Readonly<Record<OwnKind, OwnLayout>> = {
  agencies: {
    name: 'agencies (id, name, sector)',
    required: ['id', 'name', 'sector'],
    columns: { id: 'text', name: 'text', sector: 'text' },
  },
  members: {
    name: 'members (aadObjectId, agencyId, displayName, roles, …)',
    required: ['aadObjectId', 'agencyId', 'displayName', 'roles'],
    columns: {
      aadObjectId: 'text',
      agencyId: 'text',
      displayName: 'text',
      roles: 'list',
      clearance: 'text',
      active: 'boolean',
    },
  },
  ocgs: {
    name: 'OCG references (districtId, ref, morileScore, …)',
    required: ['districtId', 'ref', 'morileScore'],
    columns: { districtId: 'text', ref: 'text', morileScore: 'number', band: 'text', classification: 'text' },
  },
  gaps: {
    name: 'intelligence gaps (ref, districtId, question, status, …)',
    required: ['ref', 'districtId', 'question', 'status'],
    columns: {
      ref: 'text',
      districtId: 'text',
      question: 'text',
      status: 'text',
      ownerAgencyId: 'text',
      due: 'text',
      classification: 'text',
      resolution: 'text',
    },
  },
  actions: {
    name: '4P actions (ref, districtId, strand, title, leadAgencyId, status, impactMeasure, …)',
    required: ['ref', 'districtId', 'strand', 'title', 'leadAgencyId', 'status', 'impactMeasure'],
    columns: {
      ref: 'text',
      districtId: 'text',
      strand: 'text',
      title: 'text',
      leadAgencyId: 'text',
      status: 'text',
      due: 'text',
      impactMeasure: 'text',
      classification: 'text',
      lastUpdate: 'text',
    },
  },
  recommendations: {
    name: 'recommendations (districtId, number, text, agencyId, …)',
    required: ['districtId', 'number', 'text'],
    columns: {
      districtId: 'text',
      number: 'number',
      text: 'text',
      strand: 'text',
      agencyId: 'text',
      state: 'text',
      actionRef: 'text',
      classification: 'text',
    },
  },
};

const INDICATOR_COLUMNS: Readonly<Record<string, ColumnType>> = {
  indicator: 'text',
  district: 'text',
  value: 'number',
  source: 'text',
  date: 'text',
};

export interface Located<T> {
  file: string;
  line: number;
  row: T;
}

/** Rows of one own-format CSV that pass their schema; the others go to `errors`. */
export async function readOwnCsv<K extends OwnKind>(
  file: string,
  kind: K,
  errors: RowErrors,
  options: CsvReadOptions = {},
): Promise<Located<OwnRow[K]>[]> {
  const layout = OWN_LAYOUTS[kind];
  return readTypedCsv(file, kind, layout.columns, OWN_ROW_SCHEMAS[kind], errors, options) as Promise<
    Located<OwnRow[K]>[]
  >;
}

export async function readIndicatorsCsv(
  file: string,
  errors: RowErrors,
  options: CsvReadOptions = {},
): Promise<Located<IndicatorRow>[]> {
  return readTypedCsv(file, 'indicators', INDICATOR_COLUMNS, IndicatorRow, errors, options) as Promise<
    Located<IndicatorRow>[]
  >;
}

async function readTypedCsv(
  file: string,
  kind: string,
  columns: Readonly<Record<string, ColumnType>>,
  schema: ZodTypeAny,
  errors: RowErrors,
  options: CsvReadOptions,
): Promise<Located<unknown>[]> {
  const out: Located<unknown>[] = [];
  let header: string[] | undefined;
  for await (const { line, cells } of readCsvTable(file, { ...options, relaxColumnCount: true })) {
    if (header === undefined) {
      header = cells.map((c) => c.trim());
      const unknown = header.filter((h) => !(h in columns));
      if (unknown.length > 0) {
        // One error for the file: every row would carry the column we must not keep.
        errors.add({
          file,
          line,
          column: unknown.join(', '),
          reason: `unknown column${unknown.length === 1 ? '' : 's'} for ${kind}; the columns are: ${Object.keys(columns).join(', ')}`,
          kind: `${kind}: unknown column`,
        });
        return [];
      }
      continue;
    }
    if (cells.length !== header.length) {
      errors.add({
        file,
        line,
        column: '(row)',
        reason: `${cells.length} cells where the header has ${header.length}`,
        kind: `${kind}: wrong number of cells`,
      });
      continue;
    }
    const raw: Record<string, unknown> = {};
    header.forEach((h, i) => {
      const text = cells[i]!.trim();
      if (text === '') return; // an empty cell is an absent value: optional ones take their default
      raw[h] = typed(columns[h]!, text);
    });
    const parsed = schema.safeParse(raw);
    if (parsed.success) out.push({ file, line, row: parsed.data });
    else reportIssues(errors, file, line, kind, parsed.error.issues);
  }
  if (header === undefined) throw new DatasetFileError(file, `empty: expected a ${kind} header`);
  return out;
}

function typed(type: ColumnType, text: string): unknown {
  switch (type) {
    case 'number': {
      const n = Number(text);
      return Number.isFinite(n) ? n : text; // the schema then says "expected number"
    }
    case 'list':
      return text
        .split(';')
        .map((v) => v.trim())
        .filter((v) => v !== '');
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'text':
      return text;
  }
}

function reportIssues(
  errors: RowErrors,
  file: string,
  line: number,
  kind: string,
  issues: readonly ZodIssue[],
  record = false,
) {
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        errors.add({
          file,
          line,
          column: key,
          reason: 'not a field of this record',
          kind: `${kind}: unknown field`,
          record,
        });
      }
      continue;
    }
    const column = issue.path.length ? String(issue.path[0]) : '(row)';
    const reason = issue.code === 'invalid_type' && issue.received === 'undefined' ? 'required' : issue.message;
    errors.add({ file, line, column, reason, kind: `${kind}: ${column}`, record });
  }
}

/** The project JSON is parsed whole, so its size is capped. */
export const MAX_JSON_BYTES = 50_000_000;

export type ProjectJson = { [K in OwnKind]: Located<OwnRow[K]>[] };

/**
 * The project JSON: `{ "agencies": [...], "members": [...], "ocgs": [...], "gaps": [...],
 * "actions": [...], "recommendations": [...] }`, any of the arrays. Records are validated by the same strict schemas as the
 * CSV rows; an error's "line" is the record's position in its array, from 1.
 */
export async function readProjectJson(file: string, errors: RowErrors): Promise<ProjectJson> {
  const out: ProjectJson = { agencies: [], members: [], ocgs: [], gaps: [], actions: [], recommendations: [] };
  let doc: unknown;
  try {
    // Read whole: the project's own records run to thousands, not millions; big data comes as CSV.
    if ((await stat(file)).size > MAX_JSON_BYTES) {
      throw new DatasetFileError(file, `larger than ${MAX_JSON_BYTES / 1e6} MB: give records this many as CSV files`);
    }
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    if (err instanceof DatasetFileError) throw err;
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new DatasetFileError(file, missing ? 'file not found' : `not valid JSON (${(err as Error).message})`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new DatasetFileError(file, `not the project JSON: expected an object with ${OWN_KINDS.join(', ')}`);
  }
  for (const [key, value] of Object.entries(doc)) {
    if (!(OWN_KINDS as readonly string[]).includes(key)) {
      errors.add({
        file,
        line: 1,
        column: key,
        reason: `not a kind the import knows; the kinds are: ${OWN_KINDS.join(', ')}`,
        kind: 'json: unknown kind',
      });
      continue;
    }
    const kind = key as OwnKind;
    if (!Array.isArray(value)) {
      errors.add({ file, line: 1, column: kind, reason: 'must be an array of records', kind: `${kind}: not an array` });
      continue;
    }
    value.forEach((record, i) => {
      const parsed = OWN_ROW_SCHEMAS[kind].safeParse(record);
      if (parsed.success) (out[kind] as Located<unknown>[]).push({ file, line: i + 1, row: parsed.data });
      else reportIssues(errors, file, i + 1, kind, parsed.error.issues, true);
    });
  }
  return out;
}
