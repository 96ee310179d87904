import { z } from 'zod';
import { Classification } from './classification.js';
import { AadObjectId, IsoDateTime, Slug, boundedText } from './text.js';

/**
 * What a member does in the partnership. A member may hold several roles.
 * - officer: frontline or neighbourhood officer; reads the picture.
 * - partner: a partner agency's member; updates the gaps and actions their agency owns.
 * - coordinator: runs the profile and plan: creates and assigns gaps and actions, records reviews.
 * - board: partnership board member; reads everything OFFICIAL, asks for digests.
 * - admin: manages members, agencies, board channels and imports.
 */
export const Role = z.enum(['admin', 'coordinator', 'partner', 'officer', 'board']);
export type Role = z.infer<typeof Role>;

export const Member = z.strictObject({
  aadObjectId: AadObjectId,
  partnershipId: Slug,
  agencyId: Slug,
  /** Shown as an owner on cards. Staff of the partnership only: never suspects, victims or nominals. */
  displayName: boundedText(120),
  roles: z.array(Role).min(1, 'a member needs at least one role'),
  clearance: Classification.default('OFFICIAL'),
  active: z.boolean().default(true),
  /** Set by `reminders off`: no due-date reminders (assignments and escalations still arrive). */
  remindersOff: z.boolean().optional(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Member = z.infer<typeof Member>;
