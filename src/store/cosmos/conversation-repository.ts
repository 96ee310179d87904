import type { ConversationRef } from '../../domain/conversation.js';
import { ConcurrencyError } from '../../domain/errors.js';
import type { ConversationRepository } from '../store.js';
import type { CosmosContext } from './context.js';
import { docId, epochMs, recordToStore, sha256Hex, type Envelope, type ReadDocument } from './documents.js';
import { pointRead } from './reads.js';
import { MAX_COUNTER_ATTEMPTS, backOff } from './references.js';

function conversationDocument(ref: ConversationRef): Envelope<ConversationRef> {
  return {
    id: sha256Hex(ref.conversationId),
    type: 'conversation',
    tenantId: ref.tenantId,
    updatedMs: epochMs(ref.updatedAt, 'updatedAt'),
    record: ref,
  };
}

/**
 * A user's 1:1 chat with the bot, found by a point read: its id is derived from the object id
 * (lower case, as object ids are compared), in the tenant's partition. It holds the most recently
 * updated of the user's personal chats, so a task card to 60 people is 60 point reads, never a
 * query.
 */
export function personalId(aadObjectId: string): string {
  return docId('personal', aadObjectId.toLowerCase());
}

function personalDocument(ref: ConversationRef & { aadObjectId: string }): Envelope<ConversationRef> {
  return { ...conversationDocument(ref), id: personalId(ref.aadObjectId), type: 'personal' };
}

/**
 * Keeps the user's personal document on the newest of their personal chats: written unless it
 * holds another chat updated later. Conditional on the etag read, so two instances writing two
 * chats at once cannot leave the older one.
 */
export async function keepPersonal(ctx: CosmosContext, ref: ConversationRef): Promise<void> {
  if (ref.kind !== 'personal' || !ref.aadObjectId) return;
  const document = personalDocument({ ...ref, aadObjectId: ref.aadObjectId });
  for (let attempt = 0; attempt < MAX_COUNTER_ATTEMPTS; attempt++) {
    const current = await pointRead<ConversationRef>(ctx.calls, ctx.conversations, document.id, ref.tenantId);
    const newer =
      current !== undefined &&
      current.record.conversationId !== ref.conversationId &&
      (current as ReadDocument<ConversationRef> & { updatedMs: number }).updatedMs > (document.updatedMs as number);
    if (newer) return;
    const written = await ctx.calls
      .run(
        async (options) => {
          if (current) {
            await ctx.conversations.item(document.id, ref.tenantId).replace(document, {
              ...options,
              accessCondition: { type: 'IfMatch', condition: current._etag },
            });
          } else {
            await ctx.conversations.items.create(document, options);
          }
          return true;
        },
        {
          409: () => new ConcurrencyError('conversation', document.id),
          412: () => new ConcurrencyError('conversation', document.id),
        },
      )
      .catch((err: unknown) => {
        if (err instanceof ConcurrencyError) return false;
        throw err;
      });
    if (written) return;
    await backOff(attempt);
  }
  throw new ConcurrencyError('conversation', document.id);
}

/** Conversation references by tenant: written on every turn, read for proactive sends. */
export function conversationRepository(ctx: CosmosContext): ConversationRepository {
  return {
    async put(ref) {
      const clean = recordToStore(ref);
      const document = conversationDocument(clean);
      await ctx.calls.run((options) => ctx.conversations.items.upsert(document, options));
      await keepPersonal(ctx, clean);
    },

    async get(tenantId, conversationId) {
      const doc = await pointRead<ConversationRef>(ctx.calls, ctx.conversations, sha256Hex(conversationId), tenantId);
      return doc?.record;
    },

    async findPersonal(tenantId, aadObjectId) {
      const doc = await pointRead<ConversationRef>(ctx.calls, ctx.conversations, personalId(aadObjectId), tenantId);
      return doc?.record;
    },
  };
}
