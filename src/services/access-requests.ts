import { AccessRequest } from '../domain/access-request.js';
import type { Classification } from '../domain/classification.js';
import type { ConversationRef } from '../domain/conversation.js';
import { ConcurrencyError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { Member, Role } from '../domain/member.js';
import type { Partnership } from '../domain/partnership.js';
import type { Store, Stored } from '../store/store.js';
import type { Clock } from './clock.js';
import type { Requester } from './membership.js';
import type { MemberAdded, Onboarding } from './onboarding.js';

/** Who pressed Request access, exactly as Teams said, and where their 1:1 chat with the bot is. */
export interface Stranger {
  aadObjectId: string;
  tenantId: string;
  displayName: string;
  serviceUrl: string;
  conversationId: string;
  botId: string;
}

export type RequestOutcome =
  /** The tenant is not one ALLOWED_TENANT_IDS names. */
  | { kind: 'tenant-not-allowed' }
  /** No partnership names the tenant: nobody to ask. */
  | { kind: 'no-partnership' }
  /** An open request already waits (with these partnerships): nothing new was sent. */
  | { kind: 'pending'; partnerships: Partnership[] }
  | { kind: 'requested'; sent: { partnership: Partnership; request: AccessRequest; admins: Member[] }[] };

export interface Decided {
  request: AccessRequest;
  added?: MemberAdded;
}

/**
 * Access requests (issue 16). A stranger has no partnership, so a request goes to every
 * partnership whose tenantIds name the stranger's tenant, and only when ALLOWED_TENANT_IDS names
 * it too (an empty list, "any tenant", lets nobody ask). One open request per person: pressing
 * again while one waits sends nothing. A request is decided once: the decision is a conditional
 * write, so of two admins pressing at once, one wins and the other is told.
 */
export class AccessRequests {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly onboarding: Onboarding,
    /** ALLOWED_TENANT_IDS, lower case. */
    private readonly allowedTenantIds: readonly string[],
  ) {}

  /** Whether someone of this tenant may ask at all (the "not a member" card offers the button). */
  tenantAllowed(tenantId: string | undefined): tenantId is string {
    return tenantId !== undefined && this.allowedTenantIds.includes(tenantId.toLowerCase());
  }

  /** Whether asking would reach anyone: the tenant is allowed and some partnership names it. */
  async mayAsk(tenantId: string | undefined): Promise<boolean> {
    if (!this.tenantAllowed(tenantId)) return false;
    const tenant = tenantId.toLowerCase();
    return (await this.store.partnerships.list()).some((p) => p.tenantIds.includes(tenant));
  }

  async request(stranger: Stranger): Promise<RequestOutcome> {
    if (!this.tenantAllowed(stranger.tenantId)) return { kind: 'tenant-not-allowed' };
    const tenant = stranger.tenantId.toLowerCase();
    const partnerships = (await this.store.partnerships.list()).filter((p) => p.tenantIds.includes(tenant));
    if (partnerships.length === 0) return { kind: 'no-partnership' };
    const existing = await Promise.all(
      partnerships.map((p) => this.store.accessRequests.get(p.id, stranger.aadObjectId)),
    );
    const open = partnerships.filter((_, i) => existing[i]?.state === 'open');
    if (open.length > 0) return { kind: 'pending', partnerships: open };

    const at = this.clock().toISOString();
    const audit = { actor: stranger.aadObjectId.toLowerCase(), action: 'access.requested', at };
    const sent: { partnership: Partnership; request: AccessRequest; admins: Member[] }[] = [];
    for (const [i, partnership] of partnerships.entries()) {
      const parsed = AccessRequest.safeParse({
        partnershipId: partnership.id,
        aadObjectId: stranger.aadObjectId,
        tenantId: tenant,
        displayName: stranger.displayName,
        serviceUrl: stranger.serviceUrl,
        conversationId: stranger.conversationId,
        botId: stranger.botId,
        state: 'open',
        requestedAt: at,
      });
      if (!parsed.success) {
        // Names fields only: the values are what Teams sent, possibly anything.
        const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))];
        throw new ValidationError(
          `Teams sent a request I cannot store (${fields.join(', ')}). Nothing was sent.`,
          fields,
        );
      }
      const request = parsed.data;
      const before = existing[i];
      try {
        const stored = before
          ? await this.store.accessRequests.replace(request, before.etag, audit)
          : await this.store.accessRequests.create(request, audit);
        sent.push({ partnership, request: plain(stored), admins: await this.admins(partnership.id) });
      } catch (err) {
        // A second press that raced the first: the first one's request stands.
        if (!(err instanceof ConcurrencyError)) throw err;
        return { kind: 'pending', partnerships: [partnership] };
      }
    }
    return { kind: 'requested', sent };
  }

  /** The partnership's active admins, who are sent the request. */
  async admins(partnershipId: string): Promise<Member[]> {
    return (await this.store.members.listByPartnership(partnershipId)).filter(
      (m) => m.active && m.roles.includes('admin'),
    );
  }

  /** Each admin's 1:1 chat with the bot, where one is known, looked up in each of the partnership's tenants. */
  async adminChats(
    partnership: Partnership,
    admins: readonly Member[],
  ): Promise<{ member: Member; ref?: ConversationRef }[]> {
    return Promise.all(
      admins.map(async (member) => {
        for (const tenant of partnership.tenantIds) {
          const ref = await this.store.conversations.findPersonal(tenant, member.aadObjectId);
          if (ref) return { member, ref };
        }
        return { member };
      }),
    );
  }

  /** The request an admin's card names, open and in their partnership. */
  async open(admin: Requester, aadObjectId: string): Promise<Stored<AccessRequest>> {
    const request = await this.store.accessRequests.get(admin.partnership.id, aadObjectId);
    if (!request) throw new NotFoundError('access request', aadObjectId);
    if (request.state !== 'open') {
      const by = request.decidedBy ? await this.store.members.get(request.decidedBy) : undefined;
      throw new ValidationError(
        `${request.displayName}'s request was already ${request.state}` +
          `${by ? ` by ${by.displayName}` : ''}${request.decidedAt ? ` on ${request.decidedAt.slice(0, 10)}` : ''}. Nothing was changed.`,
        ['request'],
      );
    }
    return request;
  }

  /**
   * Approves: every check the member's addition needs is made first, then the request is claimed
   * (conditional on what was read), then the member is added, both audited with the admin as actor.
   */
  async approve(
    admin: Requester,
    aadObjectId: string,
    choice: { agencyId: string; role: Role; clearance: Classification },
  ): Promise<Decided> {
    const request = await this.open(admin, aadObjectId);
    const prepared = await this.onboarding.prepareAdd(
      admin,
      { aadObjectId: request.aadObjectId, displayName: request.displayName },
      choice.agencyId,
      choice.role,
      choice.clearance,
    );
    const decided = await this.decide(admin, request, 'approved');
    return { request: decided, added: await prepared.commit() };
  }

  async decline(admin: Requester, aadObjectId: string, reason: string | undefined): Promise<Decided> {
    const request = await this.open(admin, aadObjectId);
    return { request: await this.decide(admin, request, 'declined', reason) };
  }

  private async decide(
    admin: Requester,
    read: Stored<AccessRequest>,
    state: 'approved' | 'declined',
    reason?: string,
  ): Promise<AccessRequest> {
    const { etag, ...request } = read;
    const at = this.clock().toISOString();
    const next = AccessRequest.parse({
      ...request,
      state,
      decidedAt: at,
      decidedBy: admin.member.aadObjectId,
      ...(reason ? { reason } : {}),
    });
    try {
      return plain(
        await this.store.accessRequests.replace(next, etag, {
          actor: admin.member.aadObjectId,
          action: `access.${state}`,
          at,
        }),
      );
    } catch (err) {
      if (err instanceof ConcurrencyError) {
        throw new ValidationError(
          `Another admin decided ${request.displayName}'s request just now. Nothing was changed.`,
          ['request'],
        );
      }
      throw err;
    }
  }
}

function plain<T>(record: Stored<T>): T {
  const { etag: _etag, ...rest } = record;
  return rest as T;
}
