import { z } from 'zod';
import { Slug, boundedText } from './text.js';

/** ONS GSS codes: E05 wards, E08/E06/E07/E09 local authorities, E01 LSOAs, and Welsh W-codes. */
export const GssCode = z.string().regex(/^[EWSN]\d{8}$/, 'must be an ONS GSS code such as E05000886');

/**
 * The area a profile covers. Guidance 3.9: profiles work best for small areas, for every district,
 * not only where a threat is already known. Here a district is an electoral ward.
 */
export const District = z.strictObject({
  id: Slug,
  partnershipId: Slug,
  name: boundedText(120),
  onsCodes: z.strictObject({
    ward: GssCode.optional(),
    localAuthority: GssCode.optional(),
    lsoas: z.array(GssCode).default([]),
  }),
  localAuthorityName: boundedText(120).optional(),
  population: z.number().int().nonnegative(),
  /** Which estimate the population is (e.g. "ONS mid-2015, IoD 2019 denominators"). */
  populationSource: boundedText(200).optional(),
});
export type District = z.infer<typeof District>;

/** "Church (Sefton)": the name people see when two districts share a name. */
export function districtLabel(d: Pick<District, 'name' | 'localAuthorityName'>): string {
  return d.localAuthorityName ? `${d.name} (${d.localAuthorityName})` : d.name;
}
