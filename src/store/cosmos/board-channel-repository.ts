import type { BoardChannel } from '../../domain/conversation.js';
import type { BoardChannelRepository } from '../store.js';
import { httpStatusOf } from './calls.js';
import type { CosmosContext } from './context.js';
import { docId, epochMs, recordToStore, sha256Hex, type Envelope } from './documents.js';
import { queryAll } from './reads.js';

function boardChannelId(conversationId: string): string {
  return docId('board', sha256Hex(conversationId));
}

export function boardChannelRepository(ctx: CosmosContext): BoardChannelRepository {
  return {
    async put(channel) {
      const record = recordToStore(channel);
      const document: Envelope<BoardChannel> = {
        id: boardChannelId(record.conversationId),
        type: 'board',
        partnershipId: record.partnershipId,
        addedMs: epochMs(record.addedAt, 'addedAt'),
        record,
      };
      await ctx.calls.run((options) => ctx.data.items.upsert(document, options));
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

    /** Removing a channel that is not there is done already. */
    async remove(partnershipId, conversationId) {
      await ctx.calls.run(async (options) => {
        try {
          await ctx.data.item(boardChannelId(conversationId), partnershipId).delete(options);
        } catch (err) {
          if (httpStatusOf(err) !== 404) throw err;
        }
      });
    },
  };
}
