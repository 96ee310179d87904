import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SYSTEM_IMPORT } from '../domain/audit.js';
import type { Period } from '../domain/profile.js';
import { systemClock, type Clock } from '../services/clock.js';
import { ACCEPTED_FORMATS } from '../services/import/file-format.js';
import {
  PartnershipImport,
  type PartnershipImportProgress,
  type PartnershipImportResult,
} from '../services/partnership-import.js';
import {
  EXIT,
  UsageError,
  auditActor,
  explain,
  listOption,
  processIo,
  runAsProcess,
  withStore,
  type CliIo,
  type ExitCode,
} from './cli-process.js';
import { ProgressBar, type TtyStream } from './progress-bar.js';
import { asBackgroundWork } from '../store/background-work.js';

/**
 * `npm run import -- --partnership <id> [options] <files…>`: brings a partnership's data files
 * into the store (src/services/partnership-import.ts says what each file does, and how nothing
 * is lost). A progress bar is drawn on stderr when it is a terminal; otherwise a plain line per
 * file goes to stderr, so a log or a pipe gets no control characters.
 */

const OPTIONS = {
  partnership: { type: 'string' },
  weights: { type: 'string' },
  authorities: { type: 'string', multiple: true },
  dataset: { type: 'string', multiple: true },
  'dry-run': { type: 'boolean' },
  'skip-invalid': { type: 'boolean' },
  refresh: { type: 'boolean' },
  'population-year': { type: 'string' },
  as: { type: 'string' },
  help: { type: 'boolean' },
} as const;

export function helpText(): string[] {
  return [
    'Usage: npm run import -- --partnership <id> [options] <file>…',
    '',
    'Each file is recognised by its header (CSV, plain or .gz) or, for .json, its keys:',
    ...ACCEPTED_FORMATS.map((f) => `  - ${f}`),
    '',
    '  --partnership <id>        the partnership to load into; it must exist (npm run admin -- partnership add)',
    '  --authorities <codes>     with a lookup file: the local authorities whose wards to import, e.g. E08000011,E08000012',
    '  --weights <file>          severity weights per police.uk crime type (default datasets/weights/police-uk-category-weights.csv)',
    '  --dataset <dir>           every file in a folder laid out like datasets/merseyside-2019, as if listed',
    '  --dry-run                 check everything and say what would change; write nothing',
    '  --skip-invalid            write the valid rows and report the invalid ones (default: write nothing if any row is invalid);',
    '                            crimes in LSOAs no lookup places are then left out, and counted',
    '  --refresh                 this import is the profiles\' 12-month refresh (default: it moves only "data as of")',
    '  --population-year <yyyy>  the mid-year of an ONS population estimates file whose name does not say it',
    '  --as <aad object id>      who the audit trail names (default system:import)',
    '',
    'Importing the same files again changes nothing. Recorded reviews and other data are kept; recommendation rows',
    "replace their district's list, keeping each link to an action made in Teams.",
    'Exit codes: 0 done, 1 the store failed, 2 the input or a file was wrong (nothing written).',
  ];
}

export async function runImport(
  args: readonly string[],
  io: CliIo,
  clock: Clock = systemClock,
  tty: TtyStream | undefined = io === processIo && process.stderr.isTTY ? process.stderr : undefined,
): Promise<ExitCode> {
  try {
    const { values: v, positionals } = parseImportArgs(args);
    if (v.help) {
      helpText().forEach((l) => io.out(l));
      return EXIT.ok;
    }
    if (typeof v.partnership !== 'string' || v.partnership.trim() === '') {
      throw new UsageError('import: --partnership is required');
    }
    const files = [...positionals.map((f) => resolve(f))];
    for (const dir of v.dataset ?? []) files.push(...(await filesUnder(resolve(dir))));
    if (files.length === 0) throw new UsageError('import: give the files to import (or --dataset <dir>)');
    const actor = v.as === undefined ? SYSTEM_IMPORT : auditActor(v.as);
    const bar = tty ? new ProgressBar(tty) : undefined;
    // An import is background work: Cosmos DB throttles it before the partnership's Teams turns.
    const result = await withStore(io.env, (store) =>
      asBackgroundWork(() =>
        new PartnershipImport(store, clock, actor).run(
          {
            partnershipId: v.partnership!.trim(),
            files,
            ...(v.weights !== undefined && { weightsFile: resolve(v.weights) }),
            localAuthorityCodes: listOption(v.authorities),
            dryRun: v['dry-run'] === true,
            skipInvalid: v['skip-invalid'] === true,
            refresh: v.refresh === true,
            ...(v['population-year'] !== undefined && { populationYear: v['population-year'] }),
          },
          progressReporter(io, bar),
        ),
      ),
    );
    bar?.clear();
    return report(result, io);
  } catch (err) {
    const { code, line } = explain(err);
    io.err(`error: ${line}`);
    return code;
  }
}

function parseImportArgs(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: true });
  } catch (err) {
    const valid = Object.keys(OPTIONS)
      .map((o) => `--${o}`)
      .join(', ');
    const code = (err as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = /'(-[^']*)'/.exec((err as Error).message)?.[1] ?? 'an option';
      throw new UsageError(`import: unknown option ${option}; valid: ${valid}`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const option = /'(-[^' ]*)/.exec((err as Error).message)?.[1] ?? 'an option';
      throw new UsageError(`import: ${option} needs a value`);
    }
    throw new UsageError(`import: ${(err as Error).message}`);
  }
}

/** The files of a dataset folder and its sub-folders, in name order; SOURCES.md and the like skipped. */
async function filesUnder(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    throw new UsageError(`import: --dataset ${dir} is not a folder`);
  }
  return entries
    .filter((e) => e.isFile() && /\.(csv|csv\.gz|json)$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function progressReporter(io: CliIo, bar: ProgressBar | undefined) {
  let current = { index: 0, total: 0 };
  return (p: PartnershipImportProgress) => {
    switch (p.step) {
      case 'recognised':
        io.out(`recognised ${p.files.length} file${p.files.length === 1 ? '' : 's'}:`);
        for (const f of p.files) io.out(`  ${f.file}: ${f.name}`);
        return;
      case 'reading':
        current = { index: p.index, total: p.total };
        bar?.update(p.file, p.index, p.total, 0, p.bytes, true);
        return;
      case 'bytes':
        bar?.update(p.file, current.index, current.total, p.read, p.bytes);
        return;
      case 'read':
        if (bar) bar.clear();
        else {
          io.err(
            `read ${current.index}/${current.total} ${p.file}` +
              (p.rows === undefined ? '' : `: ${p.rows} rows`) +
              (p.invalid ? `, ${p.invalid} invalid` : ''),
          );
        }
        return;
      case 'writing':
        io.out(`writing ${p.records} changed record${p.records === 1 ? '' : 's'}`);
        return;
      case 'written':
        io.out(`written in ${seconds(p.ms)}`);
        return;
    }
  };
}

const period = (p: Period) => (p.from === p.to ? p.from : `${p.from}/${p.to}`);

/** "1,204 crimes in 37 LSOAs not in the lookup (E01033750, …); give …": never a silent drop. */
function notPlacedLines(r: PartnershipImportResult): string[] {
  const n = r.crime.notPlaced;
  const lines: string[] = [];
  const count = (x: number) => x.toLocaleString('en-GB');
  const hasChangeLookup = r.files.some((f) => f.format === 'ons-lsoa-change-lookup');
  if (n.crimes > 0) {
    lines.push(
      `${count(n.crimes)} crime${n.crimes === 1 ? '' : 's'} in ${count(n.lsoas)} LSOA${n.lsoas === 1 ? '' : 's'} of the partnership's authorities not in the lookup` +
        ` (${n.examples.join(', ')}${n.lsoas > n.examples.length ? ', …' : ''}); ` +
        (hasChangeLookup
          ? "nor in the LSOA change lookup: give a ward lookup on the crime files' LSOA vintage"
          : "give the ONS LSOA 2011→2021 lookup (LSOA11CD, LSOA21CD, CHGIND, …) or a ward lookup on the crime files' LSOA vintage"),
    );
  }
  if (n.splitCrimes > 0) {
    lines.push(
      `${count(n.splitCrimes)} crime${n.splitCrimes === 1 ? '' : 's'} in ${count(n.splitLsoas)} LSOA${n.splitLsoas === 1 ? '' : 's'} ` +
        'whose counterparts in the other LSOA vintage lie in more than one ward: no one ward to count them in',
    );
  }
  return lines;
}

function report(r: PartnershipImportResult, io: CliIo): ExitCode {
  r.errors.summary().forEach((l) => io.err(l));
  const unplaced = notPlacedLines(r);
  unplaced.forEach((l) => io.err(l));
  if (r.referenceInvalid) {
    io.err(
      'nothing written: the LSOA-to-ward lookup and the IoD files are taken whole, even with --skip-invalid ' +
        '(a skipped row would move crimes out of their ward or change the residents a score is per 1,000 of). ' +
        'Correct them, or download them again.',
    );
    return EXIT.badInput;
  }
  if (r.refused && r.errors.count === 0) {
    io.err(
      'nothing written: run again with --skip-invalid to write the rest and leave these crimes out (they stay counted above).',
    );
    return EXIT.badInput;
  }
  if (r.refused) {
    io.err(
      `nothing written: ${r.errors.count} invalid row${r.errors.count === 1 ? '' : 's'}. ` +
        'Correct them, or run again with --skip-invalid to write the valid rows.',
    );
    return EXIT.badInput;
  }
  const c = r.crime;
  const changes = (label: string, x: { added: number; changed: number; unchanged: number }) =>
    `${label} ${x.added} new, ${x.changed} changed, ${x.unchanged} unchanged`;
  const lines = [
    `${r.written ? 'imported' : 'dry run, nothing written:'} partnership ${r.partnershipId} in ${seconds(r.ms)}`,
  ];
  if (r.references.length > 0) lines.push(`  read: ${r.references.join('; ')}`);
  if (c.files > 0) {
    lines.push(
      `  crime rows: ${c.rowsRead} read in ${c.files} file${c.files === 1 ? '' : 's'}; ${c.rowsCounted} counted; ` +
        `${c.rowsOutsidePartnership} outside the partnership; ${c.rowsWithoutLsoa} without an LSOA; ${c.rowsInvalid} invalid`,
      `  periods: ${c.periods.map(period).join(', ')}`,
    );
    if (c.rowsMoved > 0) lines.push(`  ${c.rowsMoved} crimes placed through the ONS LSOA change lookup`);
    if (c.notPlaced.crimes + c.notPlaced.splitCrimes > 0)
      lines.push(
        `  left out (--skip-invalid): ${c.notPlaced.crimes + c.notPlaced.splitCrimes} crimes not placed in a ward`,
      );
    if (c.rankedBy === 'crimes') {
      lines.push(
        '  no population file: wards ranked by number of crimes; severity and rate per resident need ' +
          "ONS's mid-year LSOA population estimates (or IoD 2019 File 6)",
      );
    }
  }
  lines.push(`  ${changes('districts:', r.districts)}`, `  ${changes('profiles:', r.profiles)}`);
  if (c.files > 0) lines.push(`  severity rank moved in ${r.rankMoved} profiles`);
  if (r.refreshed) lines.push('  12-month refresh recorded (--refresh)');
  for (const kind of ['agencies', 'members', 'ocgs', 'recommendations', 'gaps', 'actions', 'indicators'] as const) {
    const x = r.records[kind];
    if (x.added + x.changed + x.unchanged > 0) lines.push(`  ${changes(`${kind}:`, x)}`);
  }
  if (r.errors.count > 0)
    lines.push(`  skipped ${r.errors.count} invalid row${r.errors.count === 1 ? '' : 's'} (listed on stderr)`);
  lines.forEach((l) => io.out(l));
  return EXIT.ok;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

runAsProcess(import.meta.url, runImport);
