/**
 * Which district a crime's LSOA falls in, when crime and lookup may be on different LSOA vintages
 * (police.uk moved to 2021 LSOAs; a partnership may still hold last decade's lookup, or import an
 * old month against this year's). Nothing is dropped in silence: an LSOA is placed in a ward, or
 * known to lie outside the partnership, or reported as not placed.
 */
export type Placement =
  | { kind: 'ward'; ward: string }
  /** Placed through the ONS LSOA change lookup: all its counterparts lie in one ward. */
  | { kind: 'moved'; ward: string }
  /** In another authority: the lookup puts it (or all its counterparts) outside, or its name does. */
  | { kind: 'outside' }
  /** In the partnership's area by its name, but in no lookup: a change lookup would place it. */
  | { kind: 'unknown' }
  /** Its counterparts lie in more than one ward (or across the boundary): no one ward to count it in. */
  | { kind: 'split' };

export interface PlacementContext {
  /** The partnership's wards, by LSOA of the lookup's vintage. */
  wardOf: ReadonlyMap<string, string>;
  /** Is the LSOA in the lookup at all (any authority)? */
  inLookup: (lsoa: string) => boolean;
  /** The ONS LSOA 2011↔2021 lookup, both ways; absent when not given. */
  counterparts?: ReadonlyMap<string, readonly string[]> | undefined;
  /** The partnership's local authority names, as ONS spells them. */
  authorityNames: readonly string[];
}

/** "Liverpool 053B" → "liverpool": ONS names an LSOA after its authority, then MSOA number and letter. */
export function authorityOfLsoaName(name: string): string {
  return name
    .trim()
    .replace(/\s+\d{3}[A-Z]$/i, '')
    .toLowerCase();
}

export function placeLsoa(lsoa: string, name: string, ctx: PlacementContext): Placement {
  const ward = ctx.wardOf.get(lsoa);
  if (ward !== undefined) return { kind: 'ward', ward };
  if (ctx.inLookup(lsoa)) return { kind: 'outside' };
  const others = (ctx.counterparts?.get(lsoa) ?? []).filter((c) => ctx.inLookup(c));
  if (others.length > 0) {
    const wards = new Set(others.map((c) => ctx.wardOf.get(c)));
    if (wards.size === 1) {
      const only = [...wards][0];
      return only === undefined ? { kind: 'outside' } : { kind: 'moved', ward: only };
    }
    return { kind: 'split' };
  }
  const authority = authorityOfLsoaName(name);
  const ours = new Set(ctx.authorityNames.map((n) => n.trim().toLowerCase()));
  return authority !== '' && !ours.has(authority) ? { kind: 'outside' } : { kind: 'unknown' };
}
