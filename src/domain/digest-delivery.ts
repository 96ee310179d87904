import { z } from 'zod';
import { IsoDate, IsoDateTime, Slug } from './text.js';

/**
 * A job lease: the one instance that holds it (and has not let it expire) runs the job for the
 * partnership. Instances that find it held by another skip the run.
 */
export const JobLease = z.object({
  partnershipId: Slug,
  /** The job, e.g. "digest". */
  name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/),
  /** Which instance holds it (a random id per process). */
  owner: z.string().min(1).max(200),
  expiresAt: IsoDateTime,
});
export type JobLease = z.infer<typeof JobLease>;

/**
 * pending: composed and about to be sent (written before the send, so a crash in between is
 *   found and finished on restart, never composed and sent twice);
 * sent: the connector accepted it;
 * failed: the last attempt failed after its retries; the next run tries again.
 */
export const DeliveryState = z.enum(['pending', 'sent', 'failed']);
export type DeliveryState = z.infer<typeof DeliveryState>;

/** One weekly digest to one board channel: at most one per channel per week. */
export const DigestDelivery = z.object({
  partnershipId: Slug,
  conversationId: z.string().min(1).max(1024),
  /** The local (Europe/London) date of the scheduled slot: the week's key. */
  week: IsoDate,
  /** The slot itself, as a UTC instant. */
  dueAt: IsoDateTime,
  state: DeliveryState,
  attempts: z.number().int().nonnegative(),
  /** The composed card, kept until it is sent so a retry sends exactly what was composed. */
  card: z.record(z.unknown()).optional(),
  /** Why the last attempt failed: an HTTP status or error code, never message text. */
  lastError: z.string().max(200).optional(),
  sentAt: IsoDateTime.optional(),
  updatedAt: IsoDateTime,
});
export type DigestDelivery = z.infer<typeof DigestDelivery>;
