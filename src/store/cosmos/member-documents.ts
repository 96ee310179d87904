import type { OperationInput } from '@azure/cosmos';
import { ValidationError } from '../../domain/errors.js';
import type { Member } from '../../domain/member.js';
import { MAX_BATCH_BYTES, op } from './batch.js';
import type { CosmosContext } from './context.js';
import { docId, type Envelope, type ReadDocument } from './documents.js';
import { byText } from './order.js';
import { pointRead } from './reads.js';

/**
 * How members sit in Cosmos DB (see containers.ts for why):
 * - the member, `member:<object id>` in the partnership's partition of `partnership-data`, beside
 *   its audit events, so a change and its event are one batch;
 * - the roster, `roster:members` in the same partition: every member of the partnership in one
 *   document, ordered by display name then object id, rewritten in the same batch as any member
 *   change, so listing the partnership's people is one point read;
 * - the pointer, keyed by object id in `members` (partitioned by `/id`): object id → partnership,
 *   for the first read of a turn, when only the sender's object id is known.
 */

/** Object ids are compared in lower case (see AadObjectId); ids are built from the lower-case one. */
export function memberKey(aadObjectId: string): string {
  return aadObjectId.toLowerCase();
}

export const ROSTER_ID = docId('roster', 'members');

export interface Roster {
  members: Member[];
}

export interface MemberPointer {
  aadObjectId: string;
  partnershipId: string;
}

/** What the `members` container held before members moved into the partnership's partition. */
export type LegacyMemberDocument = ReadDocument<Member> & { type: 'member'; partnershipId: string };

export type PointerDocument = ReadDocument<MemberPointer> & { type: 'member-pointer'; partnershipId: string };

export function memberDocId(aadObjectId: string): string {
  return docId('member', memberKey(aadObjectId));
}

export function memberDocument(member: Member): Envelope<Member> {
  return { id: memberDocId(member.aadObjectId), type: 'member', partnershipId: member.partnershipId, record: member };
}

export function pointerDocument(aadObjectId: string, partnershipId: string): Envelope<MemberPointer> {
  return {
    id: memberKey(aadObjectId),
    type: 'member-pointer',
    partnershipId,
    record: { aadObjectId: memberKey(aadObjectId), partnershipId },
  };
}

/**
 * The roster leaves room in its batch for the member and its audit event (each holds a member or
 * two, well under 10 KB): about 4,000 members at ~350 bytes each, far above any partnership.
 */
const MAX_ROSTER_BYTES = MAX_BATCH_BYTES - 100_000;

/** The roster with `member` put in (or replacing the one of the same object id), in list order. */
export function rosterWith(roster: Roster | undefined, member: Member): Roster {
  const key = memberKey(member.aadObjectId);
  const others = (roster?.members ?? []).filter((m) => memberKey(m.aadObjectId) !== key);
  return {
    members: [...others, member].sort(
      byText(
        (m) => m.displayName,
        (m) => m.aadObjectId,
      ),
    ),
  };
}

export async function readRoster(ctx: CosmosContext, partnershipId: string): Promise<ReadDocument<Roster> | undefined> {
  return pointRead<Roster>(ctx.calls, ctx.data, ROSTER_ID, partnershipId);
}

/**
 * The batch operation that writes the roster: a create when the partnership has none yet, else a
 * replace on the etag read. It goes first in every member batch: all member writes of a
 * partnership pass through it, so a concurrent change of any member fails it (412 or 409) before
 * anything else in the batch is tried.
 */
export function rosterOperation(
  partnershipId: string,
  current: ReadDocument<Roster> | undefined,
  member: Member,
): OperationInput {
  const document: Envelope<Roster> = {
    id: ROSTER_ID,
    type: 'roster',
    partnershipId,
    record: rosterWith(current?.record, member),
  };
  if (Buffer.byteLength(JSON.stringify(document), 'utf8') > MAX_ROSTER_BYTES) {
    throw new ValidationError(`partnership ${partnershipId} has more members than one roster document can hold`, [
      'members',
    ]);
  }
  return current ? op.replace(document, current._etag) : op.create(document);
}
