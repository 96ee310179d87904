import { z } from 'zod';
import { IsoDateTime, Slug } from './text.js';

/**
 * A task card that waits for its owner's personal install of the app (made through Microsoft
 * Graph when they had no 1:1 chat with the bot). Kept in the store, so whichever instance
 * receives Teams' conversationUpdate for that install delivers it, once, even after a restart.
 * One per (partnership, person, task reference): assigning the same task again replaces it.
 */
export const AwaitingInstall = z.object({
  partnershipId: Slug,
  tenantId: z.string().min(1),
  /** The person the app was installed for (lower case). */
  aadObjectId: z.string().min(1),
  /** The gap or action reference whose card waits. */
  ref: z.string().min(1),
  /** Who assigned it: the card says so, and is built as they would see it sent. */
  assignedBy: z.string().min(1),
  requestedAt: IsoDateTime,
  /** After this the card is no longer sent (the task still waits in `my tasks`). */
  expiresAt: IsoDateTime,
});
export type AwaitingInstall = z.infer<typeof AwaitingInstall>;

/**
 * How long a card waits for Teams' conversationUpdate after a Graph install. Teams sends it within
 * seconds; a day covers an outage on either side without sending a stale card a week later.
 */
export const AWAITING_INSTALL_MS = 24 * 60 * 60 * 1000;

/** The audit trail's actor for a waiting card delivered (or dropped) when the install arrived. */
export const SYSTEM_APP_INSTALL = 'system:app-install';
