import { z } from 'zod';
import { IsoDateTime, Slug } from './text.js';

/**
 * A job lease: the one instance that holds it (and has not let it lapse) runs the job for the
 * partnership. Instances that find it held by another skip the run. How old it is, is judged by
 * the store's clock (Cosmos DB: the document's `_ts`; SQLite: the store's own clock inside the
 * transaction), never by an instance's: instances' clocks disagree by minutes.
 */
export const JobLease = z.object({
  partnershipId: Slug,
  /** The job, e.g. "digest". */
  name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/),
  /** Which instance holds it (a random id per process). */
  owner: z.string().min(1).max(200),
  /** How long after `renewedAt` another instance may take it. */
  ttlMs: z.number().int().positive(),
  /** When the holder last took or renewed it, by the store's clock. */
  renewedAt: IsoDateTime,
});
export type JobLease = z.infer<typeof JobLease>;

/**
 * pending: composed and waiting to be sent (written before the send, so a crash in between is
 *   found and finished on restart, never composed and sent twice);
 * sending: claimed by one instance (`claimedBy`, `claimedAt` by the store's clock), which is
 *   sending it; another instance takes it over only once the claim is stale (its holder died);
 * sent: the connector accepted it;
 * failed: the last attempt failed after its retries; the next run tries again.
 */
export const DeliveryState = z.enum(['pending', 'sending', 'sent', 'failed']);
export type DeliveryState = z.infer<typeof DeliveryState>;

/**
 * The record's key within its channel. Weekly: the London date of the Monday of the slot's ISO
 * week, so a channel gets one weekly digest per ISO week whatever its schedule becomes. Asked for
 * (`digest now`): that Monday, `.now.` and the request's epoch milliseconds, beside the weekly one.
 */
export const DeliveryKey = z.string().regex(/^\d{4}-\d{2}-\d{2}(?:\.now\.\d{1,16})?$/);

/** One digest to one board channel: at most one weekly per channel per ISO week, plus any asked for. */
export const DigestDelivery = z.object({
  partnershipId: Slug,
  conversationId: z.string().min(1).max(1024),
  week: DeliveryKey,
  /** Absent: the weekly digest. `requested`: asked for with `digest now`. */
  kind: z.enum(['weekly', 'requested']).optional(),
  /** Who asked for it (`requested` only). */
  requestedBy: z.string().max(200).optional(),
  /** The weekly slot, or when it was asked for, as a UTC instant. */
  dueAt: IsoDateTime,
  /** The span it reports on, for a requested digest composed after the turn that asked. */
  period: z.object({ from: IsoDateTime, to: IsoDateTime }).optional(),
  state: DeliveryState,
  claimedBy: z.string().min(1).max(200).optional(),
  claimedAt: IsoDateTime.optional(),
  attempts: z.number().int().nonnegative(),
  /** The composed card, kept until it is sent so a retry sends exactly what was composed. */
  card: z.record(z.unknown()).optional(),
  /** Why the last attempt failed: an HTTP status or error code, never message text. */
  lastError: z.string().max(200).optional(),
  sentAt: IsoDateTime.optional(),
  updatedAt: IsoDateTime,
});
export type DigestDelivery = z.infer<typeof DigestDelivery>;
