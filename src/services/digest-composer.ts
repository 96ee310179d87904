import type { AuditEvent } from '../domain/audit.js';
import type { BoardChannel } from '../domain/conversation.js';
import { composeDigest, type DigestDistrict, type DigestView } from '../domain/digest.js';
import type { Partnership } from '../domain/partnership.js';
import type { Store } from '../store/store.js';
import type { DistrictDirectory } from './district-directory.js';
import { fitList } from '../domain/plan-view.js';
import { TtlCache } from './ttl-cache.js';

/** More gap and action changes than this in one week would be an import, not a week's work. */
const WEEK_EVENTS_MAX = 50_000;
/** More district sections than this never fit a 28 KB card: fitting starts here, not at 10,000. */
const SECTIONS_MAX = 40;
/** Districts read at once: enough to overlap store round trips, few enough not to flood it. */
const READ_CONCURRENCY = 8;

export interface DigestWeek {
  from: Date;
  to: Date;
}

/**
 * Reads what the weekly digest needs for one board channel (its districts' profiles, gaps and
 * actions, and the week's audit events) and composes the card's view, trimmed to fit.
 */
export class DigestComposer {
  // A run composes every board channel of a partnership over the same week: one read serves all.
  private readonly weekEvents = new TtlCache<string, AuditEvent[]>(60_000, 100);

  constructor(
    private readonly store: Store,
    private readonly directory: DistrictDirectory,
  ) {}

  async compose(
    partnership: Pick<Partnership, 'id' | 'name' | 'demo'>,
    channel: Pick<BoardChannel, 'districtIds'>,
    week: DigestWeek,
    now: Date,
    fits: (view: DigestView) => boolean,
  ): Promise<DigestView> {
    const pid = partnership.id;
    const ids = channel.districtIds ?? (await this.store.districts.listNames(pid)).map((d) => d.id);
    const [agencies, events, districts] = await Promise.all([
      this.store.agencies.list(pid),
      this.weekEvents.get(`${pid}|${week.from.toISOString()}|${week.to.toISOString()}`, () =>
        this.store.audit.listChanges(pid, week.from.toISOString(), week.to.toISOString(), WEEK_EVENTS_MAX),
      ),
      mapLimited(ids, READ_CONCURRENCY, (id) => this.district(pid, id)),
    ]);
    const input = {
      demo: partnership.demo,
      scopeText: channel.districtIds ? districtsText(districts) : partnership.name,
      weekFrom: week.from,
      weekTo: week.to,
      districts,
      events,
      agencyNames: new Map(agencies.map((a) => [a.id, a.name])),
      now,
    };
    return fitList((limit) => composeDigest({ ...input, limit }), fits, Math.min(SECTIONS_MAX, districts.length));
  }

  private async district(pid: string, id: string): Promise<DigestDistrict> {
    const [label, profile, gaps, actions] = await Promise.all([
      this.directory.label(pid, id),
      this.store.profiles.get(pid, id),
      this.store.gaps.factsByDistrict(pid, id),
      this.store.actions.listByDistrict(pid, id),
    ]);
    return { id, label, profile, gaps, actions };
  }
}

function districtsText(districts: readonly DigestDistrict[]): string {
  if (districts.length <= 3) return districts.map((d) => d.label).join(', ');
  return `${districts
    .slice(0, 2)
    .map((d) => d.label)
    .join(', ')} and ${districts.length - 2} more districts`;
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
