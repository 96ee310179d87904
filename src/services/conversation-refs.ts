import { createHash } from 'node:crypto';
import type { ConversationRef } from '../domain/conversation.js';
import type { Store } from '../store/store.js';
import type { Clock } from './clock.js';

const REFRESH_MS = 24 * 60 * 60 * 1000;

/**
 * Keeps every conversation's reference up to date for proactive messages (task cards, digests).
 * It is checked on every turn but written only when new, changed, or a day old, so a busy chat
 * does not cost a disk write per message.
 */
export class ConversationRefs {
  private readonly written = new Map<string, { hash: string; at: number }>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async remember(ref: Omit<ConversationRef, 'updatedAt'>): Promise<void> {
    const key = `${ref.tenantId}\u0000${ref.conversationId}`;
    // The reference names the message being answered, a new id on every turn; compared with it,
    // every message would look like a change and cost a write (a synced commit on SQLite).
    const { activityId: _activityId, ...stable } = ref.reference;
    const hash = createHash('sha256')
      .update(JSON.stringify({ ...ref, reference: stable }))
      .digest('hex');
    const now = this.clock();
    const last = this.written.get(key);
    if (last && last.hash === hash && now.getTime() - last.at < REFRESH_MS) return;
    await this.store.conversations.put({ ...ref, updatedAt: now.toISOString() });
    if (this.written.size >= 50_000) this.written.clear();
    this.written.set(key, { hash, at: now.getTime() });
  }

  /**
   * Whether a conversation is this person's own 1:1 chat with the bot: one the bot has been in
   * (a message or install remembered it as personal) and whose user is this person. A message
   * extension's invoke says "personal" for any 1:1 chat, a chat between two people included, so
   * that word alone proves nothing; this stored fact does.
   */
  async isOwnBotChat(
    tenantId: string | undefined,
    conversationId: string,
    aadObjectId: string | undefined,
  ): Promise<boolean> {
    if (!tenantId || !conversationId || !aadObjectId) return false;
    const ref = await this.store.conversations.get(tenantId, conversationId);
    return ref?.kind === 'personal' && ref.aadObjectId === aadObjectId;
  }
}
