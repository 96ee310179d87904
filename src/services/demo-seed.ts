import { fileURLToPath } from 'node:url';
import { SYSTEM_IMPORT } from '../domain/audit.js';
import { ConcurrencyError } from '../domain/errors.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import { buildDemoPartnership } from './demo-partnership.js';

export const DEMO_DATASET_DIR = fileURLToPath(new URL('../../datasets/merseyside-2019/', import.meta.url));

/**
 * On first start with an empty store, loads the demo partnership (real Merseyside 2019 data, with
 * made-up OCGs, gaps and actions; every card says DEMO). The partnership record is written last,
 * so a start that dies half-way loads it again next time instead of leaving half a demo.
 */
export async function seedDemoIfEmpty(
  store: Store,
  options: { now: Date; log: Logger; datasetDir?: string },
): Promise<{ seeded: boolean }> {
  if ((await store.partnerships.list()).length > 0) return { seeded: false };
  const started = performance.now();
  const demo = await buildDemoPartnership({ datasetDir: options.datasetDir ?? DEMO_DATASET_DIR, now: options.now });
  const at = options.now.toISOString();
  for (const agency of demo.agencies) await store.agencies.put(agency);
  await store.bulkLoad(demo.partnership.id, demo.load, { actor: SYSTEM_IMPORT, action: 'demo.imported', at });
  for (const member of demo.members) {
    try {
      await store.members.create(member, { actor: SYSTEM_IMPORT, action: 'member.created', at });
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
    }
  }
  await store.partnerships.put(demo.partnership);
  options.log.info(
    {
      partnershipId: demo.partnership.id,
      districts: demo.load.districts.length,
      gaps: demo.load.gaps.length,
      actions: demo.load.actions.length,
      members: demo.members.length,
      ms: Math.round(performance.now() - started),
    },
    'demo partnership loaded (DEMO_DATA=off skips this)',
  );
  return { seeded: true };
}
