import { covers, type Classification } from './classification.js';
import type { ConversationKind } from './conversation.js';

/** Who is looking, and where: the two things that decide what a card may show. */
export interface Viewer {
  clearance: Classification;
  conversation: ConversationKind;
}

/**
 * OFFICIAL-SENSITIVE is shown only in a 1:1 chat, and only to a member cleared for it; never in a
 * group chat, a channel or a digest, where others may be reading.
 */
export function maySee(viewer: Viewer, classification: Classification): boolean {
  if (classification === 'OFFICIAL') return true;
  return viewer.conversation === 'personal' && covers(viewer.clearance, classification);
}

export interface Split<T> {
  shown: T[];
  /** How many were held back: counted so nothing looks smaller than it is, but not shown. */
  withheld: number;
}

export function splitVisible<T extends { classification: Classification }>(
  viewer: Viewer,
  items: readonly T[],
): Split<T> {
  const shown: T[] = [];
  let withheld = 0;
  for (const item of items) {
    if (maySee(viewer, item.classification)) shown.push(item);
    else withheld += 1;
  }
  return { shown, withheld };
}

/** Why something was withheld, in words that say how to see it. */
export function withheldHint(viewer: Viewer): string {
  return viewer.conversation === 'personal'
    ? 'OFFICIAL-SENSITIVE items need OFFICIAL-SENSITIVE clearance; ask your partnership admin.'
    : 'OFFICIAL-SENSITIVE items are shown only in a 1:1 chat with the bot, to members cleared for them.';
}

/**
 * Why an OFFICIAL-SENSITIVE item may not be created (or undefined if it may): only in a 1:1 chat,
 * where nobody else is reading, and only by a member cleared for it.
 */
export function sensitiveCreateRefusal(viewer: Viewer, classification: Classification): string | undefined {
  if (maySee(viewer, classification)) return undefined;
  return viewer.conversation === 'personal'
    ? 'Only members cleared for OFFICIAL-SENSITIVE can create OFFICIAL-SENSITIVE items; ask your partnership admin. Nothing was saved.'
    : 'OFFICIAL-SENSITIVE items are made only where nobody else is reading: create it in your 1:1 chat with me. Nothing was saved.';
}
