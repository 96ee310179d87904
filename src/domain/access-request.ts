import { z } from 'zod';
import { AadObjectId, IsoDateTime, Slug, boundedText } from './text.js';

/**
 * A stranger's request to join a partnership (issue 16): pressed on the "not a member" card in
 * their 1:1 chat. It holds only what Teams gave about them (object id, tenant, display name) and
 * where their 1:1 chat is, so the outcome can be told there; nothing they typed. One record per
 * person per partnership: a request decided and pressed again is reopened, never duplicated.
 */
export const AccessRequestState = z.enum(['open', 'approved', 'declined']);
export type AccessRequestState = z.infer<typeof AccessRequestState>;

export const AccessRequest = z.strictObject({
  partnershipId: Slug,
  aadObjectId: AadObjectId,
  tenantId: z.string().uuid(),
  /** The display name Teams gave; shown to the partnership's admins. */
  displayName: boundedText(120),
  /** The requester's 1:1 chat with the bot, as Teams addressed it. */
  serviceUrl: z.string().url().max(512),
  conversationId: z.string().min(1).max(1024),
  /** The bot's Teams id in that chat (28:…), which the outcome is sent from. */
  botId: z.string().min(1).max(200),
  state: AccessRequestState,
  requestedAt: IsoDateTime,
  decidedAt: IsoDateTime.optional(),
  /** The admin who decided it (object id). */
  decidedBy: z.string().optional(),
  /** A decline's reason, as the admin typed it (optional); told to the requester. */
  reason: boundedText(300).optional(),
});
export type AccessRequest = z.infer<typeof AccessRequest>;
