import type { AdaptiveCard } from '@microsoft/teams-ai';
import { toIsoDate } from '../domain/dates.js';
import type { Partnership } from '../domain/partnership.js';
import type { Viewer } from '../domain/visibility.js';
import type { CardName } from './cards.js';
import { isRefreshable, refreshUserIds, withRefresh } from './card-refresh.js';
import type { RouteContext } from './guard.js';
import { sendCard } from './reply.js';

/**
 * Bound district cards (summary, gaps, plan), kept so that a turn asking for a card already made
 * costs one point read (the district's version stamp) instead of the reads, the composition and
 * the template binding.
 *
 * An entry is served only when everything the card was made from is the same:
 * - the district's version stamp (Store `districts.stamp`): any write to the district, its
 *   profile, gaps or actions, by this instance or another on the same store, changes it;
 * - the viewer's visibility class, as it is (conversation kind and clearance), so a card made
 *   for a cleared 1:1 chat can never be served in a channel, a group chat or to someone uncleared;
 * - the partnership (its id and the record as this instance holds it), and what the caller adds
 *   (`variant`: the member's role where the card has role-only buttons);
 * - the day (cards say what is overdue as of today).
 * A write on this instance needs no call here: it changes the stamp in the same transaction, so
 * the next turn's check finds the entry stale and replaces it.
 * Names of people and agencies on a card are not in the stamp; entries expire after `ttlMs`, as the
 * name caches do, so a rename is seen as soon as anywhere else.
 *
 * Cards are kept as deeply frozen objects, served as they are (no copy or parse per turn: every
 * caller builds a new card around a kept one, and a write to it throws), with the total of their
 * JSON sizes (about) bounded; the least recently used go first.
 */
export class DistrictCardCache {
  private readonly entries = new Map<string, { stamp: string; card: AdaptiveCard; bytes: number; expires: number }>();
  private readonly signatures = new WeakMap<Partnership, string>();
  private bytes = 0;

  constructor(
    private readonly ttlMs = 60_000,
    private readonly maxBytes = 96 * 1024 * 1024,
    private readonly now: () => number = Date.now,
  ) {}

  /** The key of a card: everything it was made from except the stamp, which the entry holds. */
  key(card: CardName, partnership: Partnership, districtId: string, viewer: Viewer, day: Date, variant = ''): string {
    return JSON.stringify([
      card,
      partnership.id,
      this.signature(partnership),
      districtId,
      viewer.conversation,
      viewer.clearance,
      toIsoDate(day),
      variant,
    ]);
  }

  /** The card made for this key from this stamp (frozen); undefined if none (or stale). */
  get(key: string, stamp: string): AdaptiveCard | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.stamp !== stamp || hit.expires <= this.now()) {
      this.remove(key);
      return undefined;
    }
    // Most recently used last, so eviction takes from the front.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.card;
  }

  /**
   * The card kept for this key if it was made from this stamp, leaving the entry as it is (a
   * refresh that cannot read the current stamp must not drop a newer card others are served).
   */
  peek(key: string, stamp: string): AdaptiveCard | undefined {
    const hit = this.entries.get(key);
    if (!hit || hit.stamp !== stamp || hit.expires <= this.now()) return undefined;
    return hit.card;
  }

  /** Keeps the card (frozen in place: the caller's card is the kept one from now on). */
  set(key: string, stamp: string, card: AdaptiveCard): void {
    this.remove(key);
    const bytes = freeze(card);
    this.entries.set(key, { stamp, card, bytes, expires: this.now() + this.ttlMs });
    this.bytes += bytes;
    for (const oldest of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private remove(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.bytes -= old.bytes;
    this.entries.delete(key);
  }

  private signature(p: Partnership): string {
    let sig = this.signatures.get(p);
    if (sig === undefined) {
      sig = JSON.stringify(p);
      this.signatures.set(p, sig);
    }
    return sig;
  }
}

/**
 * Freezes a card throughout and returns about how many characters its JSON has (strings and keys
 * in full, a few for the rest), in the same walk: a bound on memory needs no exact figure, and a
 * second serialisation of every card made was a tenth of the work of a card not yet kept.
 */
function freeze(value: unknown): number {
  if (typeof value === 'string') return value.length + 2;
  if (!value || typeof value !== 'object') return 6;
  Object.freeze(value);
  let size = 2;
  if (Array.isArray(value)) {
    for (const v of value) size += freeze(v) + 1;
  } else {
    for (const [k, v] of Object.entries(value)) size += k.length + 4 + freeze(v);
  }
  return size;
}

/** The kept card's key for this viewer, today. */
export function cardKey(rc: RouteContext, name: CardName, districtId: string, variant = ''): string {
  return rc.deps.districtCards.key(name, rc.requester.partnership, districtId, rc.viewer, rc.deps.clock(), variant);
}

/**
 * A district's card for this viewer, and the stamp it was made from: the one kept for this viewer
 * if the district's stamp still matches, otherwise the one `make` binds, which is then kept. The
 * stamp is read before `make` reads anything, so a card is never kept under a stamp newer than
 * its data. `make` answers undefined when it has answered with something else (a notice), which
 * is not kept.
 */
export async function districtCard(
  rc: RouteContext,
  name: CardName,
  districtId: string,
  make: () => Promise<AdaptiveCard | undefined>,
  variant = '',
): Promise<{ card: AdaptiveCard; stamp: string } | undefined> {
  const { districtCards, profiles } = rc.deps;
  const key = cardKey(rc, name, districtId, variant);
  const stamp = await profiles.stamp(rc.requester, districtId);
  let card = districtCards.get(key, stamp);
  if (!card) {
    card = await make();
    if (!card) return undefined;
    districtCards.set(key, stamp, card);
  }
  return { card, stamp };
}

/**
 * Sends a district's card (see `districtCard`); the summary, gaps and plan cards carry their
 * refresh for the person who asked.
 */
export async function sendDistrictCard(
  rc: RouteContext,
  name: CardName,
  districtId: string,
  make: () => Promise<AdaptiveCard | undefined>,
  variant = '',
): Promise<void> {
  const made = await districtCard(rc, name, districtId, make, variant);
  if (!made) return;
  await sendCard(
    rc.context,
    isRefreshable(name) ? withRefresh(made.card, name, districtId, made.stamp, refreshUserIds(rc.context)) : made.card,
  );
}
