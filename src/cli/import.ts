import { resolve } from 'node:path';
import { SYSTEM_IMPORT } from '../domain/audit.js';
import type { Period } from '../domain/profile.js';
import { systemClock, type Clock } from '../services/clock.js';
import { DEFAULT_PERIODS } from '../services/import/ward-profiles.js';
import { ProfileImport, type ImportProgress, type ImportResult } from '../services/profile-import.js';
import {
  EXIT,
  UsageError,
  auditActor,
  explain,
  listOption,
  parseOptions,
  required,
  runAsProcess,
  withStore,
  type CliIo,
  type ExitCode,
} from './cli-process.js';

/**
 * `npm run import -- --partnership <id> --dataset <dir> --authorities E08000011,E08000012
 * [--latest YYYY-MM/YYYY-MM] [--previous YYYY-MM/YYYY-MM] [--dry-run] [--as <aad id>]`:
 * rebuilds the partnership's ward profiles from the published files, keeping its review history,
 * OCG references and recommendations (src/services/profile-import.ts says what and why).
 */

const OPTIONS = {
  partnership: { type: 'string' },
  dataset: { type: 'string' },
  authorities: { type: 'string', multiple: true },
  latest: { type: 'string' },
  previous: { type: 'string' },
  'dry-run': { type: 'boolean' },
  as: { type: 'string' },
  help: { type: 'boolean' },
} as const;

const period = (p: Period) => (p.from === p.to ? p.from : `${p.from}/${p.to}`);

export function helpText(): string[] {
  return [
    'Usage: npm run import -- --partnership <id> --dataset <dir> --authorities <LAD19 code>[,<code>] [options]',
    '',
    '  --partnership <id>        the partnership to load into; it must exist (npm run admin -- partnership add)',
    '  --dataset <dir>           a dataset folder laid out like datasets/merseyside-2019 (see its SOURCES.md)',
    '  --authorities <codes>     local authority codes, comma-separated or repeated, e.g. E08000011,E08000012',
    `  --latest <from>/<to>      the latest period, months inclusive (default ${period(DEFAULT_PERIODS.latest)})`,
    `  --previous <from>/<to>    the period six months before (default ${period(DEFAULT_PERIODS.previous)})`,
    '  --dry-run                 say what would change; write nothing',
    '  --as <aad object id>      who the audit trail names (default system:import)',
    '',
    'Existing gaps, actions, OCG references, recommendations and review history are kept.',
    'Exit codes: 0 done, 1 the store failed, 2 the input or a dataset file was wrong (nothing written).',
  ];
}

export async function runImport(args: readonly string[], io: CliIo, clock: Clock = systemClock): Promise<ExitCode> {
  try {
    const v = parseOptions('import', args, OPTIONS);
    if (v.help) {
      helpText().forEach((l) => io.out(l));
      return EXIT.ok;
    }
    const input = {
      partnershipId: required('import', v, 'partnership'),
      datasetDir: resolve(required('import', v, 'dataset')),
      localAuthorityCodes: listOption(v.authorities),
      periods: {
        latest: v.latest === undefined ? DEFAULT_PERIODS.latest : parsePeriod('--latest', v.latest),
        previous: v.previous === undefined ? DEFAULT_PERIODS.previous : parsePeriod('--previous', v.previous),
      },
      dryRun: v['dry-run'] === true,
    };
    if (input.localAuthorityCodes.length === 0) {
      throw new UsageError('import: --authorities is required (LAD19 codes such as E08000011,E08000012)');
    }
    const actor = v.as === undefined ? SYSTEM_IMPORT : auditActor(v.as);
    const result = await withStore(io.env, (store) =>
      new ProfileImport(store, clock, actor).run(input, (p) => io.out(describeProgress(p))),
    );
    summary(result).forEach((l) => io.out(l));
    return EXIT.ok;
  } catch (err) {
    const { code, line } = explain(err);
    io.err(`error: ${line}`);
    return code;
  }
}

/** "2019-10/2019-12", or one month "2019-10". */
function parsePeriod(option: string, value: string): Period {
  const m = /^(\d{4}-\d{2})(?:\/(\d{4}-\d{2}))?$/.exec(value.trim());
  if (!m) throw new UsageError(`${option} must be months as YYYY-MM/YYYY-MM (or one month YYYY-MM)`);
  return { from: m[1]!, to: m[2] ?? m[1]! };
}

function describeProgress(p: ImportProgress): string {
  switch (p.step) {
    case 'reading':
      return (
        `[1/3] reading ${p.datasetDir}: ward lookup, IoD 2019 files, severity weights and ${p.crimeFiles} ` +
        `street-crime file${p.crimeFiles === 1 ? '' : 's'}, for ${p.localAuthorityCodes.join(', ')}`
      );
    case 'built':
      return `      built ${p.wards} ward profiles from ${p.crime.rowsRead} crime rows in ${seconds(p.ms)}`;
    case 'compared': {
      const { districts: d, profiles: pr } = p.plan;
      return (
        `[2/3] compared with the store: districts ${d.added} new, ${d.changed} changed, ${d.unchanged} unchanged; ` +
        `profiles ${pr.added} new, ${pr.changed} with new figures, ${pr.refreshed} with the same figures`
      );
    }
    case 'writing':
      return `[3/3] writing ${p.districts} districts and ${p.profiles} profiles`;
    case 'written':
      return `      written in ${seconds(p.ms)}`;
  }
}

function summary(r: ImportResult): string[] {
  const c = r.crime;
  return [
    `${r.written ? 'imported' : 'dry run, nothing written:'} ${r.wards} wards into partnership ${r.partnershipId} in ${seconds(r.ms)}`,
    `  crime rows: ${c.rowsRead} read in ${c.files} files; ${c.rowsCounted} counted; ` +
      `${c.rowsOutsidePartnership} outside the partnership; ${c.rowsWithoutLsoa} without an LSOA; ` +
      `${c.rowsOutsidePeriods} outside the two periods`,
    `  severity rank moved in ${r.plan.rankMoved} wards; recorded reviews kept on ${r.plan.reviewsKept} profiles`,
    ...(r.plan.notCovered.length
      ? [
          `  ${r.plan.notCovered.length} districts not in this import, left as they are: ${r.plan.notCovered.join(', ')}`,
        ]
      : []),
    '  gaps and actions untouched',
  ];
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

runAsProcess(import.meta.url, runImport);
