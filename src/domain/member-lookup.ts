import type { Member } from './member.js';

/** Who a command names: an Entra object id (from a resolved @mention, or typed), or a display name. */
export type Named = { aadObjectId: string } | { displayName: string };

export type Found =
  | { kind: 'found'; member: Member }
  | { kind: 'ambiguous'; name: string; candidates: Member[] }
  | { kind: 'unknown'; name: string; suggestions: Member[] };

const fold = (s: string) => s.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * The one member meant among `members`: exactly by object id, else by display name whatever the
 * case and spacing. Two members of one name are never guessed between: the caller is told both.
 */
export function findMember(members: readonly Member[], named: Named): Found {
  if ('aadObjectId' in named) {
    const id = named.aadObjectId.toLowerCase();
    const member = members.find((m) => m.aadObjectId === id);
    return member ? { kind: 'found', member } : { kind: 'unknown', name: id, suggestions: [] };
  }
  const wanted = fold(named.displayName.replace(/^@/, ''));
  const exact = members.filter((m) => fold(m.displayName) === wanted);
  if (exact.length === 1) return { kind: 'found', member: exact[0]! };
  if (exact.length > 1) return { kind: 'ambiguous', name: named.displayName, candidates: exact };
  // One pass over what was typed, one over each name: linear however long the text.
  const words = new Set(wanted.split(' ').filter((w) => w.length >= 2));
  const suggestions = members.filter((m) =>
    fold(m.displayName)
      .split(' ')
      .some((w) => words.has(w)),
  );
  return { kind: 'unknown', name: named.displayName, suggestions: suggestions.slice(0, 5) };
}
