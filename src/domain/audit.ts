import { z } from 'zod';
import { IsoDateTime, Slug } from './text.js';

/**
 * Governance (guidance principle 5) needs accountability: every change to a gap, action, profile,
 * membership, agency, access request, board channel (where partnership data is posted) or partnership
 * setting records who made it, what it was, when, and the record before and after. `app-install` (id: the
 * person's object id) records the bot installing itself for someone through Microsoft Graph, and the
 * task card that waited for it.
 */
export const AuditEntity = z.enum([
  'gap',
  'action',
  'profile',
  'member',
  'board-channel',
  'agency',
  'access-request',
  'partnership',
  'app-install',
]);
export type AuditEntity = z.infer<typeof AuditEntity>;

export const AuditEvent = z.object({
  id: z.string().uuid(),
  partnershipId: Slug,
  entityType: AuditEntity,
  /** The gap or action reference, the district id of a profile, a member's object id (also of an app install or access request), a channel's conversation id, or the partnership's id. */
  entityId: z.string().min(1),
  /** What happened, as a verb: "gap.created", "action.status", "profile.reviewed". */
  action: z.string().regex(/^[a-z]+\.[a-z-]+$/),
  /** An Azure AD object id, or "system:<job>" for imports and scheduled work. */
  actor: z.string().min(1),
  at: IsoDateTime,
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

/** What a caller says about a change; the store fills in the rest (ids, before and after). */
export interface AuditContext {
  actor: string;
  action: string;
  at: string;
}

export const SYSTEM_IMPORT = 'system:import';
