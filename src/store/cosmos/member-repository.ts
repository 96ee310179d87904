import type { AuditContext } from '../../domain/audit.js';
import { ConcurrencyError, NotFoundError, ValidationError } from '../../domain/errors.js';
import type { Member } from '../../domain/member.js';
import type { MemberRepository, Stored } from '../store.js';
import { auditDocument } from './audit-events.js';
import { batchFailed, op, runBatch } from './batch.js';
import type { CosmosContext } from './context.js';
import { recordToStore, storedOf, type ReadDocument } from './documents.js';
import {
  memberDocId,
  memberDocument,
  memberKey,
  pointerDocument,
  readRoster,
  rosterOperation,
  type LegacyMemberDocument,
  type MemberPointer,
  type PointerDocument,
} from './member-documents.js';
import { migrateLegacyMember } from './member-migration.js';
import { pointRead } from './reads.js';
import { MAX_COUNTER_ATTEMPTS, backOff, isLostRace } from './references.js';

/**
 * Members in their partnership's partition (member-documents.ts): a create or replace is one
 * TransactionalBatch of three operations, all or none: the roster (IfMatch), the member (create,
 * or IfMatch), the audit event. The pointer in `members` is written before the batch on a create;
 * a pointer whose batch then failed points at a partition with no such member, which reads as
 * "not a member" and is taken over by the next create.
 */
export function memberRepository(ctx: CosmosContext): MemberRepository {
  async function readPointer(aadObjectId: string): Promise<PointerDocument | LegacyMemberDocument | undefined> {
    const id = memberKey(aadObjectId);
    return (await pointRead<MemberPointer | Member>(ctx.calls, ctx.members, id, id)) as
      PointerDocument | LegacyMemberDocument | undefined;
  }

  /** The partnership a member belongs to, moving a member still in the old layout first. */
  async function partnershipOf(aadObjectId: string): Promise<string | undefined> {
    const pointer = await readPointer(aadObjectId);
    if (!pointer) return undefined;
    if (pointer.type === 'member') await migrateLegacyMember(ctx, pointer);
    return pointer.partnershipId;
  }

  async function readMember(aadObjectId: string, partnershipId: string): Promise<ReadDocument<Member> | undefined> {
    return pointRead<Member>(ctx.calls, ctx.data, memberDocId(aadObjectId), partnershipId);
  }

  /**
   * Points the object id at `partnershipId` before its member is created there. A pointer at
   * another partnership that holds this member means the member exists; one at a partnership
   * without it is left from a create whose batch failed, and is taken over.
   */
  async function claimPointer(aadObjectId: string, partnershipId: string): Promise<void> {
    const id = memberKey(aadObjectId);
    const wanted = pointerDocument(aadObjectId, partnershipId);
    for (let attempt = 0; attempt < MAX_COUNTER_ATTEMPTS; attempt++) {
      const pointer = await readPointer(aadObjectId);
      if (pointer?.partnershipId === partnershipId && pointer.type === 'member-pointer') return;
      if (pointer?.type === 'member') await migrateLegacyMember(ctx, pointer);
      if (pointer && (pointer.type === 'member' || (await readMember(aadObjectId, pointer.partnershipId)))) {
        throw new ConcurrencyError('member', aadObjectId);
      }
      const written = await ctx.calls
        .run(
          async (options) => {
            if (!pointer) await ctx.members.items.create(wanted, options);
            else {
              await ctx.members
                .item(id, id)
                .replace(wanted, { ...options, accessCondition: { type: 'IfMatch', condition: pointer._etag } });
            }
            return true;
          },
          {
            409: () => new ConcurrencyError('member', aadObjectId),
            412: () => new ConcurrencyError('member', aadObjectId),
          },
        )
        .catch((err: unknown) => {
          if (err instanceof ConcurrencyError) return false;
          throw err;
        });
      if (written) return;
      await backOff(attempt);
    }
    throw new ConcurrencyError('member', aadObjectId);
  }

  /**
   * The batch: roster, member, audit event. Before it, the member as it stands is read and
   * checked (exists or not, etag), so a refusal writes nothing; a roster changed meanwhile by
   * another member's change fails the batch at its first operation, and the whole is tried again
   * from fresh reads.
   */
  async function write(record: Member, ifMatch: string | undefined, audit: AuditContext): Promise<Stored<Member>> {
    const pid = record.partnershipId;
    const key = record.aadObjectId;
    for (let attempt = 0; attempt < MAX_COUNTER_ATTEMPTS; attempt++) {
      const [roster, current] = await Promise.all([readRoster(ctx, pid), readMember(key, pid)]);
      if (ifMatch === undefined && current) throw new ConcurrencyError('member', key);
      if (ifMatch !== undefined && !current) throw new NotFoundError('member', key);
      if (ifMatch !== undefined && current!._etag !== ifMatch) throw new ConcurrencyError('member', key);
      const document = memberDocument(record);
      const event = auditDocument(
        { partnershipId: pid, entityType: 'member', entityId: key, before: current?.record ?? null, after: record },
        audit,
        ctx.auditTtlSeconds,
      );
      const outcome = await runBatch(ctx.calls, ctx.data, pid, [
        rosterOperation(pid, roster, record),
        ifMatch === undefined ? op.create(document) : op.replace(document, ifMatch),
        op.create(event),
      ]);
      if (outcome.ok) return { ...record, etag: outcome.etags[1]! };
      if (outcome.index === 0 && isLostRace(outcome.status)) {
        await backOff(attempt);
        continue;
      }
      if (outcome.index === 1 && (outcome.status === 409 || outcome.status === 412)) {
        throw new ConcurrencyError('member', key);
      }
      if (outcome.index === 1 && outcome.status === 404) throw new NotFoundError('member', key);
      throw batchFailed(outcome);
    }
    throw new ConcurrencyError('member', key);
  }

  return {
    /** Two point reads: the pointer (object id → partnership), then the member in its partition. */
    async get(aadObjectId) {
      const pid = await partnershipOf(aadObjectId);
      if (pid === undefined) return undefined;
      const doc = await readMember(aadObjectId, pid);
      return doc && storedOf(doc);
    },

    /** One point read: the roster, kept in list order. */
    async listByPartnership(partnershipId) {
      return (await readRoster(ctx, partnershipId))?.record.members ?? [];
    },

    async create(member, audit) {
      const record = recordToStore(member);
      await claimPointer(record.aadObjectId, record.partnershipId);
      return write(record, undefined, audit);
    },

    async replace(member, ifMatch, audit): Promise<Stored<Member>> {
      const record = recordToStore(member);
      const pid = await partnershipOf(record.aadObjectId);
      if (pid === undefined) throw new NotFoundError('member', record.aadObjectId);
      if (pid !== record.partnershipId) {
        throw new ValidationError(
          `member ${record.aadObjectId} belongs to partnership ${pid}; a member belongs to one partnership`,
          ['partnershipId'],
        );
      }
      return write(record, ifMatch, audit);
    },
  };
}
