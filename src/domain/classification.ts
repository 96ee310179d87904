import { z } from 'zod';

/**
 * Government Security Classifications. The guidance (principle 4) recommends OFFICIAL so that
 * partners can act on a profile quickly; OFFICIAL-SENSITIVE is for the exceptions.
 */
export const Classification = z.enum(['OFFICIAL', 'OFFICIAL-SENSITIVE']);
export type Classification = z.infer<typeof Classification>;

export const DEFAULT_CLASSIFICATION: Classification = 'OFFICIAL';

const RANK: Record<Classification, number> = { OFFICIAL: 0, 'OFFICIAL-SENSITIVE': 1 };

export function higherOf(a: Classification, b: Classification): Classification {
  return RANK[a] >= RANK[b] ? a : b;
}

export function covers(clearance: Classification, classification: Classification): boolean {
  return RANK[clearance] >= RANK[classification];
}
