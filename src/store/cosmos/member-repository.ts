import type { AuditContext } from '../../domain/audit.js';
import { ConcurrencyError, NotFoundError } from '../../domain/errors.js';
import type { Member } from '../../domain/member.js';
import type { MemberRepository, Stored } from '../store.js';
import { auditDocument } from './audit-events.js';
import type { CosmosContext } from './context.js';
import { recordToStore, storedOf, type Envelope } from './documents.js';
import { byText } from './order.js';
import { pointRead, queryAll } from './reads.js';

/** Object ids are compared in lower case (see AadObjectId); the document id is the lower-case one. */
function memberId(aadObjectId: string): string {
  return aadObjectId.toLowerCase();
}

function memberDocument(member: Member): Envelope<Member> {
  return { id: memberId(member.aadObjectId), type: 'member', partnershipId: member.partnershipId, record: member };
}

/**
 * Members live in their own container, partitioned by object id, so the first read of every turn
 * is a point read. Their audit events live with the partnership's other events, in another
 * container: a change and its event cannot be one batch. The member is written first, then the
 * event; if the second write fails the change stands without its event and the caller gets
 * StoreUnavailableError.
 */
export function memberRepository(ctx: CosmosContext): MemberRepository {
  async function writeAudit(member: Member, before: Member | null, audit: AuditContext): Promise<void> {
    const event = auditDocument(
      {
        partnershipId: member.partnershipId,
        entityType: 'member',
        entityId: member.aadObjectId,
        before,
        after: member,
      },
      audit,
    );
    await ctx.calls.run((options) => ctx.data.items.create(event, options));
  }

  return {
    async get(aadObjectId) {
      const id = memberId(aadObjectId);
      const doc = await pointRead<Member>(ctx.calls, ctx.members, id, id);
      return doc && storedOf(doc);
    },

    /** Across partitions (admin only), a partnership's few hundred members sorted here. */
    async listByPartnership(partnershipId) {
      const members = await queryAll<Member>(
        ctx.calls,
        ctx.members,
        `SELECT VALUE c.record FROM c WHERE c.partnershipId = @partnershipId AND c.type = 'member'`,
        [{ name: '@partnershipId', value: partnershipId }],
      );
      return members.sort(
        byText(
          (m) => m.displayName,
          (m) => m.aadObjectId,
        ),
      );
    },

    async create(member, audit) {
      const record = recordToStore(member);
      const response = await ctx.calls.run((options) => ctx.members.items.create(memberDocument(record), options), {
        409: () => new ConcurrencyError('member', record.aadObjectId),
      });
      await writeAudit(record, null, audit);
      return { ...record, etag: response.etag };
    },

    async replace(member, ifMatch, audit): Promise<Stored<Member>> {
      const record = recordToStore(member);
      const id = memberId(record.aadObjectId);
      const current = await pointRead<Member>(ctx.calls, ctx.members, id, id);
      if (!current) throw new NotFoundError('member', record.aadObjectId);
      if (current._etag !== ifMatch) throw new ConcurrencyError('member', record.aadObjectId);
      const response = await ctx.calls.run(
        (options) =>
          ctx.members.item(id, id).replace(memberDocument(record), {
            ...options,
            accessCondition: { type: 'IfMatch', condition: ifMatch },
          }),
        {
          412: () => new ConcurrencyError('member', record.aadObjectId),
          404: () => new NotFoundError('member', record.aadObjectId),
        },
      );
      await writeAudit(record, current.record, audit);
      return { ...record, etag: response.etag };
    },
  };
}
