import { MemberAdmin } from '../src/services/member-admin.js';
import { PartnershipImport } from '../src/services/partnership-import.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

/**
 * One import, alone in its process so that its peak memory is its own: argv is the store file,
 * the authorities and the files. Prints one JSON line: time, rows and the process's peak RSS
 * (getrusage maxrss, which counts every byte the process ever had resident, not a sample).
 */
const [storeFile, authorities, ...files] = process.argv.slice(2);
const store = openSqliteStore({ file: storeFile! });
const now = () => new Date('2026-11-02T09:00:00.000Z');
await new MemberAdmin(store, now, 'system:cli').addPartnership({ id: 'bench', name: 'Bench', force: 'Bench Police' });
const rssBefore = process.resourceUsage().maxRSS;
const t0 = performance.now();
const result = await new PartnershipImport(store, now, 'system:import').run({
  partnershipId: 'bench',
  files,
  localAuthorityCodes: authorities!.split(','),
  dryRun: false,
  skipInvalid: false,
});
const ms = performance.now() - t0;
await store.close();
process.stdout.write(
  JSON.stringify({
    ms,
    rowsRead: result.crime.rowsRead,
    rowsCounted: result.crime.rowsCounted,
    invalid: result.errors.count,
    profiles: result.profiles.added,
    maxRssBeforeKb: rssBefore,
    maxRssKb: process.resourceUsage().maxRSS,
  }) + '\n',
);
