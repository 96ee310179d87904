import { buildNameIndex, matchDistrict, type DistrictMatch, type NameIndex } from '../domain/district-match.js';
import { districtLabel } from '../domain/district.js';
import { exampleDistrictNames } from '../domain/example-districts.js';
import type { Store } from '../store/store.js';
import { TtlCache } from './ttl-cache.js';

/**
 * District names for matching what people type. The whole list of a partnership is read once and
 * kept for `ttlMs`: matching 10,000 names then costs no store round trip on the message path.
 */
export class DistrictDirectory {
  private readonly indexes: TtlCache<string, { index: NameIndex; labels: Map<string, string>; examples: string[] }>;

  constructor(
    private readonly store: Store,
    ttlMs = 60_000,
  ) {
    this.indexes = new TtlCache(ttlMs, 1_000);
  }

  private async load(partnershipId: string) {
    return this.indexes.get(partnershipId, async () => {
      const names = await this.store.districts.listNames(partnershipId);
      const index = buildNameIndex(names);
      // A label names the authority only where another district shares the name.
      const labels = new Map<string, string>();
      for (const e of index.entries) {
        const shared = (index.byName.get(e.norm)?.length ?? 0) > 1;
        labels.set(e.district.id, shared ? districtLabel(e.district) : e.district.name);
      }
      return { index, labels, examples: exampleDistrictNames(names.map((n) => n.name)) };
    });
  }

  async find(partnershipId: string, query: string): Promise<DistrictMatch> {
    return matchDistrict((await this.load(partnershipId)).index, query);
  }

  /** "Church (Sefton)" where the name alone is ambiguous, else the name. */
  async label(partnershipId: string, districtId: string): Promise<string> {
    return (await this.load(partnershipId)).labels.get(districtId) ?? districtId;
  }

  /** Two of the partnership's district names for examples in help and error messages. */
  async exampleNames(partnershipId: string): Promise<string[]> {
    return (await this.load(partnershipId)).examples;
  }

  invalidate(partnershipId: string): void {
    this.indexes.delete(partnershipId);
  }
}
