import { distance } from 'fastest-levenshtein';

/**
 * Finding the district a person means. People type "st michaels", "Speke Garston", "evrton" or
 * "Church, Sefton"; two wards may share a name. The answer is never a dead end: an exact or
 * corrected match, a choice between candidates, or the closest names to pick from.
 */
export interface NamedDistrict {
  id: string;
  name: string;
  localAuthorityName?: string | undefined;
}

interface Entry {
  district: NamedDistrict;
  norm: string;
  normLabel: string;
  normAuthority: string;
}

export interface NameIndex {
  readonly entries: readonly Entry[];
  readonly byName: ReadonlyMap<string, readonly Entry[]>;
  readonly byLabel: ReadonlyMap<string, readonly Entry[]>;
  readonly authorities: ReadonlySet<string>;
}

export type DistrictMatch =
  | { kind: 'exact'; district: NamedDistrict }
  /** A small typo was corrected; say so, so the person can tell if it was wrong. */
  | { kind: 'corrected'; district: NamedDistrict }
  | { kind: 'ambiguous'; candidates: NamedDistrict[] }
  | { kind: 'unknown'; suggestions: NamedDistrict[] };

const MAX_CHOICES = 6;
/**
 * Longer than any district name with its authority, with room for typos: anything longer is not a
 * name, and comparing it with every name would cost time in proportion to its length times theirs.
 */
export const MAX_QUERY_CHARS = 200;

/** Lower case, accents and punctuation gone, "&" and "saint" spelled one way, spaces single. */
export function normalizeName(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’`.]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(/\bsaint\b/g, 'st')
    .trim()
    .replace(/\s+/g, ' ');
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function buildNameIndex(districts: readonly NamedDistrict[]): NameIndex {
  const byName = new Map<string, Entry[]>();
  const byLabel = new Map<string, Entry[]>();
  const authorities = new Set<string>();
  const entries = districts.map((district): Entry => {
    const normAuthority = district.localAuthorityName ? normalizeName(district.localAuthorityName) : '';
    const norm = normalizeName(district.name);
    const entry = { district, norm, normAuthority, normLabel: normAuthority ? `${norm} ${normAuthority}` : norm };
    push(byName, norm, entry);
    push(byLabel, entry.normLabel, entry);
    if (normAuthority) authorities.add(normAuthority);
    return entry;
  });
  return { entries, byName, byLabel, authorities };
}

/** How many edits still count as a typo of a name this long. */
function typoAllowance(length: number): number {
  if (length <= 3) return 0;
  if (length <= 5) return 1;
  if (length <= 10) return 2;
  return 3;
}

/** "Church (Sefton)", "Church, Sefton", "Church Sefton": the name and the authority. */
function splitAuthority(index: NameIndex, query: string): { name: string; authority?: string } {
  const bracketed = /^(.*?)[\s,]*\(([^)]*)\)\s*$/.exec(query) ?? /^(.*?),\s*([^,]+)$/.exec(query);
  if (bracketed) {
    const authority = normalizeName(bracketed[2] ?? '');
    if (index.authorities.has(authority)) return { name: normalizeName(bracketed[1] ?? ''), authority };
  }
  return { name: normalizeName(query) };
}

function unique(entries: readonly Entry[]): NamedDistrict[] {
  const seen = new Set<string>();
  const out: NamedDistrict[] = [];
  for (const e of entries) {
    if (!seen.has(e.district.id)) {
      seen.add(e.district.id);
      out.push(e.district);
    }
  }
  return out;
}

function decide(found: readonly Entry[], exact: boolean): DistrictMatch | undefined {
  const districts = unique(found);
  if (districts.length === 1) return { kind: exact ? 'exact' : 'corrected', district: districts[0]! };
  if (districts.length > 1) return { kind: 'ambiguous', candidates: districts.slice(0, MAX_CHOICES) };
  return undefined;
}

export function matchDistrict(index: NameIndex, query: string): DistrictMatch {
  if (query.length > MAX_QUERY_CHARS) return { kind: 'unknown', suggestions: [] };
  const { name, authority } = splitAuthority(index, query);
  const whole = normalizeName(query);
  const inAuthority = (e: Entry) => authority === undefined || e.normAuthority === authority;

  // 1. The name as written (with its authority, if one was given), or the whole "name authority" label.
  const exact =
    decide((index.byName.get(name) ?? []).filter(inAuthority), true) ?? decide(index.byLabel.get(whole) ?? [], true);
  if (exact) return exact;

  // 2. Names that begin with what was typed, word by word: "halewood" → Halewood North, Halewood South.
  const prefixed = index.entries.filter(
    (e) => inAuthority(e) && name.length >= 3 && (e.norm.startsWith(`${name} `) || e.normLabel.startsWith(`${name} `)),
  );
  const byPrefix = decide(prefixed, false);
  if (byPrefix) return byPrefix.kind === 'corrected' ? { kind: 'exact', district: byPrefix.district } : byPrefix;

  // 3. Names that hold what was typed as whole words: "fairfield" → Kensington and Fairfield.
  const padded = ` ${name} `;
  const containing = index.entries.filter((e) => inAuthority(e) && name.length >= 3 && ` ${e.norm} `.includes(padded));
  const byWords = decide(containing, false);
  if (byWords) return byWords;

  // 4. Small typos: the nearest names within the allowance; one nearest is a correction.
  const allowance = typoAllowance(name.length);
  let best = Number.POSITIVE_INFINITY;
  let nearest: Entry[] = [];
  const scored: { entry: Entry; score: number }[] = [];
  for (const e of index.entries) {
    if (!inAuthority(e)) continue;
    const d = Math.min(distance(name, e.norm), distance(whole, e.normLabel));
    // Sharing a word counts for more than letters in common.
    const sharesWord = name.split(' ').some((w) => w.length >= 3 && ` ${e.norm} `.includes(` ${w} `));
    scored.push({ entry: e, score: d / Math.max(name.length, e.norm.length, 1) - (sharesWord ? 0.5 : 0) });
    if (d > allowance) continue;
    if (d < best) {
      best = d;
      nearest = [e];
    } else if (d === best) nearest.push(e);
  }
  const corrected = decide(nearest, false);
  if (corrected) return corrected;

  // 5. Nothing close enough: offer the closest names, so the next tap gets there.
  scored.sort((a, b) => a.score - b.score || a.entry.norm.localeCompare(b.entry.norm));
  return {
    kind: 'unknown',
    suggestions: unique(scored.slice(0, MAX_CHOICES * 2).map((s) => s.entry)).slice(0, MAX_CHOICES),
  };
}
