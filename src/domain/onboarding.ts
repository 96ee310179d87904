import { Classification } from './classification.js';
import type { Role } from './member.js';
import { Sector, SECTOR_LABELS, type Agency } from './partnership.js';
import { roleNamed } from './permission-phrases.js';

/**
 * What the onboarding commands say (issue 16), parsed without regular expressions that could
 * backtrack: each is split at its keywords by index, so a long line costs one pass.
 *   add @Pat Partner to Heldshire Council as partner [cleared for OFFICIAL-SENSITIVE]
 *   add agency Heldshire Fire and Rescue (fire)
 */

export interface AddMemberWords {
  /** What follows the person, "to …": the agency as typed. */
  agency: string;
  role: Role;
  clearance?: Classification;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const fold = (s: string) => s.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();

/** A clearance as people write it: OFFICIAL-SENSITIVE, official sensitive, OS. */
export function clearanceNamed(words: string): Classification | undefined {
  const w = fold(words).replace(/[\s_]+/g, '-');
  if (w === 'official') return 'OFFICIAL';
  if (w === 'official-sensitive' || w === 'os') return 'OFFICIAL-SENSITIVE';
  return undefined;
}

/**
 * The part after the person: "to <agency> as <role>[ cleared for <clearance>]". The last " as "
 * splits agency from role, so an agency may have "as" in its name.
 */
export function parseAddMember(rest: string): Parsed<AddMemberWords> {
  const text = ` ${rest.replace(/\s+/g, ' ').trim()}`;
  const lower = text.toLowerCase();
  if (!lower.startsWith(' to ')) return { ok: false, problem: 'to' };
  const as = lower.lastIndexOf(' as ');
  if (as < 4) return { ok: false, problem: 'as' };
  const agency = text.slice(4, as).trim();
  let roleWords = text.slice(as + 4);
  let clearance: Classification | undefined;
  const cleared = roleWords.toLowerCase().indexOf(' cleared ');
  if (cleared >= 0) {
    const clearanceWords = roleWords.slice(cleared + 9).replace(/^\s*(?:for|to)\s+/i, '');
    clearance = clearanceNamed(clearanceWords);
    if (!clearance) return { ok: false, problem: 'clearance' };
    roleWords = roleWords.slice(0, cleared);
  }
  const role = roleNamed(roleWords.replace(/^\s*an?\s+/i, ''));
  if (!agency) return { ok: false, problem: 'agency' };
  if (!role) return { ok: false, problem: 'role' };
  return { ok: true, value: { agency, role, ...(clearance && { clearance }) } };
}

/** A sector by its id (`fire`, `local-authority`) or its label (`Fire and rescue`), any case. */
export function sectorNamed(words: string): Sector | undefined {
  const w = fold(words);
  for (const sector of Sector.options) {
    if (w === sector || w === sector.replace(/-/g, ' ') || w === SECTOR_LABELS[sector].toLowerCase()) return sector;
  }
  return undefined;
}

export const AGENCY_NAME_MIN = 2;
export const AGENCY_NAME_MAX = 120;

/** "Heldshire Fire and Rescue (fire)": the name, and the sector in the last brackets. */
export function parseAddAgency(argument: string): Parsed<{ name: string; sector: Sector }> {
  const text = argument.replace(/\s+/g, ' ').trim();
  const open = text.lastIndexOf('(');
  if (open < 0 || !text.endsWith(')')) return { ok: false, problem: 'sector-missing' };
  const name = text.slice(0, open).trim();
  const sector = sectorNamed(text.slice(open + 1, -1));
  if (!sector) return { ok: false, problem: 'sector' };
  if (name.length < AGENCY_NAME_MIN || name.length > AGENCY_NAME_MAX) return { ok: false, problem: 'name-length' };
  return { ok: true, value: { name, sector } };
}

/** The agency's id, from its name: lower-case words joined by hyphens, at most 64 characters. */
export function agencySlug(name: string): string {
  return fold(name)
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 64)
    .replace(/-+$/, '');
}

/** The one agency meant, by name or id, whatever the case and spacing. */
export function agencyNamed(agencies: readonly Agency[], typed: string): Agency | undefined {
  const w = fold(typed);
  return agencies.find((a) => fold(a.name) === w || a.id === w || a.id === agencySlug(typed));
}

/** Agencies sharing a word with what was typed, for "did you mean". */
export function agencySuggestions(agencies: readonly Agency[], typed: string): Agency[] {
  const words = new Set(
    fold(typed)
      .split(' ')
      .filter((w) => w.length >= 3),
  );
  return agencies
    .filter((a) =>
      fold(a.name)
        .split(' ')
        .some((w) => words.has(w)),
    )
    .slice(0, 5);
}
