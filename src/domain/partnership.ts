import { z } from 'zod';
import { ReminderSettings } from './reminder-settings.js';
import { IsoDateTime, Slug, boundedText } from './text.js';

/** The partnership that owns and oversees the profiles (guidance 3.8): a CSP or SOC board. */
export const Partnership = z.strictObject({
  id: Slug,
  name: boundedText(120),
  /** The police force that coordinates the profiles' development (guidance 3.8). */
  force: boundedText(120),
  /** Microsoft Entra tenants whose members may use this partnership; empty means any. */
  tenantIds: z.array(z.string().uuid()).default([]),
  /** Demo data is labelled as such on every card, so nobody mistakes it for a real profile. */
  demo: z.boolean().default(false),
  /** Lead time and escalation threshold for reminders; absent means the defaults (7 and 14 days). */
  reminders: ReminderSettings.optional(),
  createdAt: IsoDateTime,
});
export type Partnership = z.infer<typeof Partnership>;

/** Sectors named in guidance 3.2 (and 3.10 for local authorities). */
export const Sector = z.enum([
  'police',
  'local-authority',
  'health',
  'education',
  'probation',
  'prisons',
  'immigration',
  'fire',
  'voluntary',
  'private',
  'other',
]);
export type Sector = z.infer<typeof Sector>;

export const SECTOR_LABELS: Record<Sector, string> = {
  police: 'Police',
  'local-authority': 'Local authority',
  health: 'Health',
  education: 'Education',
  probation: 'Probation',
  prisons: 'Prisons',
  immigration: 'Immigration',
  fire: 'Fire and rescue',
  voluntary: 'Voluntary sector',
  private: 'Private sector',
  other: 'Other',
};

export const Agency = z.strictObject({
  id: Slug,
  partnershipId: Slug,
  name: boundedText(120),
  sector: Sector,
});
export type Agency = z.infer<typeof Agency>;
