import type { Permission } from './permissions.js';
import { Role } from './member.js';

/**
 * "who can …": what people ask, in their words, mapped to a permission. Tried in order, first
 * match wins, so the narrower phrases come before the looser ones ("update gaps" before "gaps").
 * A verb-then-noun phrase is two patterns (`then` sought after the first `pattern`), not one with
 * `.*` between: that backtracks once per verb, which is quadratic on a line of repeated verbs.
 */
export const PERMISSION_PHRASES: readonly { permission: Permission; says: string; pattern: RegExp; then?: RegExp }[] = [
  { permission: 'profile.review', says: 'record the six-monthly review', pattern: /\breview/ },
  { permission: 'gap.assign', says: 'assign gaps', pattern: /\bassign/ },
  { permission: 'gap.create', says: 'create gaps', pattern: /\b(create|add|new|raise|open)\b/, then: /\bgaps?\b/ },
  { permission: 'action.create', says: 'create actions', pattern: /\b(create|add|new|raise)\b/, then: /\bactions?\b/ },
  {
    permission: 'gap.update-own',
    says: "update their agency's gaps",
    pattern: /\b(update|close|answer)\b/,
    then: /\bgaps?\b/,
  },
  {
    permission: 'action.update-own',
    says: "update their agency's actions",
    pattern: /\b(update|close|complete|finish)\b/,
    then: /\b(actions?|plan)\b/,
  },
  { permission: 'digest.request', says: 'ask for a digest', pattern: /\bdigests?\b/ },
  {
    permission: 'member.manage',
    says: 'grant and revoke roles',
    pattern: /\b(grant|revoke|roles?|members?|admin|manage\s+(people|users))\b/,
  },
  { permission: 'reminders.manage', says: 'change reminder settings', pattern: /\breminders?\b/ },
  { permission: 'board.manage', says: 'manage board channels', pattern: /\b(board\s+channels?|channels?)\b/ },
  { permission: 'gap.read', says: 'see gaps', pattern: /\bgaps?\b/ },
  { permission: 'action.read', says: 'see the 4P plan', pattern: /\b(actions?|plan|4p)\b/ },
  {
    permission: 'profile.read',
    says: 'see profiles and summaries',
    pattern: /\b(see|read|view|summar|profiles?|rank)/,
  },
];

export function permissionAsked(phrase: string): { permission: Permission; says: string } | undefined {
  const p = phrase.toLowerCase();
  const found = PERMISSION_PHRASES.find((e) => {
    const m = e.pattern.exec(p);
    // After the first verb is enough: a noun after any later verb is after the first one too.
    return m !== null && (!e.then || e.then.test(p.slice(m.index + m[0].length)));
  });
  return found && { permission: found.permission, says: found.says };
}

/** A role as typed: "coordinator", "Coordinators", "board member". */
export function roleNamed(word: string): Role | undefined {
  // Folded first: an unanchored \s+ before $ would try every position of a long run of spaces.
  const w = word
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
    .replace(/ members?$/, '')
    .replace(/s$/, '');
  return (Role.options as readonly string[]).includes(w) ? (w as Role) : undefined;
}
