import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEAMS_CARD_LIMIT_BYTES, fitsCard, renderCard } from '../src/bot/cards.js';
import { SYSTEM_IMPORT } from '../src/domain/audit.js';
import { BoardChannel } from '../src/domain/conversation.js';
import { latestSlot, previousSlot } from '../src/domain/digest-schedule.js';
import { DigestComposer } from '../src/services/digest-composer.js';
import { DistrictDirectory } from '../src/services/district-directory.js';
import { seededRandom } from '../src/domain/seeded-random.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { BENCH_PARTNERSHIP_ID, BENCH_TENANT_ID, generatePartnership } from './generate.js';
import { OptionsError, readOptions, USAGE } from './options.js';
import { ms, percentile } from './stats.js';

/**
 * `npm run bench` (second part): the weekly digest for 500 board channels of 20 districts each,
 * over the 10,000-district partnership, composed as the digest job composes them (store reads,
 * the domain's composition, the card rendered and fitted under 28 KB). Target: all of them in
 * at most 5 s. Every card is checked: under the size limit, and naming no OFFICIAL-SENSITIVE item.
 */

const TARGET_MS = 5_000;
const CHANNELS = 500;
const DISTRICTS_PER_CHANNEL = 20;
/** Monday 2 November 2026, 08:00 GMT: a digest slot. */
const NOW = new Date('2026-11-02T08:00:00.000Z');
const DAY = 86_400_000;
/** Gaps and actions changed during the week, through the Store port (each audited). */
const CHANGES = 1_000;

let options;
try {
  options = readOptions(process.argv.slice(2), process.env);
} catch (err) {
  if (err instanceof OptionsError) {
    console.error(`${err.message}\n${USAGE}`);
    process.exit(2);
  }
  throw err;
}

const dir = mkdtempSync(join(tmpdir(), 'soc-digest-bench-'));
const store = openSqliteStore({ file: join(dir, 'bench.db') });
try {
  let t0 = performance.now();
  const { generated } = generatePartnership({
    districts: options.districts,
    itemsPerDistrict: options.itemsPerDistrict,
    seed: options.seed,
    now: NOW,
  });
  // Imported a month ago: the profile refresh is not this week's news.
  const imported = {
    actor: SYSTEM_IMPORT,
    action: 'bench.imported',
    at: new Date(NOW.getTime() - 30 * DAY).toISOString(),
  };
  for (const agency of generated.agencies) await store.agencies.put(agency);
  await store.bulkLoad(BENCH_PARTNERSHIP_ID, generated.load, imported);
  await store.partnerships.put(generated.partnership);

  // A week's work: gaps assigned and filled, actions started, blocked and done.
  const rng = seededRandom(`${options.seed}:digest-week`);
  const { gaps, actions } = generated.load;
  const agencyIds = generated.agencies.map((a) => a.id);
  for (let i = 0; i < CHANGES; i++) {
    const at = new Date(NOW.getTime() - rng.int(1, 6 * 24) * 3_600_000).toISOString();
    const audit = { actor: generated.members[0]!.aadObjectId, action: 'bench.changed', at };
    if (i % 2 === 0) {
      const gap = gaps[rng.int(0, gaps.length - 1)]!;
      const current = await store.gaps.get(BENCH_PARTNERSHIP_ID, gap.ref);
      if (!current) continue;
      const { etag, ...g } = current;
      const owner = agencyIds[rng.int(0, agencyIds.length - 1)]!;
      await store.gaps.replace(
        { ...g, status: rng.chance(0.5) ? 'filled' : 'assigned', ownerAgencyId: owner, updatedAt: at },
        etag,
        audit,
      );
    } else {
      const action = actions[rng.int(0, actions.length - 1)]!;
      const current = await store.actions.get(BENCH_PARTNERSHIP_ID, action.ref);
      if (!current) continue;
      const { etag, ...a } = current;
      const to = (['in_progress', 'blocked', 'done'] as const)[i % 3]!;
      await store.actions.replace({ ...a, status: to, updatedAt: at }, etag, audit);
    }
  }

  const names = await store.districts.listNames(BENCH_PARTNERSHIP_ID);
  const channels = Array.from({ length: CHANNELS }, (_, c) =>
    BoardChannel.parse({
      partnershipId: BENCH_PARTNERSHIP_ID,
      tenantId: BENCH_TENANT_ID,
      conversationId: `19:board-${c}@thread.tacv2`,
      districtIds: Array.from(
        { length: DISTRICTS_PER_CHANNEL },
        (_, k) => names[(c * DISTRICTS_PER_CHANNEL + k) % names.length]!.id,
      ),
      addedBy: generated.members[0]!.aadObjectId,
      addedAt: new Date(NOW.getTime() - 60 * DAY).toISOString(),
    }),
  );
  for (const channel of channels) {
    await store.boardChannels.put(channel, { actor: channel.addedBy, action: 'board.subscribed', at: channel.addedAt });
  }
  console.log(
    `digest data: ${names.length.toLocaleString('en-GB')} districts, ${CHANGES.toLocaleString('en-GB')} changes this week, ${CHANNELS} board channels of ${DISTRICTS_PER_CHANNEL} districts, set up in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const sensitive = new Set(
    [...gaps, ...actions].filter((r) => r.classification === 'OFFICIAL-SENSITIVE').map((r) => r.ref),
  );
  const schedule = { weekday: 1, hour: 8, minute: 0 };
  const slot = latestSlot(schedule, NOW);
  const week = { from: previousSlot(schedule, slot).dueAt, to: slot.dueAt };

  const composer = new DigestComposer(store, new DistrictDirectory(store));
  const partnership = generated.partnership;
  const times: number[] = [];
  let bytes = 0;
  let largest = 0;
  const problems: string[] = [];
  t0 = performance.now();
  for (const channel of channels) {
    const t = performance.now();
    const view = await composer.compose(partnership, channel, week, NOW, (v) => fitsCard('digest', v));
    const json = JSON.stringify(renderCard('digest', view));
    times.push(performance.now() - t);
    const size = Buffer.byteLength(json, 'utf8');
    bytes += size;
    largest = Math.max(largest, size);
    if (view.sections.length === 0) problems.push(`${channel.conversationId}: nothing to report`);
    if (size > TEAMS_CARD_LIMIT_BYTES) problems.push(`${channel.conversationId}: ${size} bytes`);
    // The districts' lines, where items are named (the footer's G-12 is an example, not an item).
    for (const ref of JSON.stringify(view.sections).match(/\b(?:G|PREP|PURS|PREV|PROT)-\d+\b/g) ?? []) {
      if (sensitive.has(ref)) problems.push(`${channel.conversationId}: shows OFFICIAL-SENSITIVE ${ref}`);
    }
  }
  const total = performance.now() - t0;
  const sorted = Float64Array.from(times).sort();
  console.log(
    `digests: ${CHANNELS} channels x ${DISTRICTS_PER_CHANNEL} districts composed in ${ms(total)} ms (target <= ${TARGET_MS} ms${total <= TARGET_MS ? ', met' : ', MISSED'}); per channel p50 ${ms(percentile(sorted, 0.5))} ms, p95 ${ms(percentile(sorted, 0.95))} ms; cards ${Math.round(bytes / CHANNELS).toLocaleString('en-GB')} bytes on average, largest ${largest.toLocaleString('en-GB')} (limit ${TEAMS_CARD_LIMIT_BYTES.toLocaleString('en-GB')})`,
  );
  if (problems.length) {
    console.error(`wrong digests:\n${problems.slice(0, 10).join('\n')}`);
    process.exitCode = 1;
  }
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
