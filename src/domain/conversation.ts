import { z } from 'zod';
import { IsoDateTime, Slug } from './text.js';

export const ConversationKind = z.enum(['personal', 'groupChat', 'channel']);
export type ConversationKind = z.infer<typeof ConversationKind>;

/**
 * Where the bot can speak later without being spoken to (task cards, digests, reminders): the
 * Bot Framework conversation reference, stored on every turn.
 */
export const ConversationRef = z.object({
  tenantId: z.string().min(1),
  conversationId: z.string().min(1).max(1024),
  kind: ConversationKind,
  /** The user of a personal chat, so a task card can find its owner. */
  aadObjectId: z.string().optional(),
  teamId: z.string().optional(),
  channelId: z.string().optional(),
  serviceUrl: z.string().url(),
  /** The Bot Framework ConversationReference as botbuilder builds it. */
  reference: z.record(z.unknown()),
  updatedAt: IsoDateTime,
});
export type ConversationRef = z.infer<typeof ConversationRef>;

/** A board channel names at most this many districts; more than that, subscribe the partnership. */
export const MAX_BOARD_DISTRICTS = 50;

/** The partnership board's channel, which receives the weekly digest. */
export const BoardChannel = z.object({
  partnershipId: Slug,
  tenantId: z.string().min(1),
  conversationId: z.string().min(1).max(1024),
  name: z.string().max(200).optional(),
  /** ISO weekday, 1 = Monday. */
  digestWeekday: z.number().int().min(1).max(7).default(1),
  /** Hour of day, UK local time. */
  digestHour: z.number().int().min(0).max(23).default(8),
  digestMinute: z.number().int().min(0).max(59).default(0),
  /** The districts the digest covers; absent means every district of the partnership. */
  districtIds: z.array(Slug).min(1).max(MAX_BOARD_DISTRICTS).optional(),
  /** Slots before this instant are not sent (a channel subscribed on Wednesday waits for Monday). */
  scheduleFrom: IsoDateTime.optional(),
  addedBy: z.string().min(1),
  addedAt: IsoDateTime,
});
export type BoardChannel = z.infer<typeof BoardChannel>;
