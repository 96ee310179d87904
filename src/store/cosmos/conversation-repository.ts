import type { ConversationRef } from '../../domain/conversation.js';
import type { ConversationRepository } from '../store.js';
import type { CosmosContext } from './context.js';
import { epochMs, recordToStore, sha256Hex, type Envelope } from './documents.js';
import { pointRead, queryAll } from './reads.js';

function conversationDocument(ref: ConversationRef): Envelope<ConversationRef> {
  return {
    id: sha256Hex(ref.conversationId),
    type: 'conversation',
    tenantId: ref.tenantId,
    updatedMs: epochMs(ref.updatedAt, 'updatedAt'),
    record: ref,
  };
}

/** Conversation references by tenant: written on every turn, read for proactive sends. */
export function conversationRepository(ctx: CosmosContext): ConversationRepository {
  return {
    async put(ref) {
      const document = conversationDocument(recordToStore(ref));
      await ctx.calls.run((options) => ctx.conversations.items.upsert(document, options));
    },

    async get(tenantId, conversationId) {
      const doc = await pointRead<ConversationRef>(ctx.calls, ctx.conversations, sha256Hex(conversationId), tenantId);
      return doc?.record;
    },

    async findPersonal(tenantId, aadObjectId) {
      const [ref] = await queryAll<ConversationRef>(
        ctx.calls,
        ctx.conversations,
        `SELECT TOP 1 VALUE c.record FROM c
         WHERE c.tenantId = @tenantId AND c.type = 'conversation'
           AND c.record.kind = 'personal' AND c.record.aadObjectId = @aadObjectId
         ORDER BY c.updatedMs DESC`,
        [
          { name: '@tenantId', value: tenantId },
          { name: '@aadObjectId', value: aadObjectId },
        ],
        tenantId,
      );
      return ref;
    },
  };
}
