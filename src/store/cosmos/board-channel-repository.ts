import type { BoardChannel } from '../../domain/conversation.js';
import type { BoardChannelRepository } from '../store.js';
import { auditDocument } from './audit-events.js';
import { upsertAudited } from './audited-writes.js';
import { batchFailed, op, runBatch } from './batch.js';
import type { CosmosContext } from './context.js';
import { docId, epochMs, recordToStore, sha256Hex, type Envelope } from './documents.js';
import { pointRead, queryAll } from './reads.js';

function boardChannelId(conversationId: string): string {
  return docId('board', sha256Hex(conversationId));
}

/**
 * Board channels live in the partnership's partition, so a change and its audit event are one
 * TransactionalBatch: both are written, or neither.
 */
export function boardChannelRepository(ctx: CosmosContext): BoardChannelRepository {
  const current = (partnershipId: string, conversationId: string) =>
    pointRead<BoardChannel>(ctx.calls, ctx.data, boardChannelId(conversationId), partnershipId);

  return {
    async put(channel, audit) {
      const record = recordToStore(channel);
      const document: Envelope<BoardChannel> = {
        id: boardChannelId(record.conversationId),
        type: 'board',
        partnershipId: record.partnershipId,
        addedMs: epochMs(record.addedAt, 'addedAt'),
        record,
      };
      await upsertAudited(
        ctx,
        { entity: 'board-channel', key: record.conversationId, partnershipId: record.partnershipId, document },
        audit,
      );
    },

    async list(partnershipId) {
      return queryAll<BoardChannel>(
        ctx.calls,
        ctx.data,
        `SELECT VALUE c.record FROM c
         WHERE c.partnershipId = @partnershipId AND c.type = 'board'
         ORDER BY c.addedMs ASC, c.record.conversationId ASC`,
        [{ name: '@partnershipId', value: partnershipId }],
        partnershipId,
      );
    },

    /** Removing a channel that is not there is done already, and audits nothing. */
    async remove(partnershipId, conversationId, audit) {
      const before = await current(partnershipId, conversationId);
      if (!before) return;
      const event = auditDocument(
        { partnershipId, entityType: 'board-channel', entityId: conversationId, before: before.record, after: null },
        audit,
        ctx.auditTtlSeconds,
      );
      const outcome = await runBatch(ctx.calls, ctx.data, partnershipId, [
        op.delete(boardChannelId(conversationId)),
        op.create(event),
      ]);
      // Removed by someone else in between: it is gone, which is what was asked.
      if (!outcome.ok && !(outcome.index === 0 && outcome.status === 404)) throw batchFailed(outcome);
    },
  };
}
