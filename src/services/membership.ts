import { NotAMemberError } from '../domain/errors.js';
import type { Member } from '../domain/member.js';
import type { Partnership } from '../domain/partnership.js';
import type { Store } from '../store/store.js';
import { TtlCache } from './ttl-cache.js';

/** Who is asking: an active member, and the partnership they belong to. */
export interface Requester {
  member: Member;
  partnership: Partnership;
}

/**
 * Every turn starts here: the sender's AAD object id must belong to an active member of a
 * partnership, and the message must come from a tenant that partnership accepts.
 * Cached briefly: a removed member loses access within `ttlMs`.
 */
export class Membership {
  private readonly members: TtlCache<string, Member | undefined>;
  private readonly partnerships: TtlCache<string, Partnership | undefined>;

  constructor(
    private readonly store: Store,
    ttlMs = 15_000,
  ) {
    this.members = new TtlCache(ttlMs);
    this.partnerships = new TtlCache(ttlMs);
  }

  async resolve(aadObjectId: string | undefined, tenantId: string | undefined): Promise<Requester> {
    if (!aadObjectId) throw new NotAMemberError(undefined);
    const id = aadObjectId.toLowerCase();
    const member = await this.members.get(id, () => this.store.members.get(id));
    if (!member || !member.active) throw new NotAMemberError(id);
    const partnership = await this.partnerships.get(member.partnershipId, () =>
      this.store.partnerships.get(member.partnershipId),
    );
    if (!partnership) throw new NotAMemberError(id);
    if (partnership.tenantIds.length > 0 && (!tenantId || !partnership.tenantIds.includes(tenantId.toLowerCase()))) {
      throw new NotAMemberError(id);
    }
    return { member, partnership };
  }

  /** After a change made through this instance. */
  forget(aadObjectId: string): void {
    this.members.delete(aadObjectId.toLowerCase());
  }
}
