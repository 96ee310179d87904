import type { AuditContext } from '../domain/audit.js';
import { BoardChannel, MAX_BOARD_DISTRICTS } from '../domain/conversation.js';
import type { DigestDelivery } from '../domain/digest-delivery.js';
import {
  describeSchedule,
  formatLondon,
  isoWeekMonday,
  latestSlot,
  nextSlot,
  scheduleOf,
  type DigestSchedule,
} from '../domain/digest-schedule.js';
import { districtLabel } from '../domain/district.js';
import { normalizeName } from '../domain/district-match.js';
import { ValidationError } from '../domain/errors.js';
import type { Store } from '../store/store.js';
import type { Clock } from './clock.js';
import type { DigestComposer } from './digest-composer.js';
import type { DistrictDirectory } from './district-directory.js';
import type { Requester } from './membership.js';

/** The channel a board command was typed in. */
export interface ChannelPlace {
  tenantId: string;
  /** The channel's own conversation id (no `;messageid=`), where a new post goes. */
  conversationId: string;
}

export type Scope = { kind: 'partnership' } | { kind: 'districts'; ids: string[]; labels: string[] };

export interface DigestStatus {
  channel: BoardChannel;
  /** The districts it covers, by name; empty for the whole partnership. */
  labels: string[];
  scheduleText: string;
  nextDue: string;
  lastSent: string;
  /** Digests asked for with `digest now` that are not sent yet; empty when none. */
  onItsWay: string;
  failure: string;
}

const DEFAULT_SCHEDULE: DigestSchedule = { weekday: 1, hour: 8, minute: 0 };

/**
 * Board channels (guidance 3.8: the board holds agencies to account): which channel gets the
 * weekly digest, for which districts, when; and what became of the last deliveries.
 */
export class BoardChannels {
  constructor(
    private readonly store: Store,
    private readonly directory: DistrictDirectory,
    private readonly composer: DigestComposer,
    private readonly clock: Clock,
  ) {}

  /** Who changed a board channel and how: where partnership data is posted is a governance matter. */
  private audit(req: Requester, action: string): AuditContext {
    return { actor: req.member.aadObjectId, action, at: this.clock().toISOString() };
  }

  /**
   * Reads "Merseyside" (the partnership), nothing (the partnership too), or districts separated
   * by commas (or "and" where that makes no single district's name). Throws ValidationError naming what did not match.
   */
  async parseScope(req: Requester, text: string): Promise<Scope> {
    const typed = normalizeName(text);
    const partnership = normalizeName(req.partnership.name);
    if (
      typed === '' ||
      partnership === typed ||
      partnership.split(' ').includes(typed) ||
      partnership.startsWith(typed)
    ) {
      return { kind: 'partnership' };
    }
    const parts = text
      .split(/\s*[,;]\s*/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (parts.length > MAX_BOARD_DISTRICTS) {
      throw new ValidationError(
        `That is ${parts.length} districts; a board channel takes up to ${MAX_BOARD_DISTRICTS}. For more, subscribe the whole partnership: subscribe ${req.partnership.name}.`,
      );
    }
    const ids: string[] = [];
    const labels: string[] = [];
    const problems: string[] = [];
    const add = async (id: string) => {
      if (ids.includes(id)) return;
      ids.push(id);
      labels.push(await this.directory.label(req.partnership.id, id));
    };
    for (const part of parts) {
      // "Birkenhead and Tranmere" is one ward; "Everton and Anfield" is two.
      const match = await this.directory.find(req.partnership.id, part);
      if (match.kind === 'unknown' && /\sand\s/i.test(part)) {
        const halves = await Promise.all(
          part.split(/\s+and\s+/i).map((h) => this.directory.find(req.partnership.id, h)),
        );
        if (halves.every((h) => h.kind === 'exact' || h.kind === 'corrected')) {
          for (const h of halves) if (h.kind === 'exact' || h.kind === 'corrected') await add(h.district.id);
          continue;
        }
      }
      if (match.kind === 'exact' || match.kind === 'corrected') await add(match.district.id);
      else if (match.kind === 'ambiguous') {
        problems.push(
          `"${part}" could be ${match.candidates.map((c) => districtLabel(c)).join(' or ')}: name the authority, e.g. ${districtLabel(match.candidates[0]!)}`,
        );
      } else {
        problems.push(`no district called "${part}"`);
      }
    }
    if (ids.length > MAX_BOARD_DISTRICTS) {
      throw new ValidationError(
        `That is ${ids.length} districts; a board channel takes up to ${MAX_BOARD_DISTRICTS}. For more, subscribe the whole partnership: subscribe ${req.partnership.name}.`,
      );
    }
    if (problems.length) throw new ValidationError(`Nothing was changed: ${problems.join('; ')}.`);
    return { kind: 'districts', ids, labels };
  }

  async find(partnershipId: string, conversationId: string): Promise<BoardChannel | undefined> {
    return (await this.store.boardChannels.list(partnershipId)).find((c) => c.conversationId === conversationId);
  }

  async subscribe(req: Requester, place: ChannelPlace, scope: Scope): Promise<BoardChannel> {
    const now = this.clock().toISOString();
    const existing = await this.find(req.partnership.id, place.conversationId);
    const channel = BoardChannel.parse({
      partnershipId: req.partnership.id,
      tenantId: place.tenantId,
      conversationId: place.conversationId,
      digestWeekday: existing?.digestWeekday ?? DEFAULT_SCHEDULE.weekday,
      digestHour: existing?.digestHour ?? DEFAULT_SCHEDULE.hour,
      digestMinute: existing?.digestMinute ?? DEFAULT_SCHEDULE.minute,
      ...(scope.kind === 'districts' ? { districtIds: scope.ids } : {}),
      addedBy: req.member.aadObjectId,
      addedAt: existing?.addedAt ?? now,
      scheduleFrom: now,
    });
    await this.store.boardChannels.put(channel, this.audit(req, existing ? 'board.resubscribed' : 'board.subscribed'));
    return channel;
  }

  /** False when the channel was not a board channel. */
  async unsubscribe(req: Requester, place: ChannelPlace): Promise<boolean> {
    const existing = await this.find(req.partnership.id, place.conversationId);
    if (!existing) return false;
    await this.store.boardChannels.remove(
      req.partnership.id,
      place.conversationId,
      this.audit(req, 'board.unsubscribed'),
    );
    return true;
  }

  /** Undefined when the channel is not a board channel. */
  async setSchedule(req: Requester, place: ChannelPlace, schedule: DigestSchedule): Promise<BoardChannel | undefined> {
    const existing = await this.find(req.partnership.id, place.conversationId);
    if (!existing) return undefined;
    const channel = BoardChannel.parse({
      ...existing,
      digestWeekday: schedule.weekday,
      digestHour: schedule.hour,
      digestMinute: schedule.minute,
      // A new time that has already passed this week waits for next week: no surprise digest now.
      scheduleFrom: this.clock().toISOString(),
    });
    await this.store.boardChannels.put(channel, this.audit(req, 'board.rescheduled'));
    return channel;
  }

  async status(req: Requester, place: ChannelPlace): Promise<DigestStatus | undefined> {
    const channel = await this.find(req.partnership.id, place.conversationId);
    if (!channel) return undefined;
    const schedule = scheduleOf(channel);
    const deliveries = await this.store.digestDeliveries.listForChannel(req.partnership.id, channel.conversationId, 8);
    const sent = deliveries
      .filter((d) => d.state === 'sent')
      .sort((a, b) => Date.parse(b.sentAt ?? b.updatedAt) - Date.parse(a.sentAt ?? a.updatedAt))[0];
    const failed = deliveries.find((d) => d.state === 'failed');
    const asked = deliveries.filter((d) => d.kind === 'requested' && (d.state === 'pending' || d.state === 'sending'));
    const now = this.clock();
    const latest = latestSlot(schedule, now);
    const latestRecord = deliveries.find((d) => d.week === isoWeekMonday(latest.week));
    const from = Date.parse(channel.scheduleFrom ?? channel.addedAt);
    // This week's slot, if it has come and this ISO week's digest is not sent yet, is due now;
    // otherwise next week's.
    const dueNow = latest.dueAt.getTime() >= from && latestRecord?.state !== 'sent';
    const labels = await Promise.all(
      (channel.districtIds ?? []).map((id) => this.directory.label(req.partnership.id, id)),
    );
    return {
      channel,
      labels,
      scheduleText: `${describeSchedule(schedule)} UK time`,
      nextDue: dueNow
        ? `now (the ${formatLondon(latest.dueAt)} digest is being delivered)`
        : formatLondon(nextSlot(schedule, now).dueAt),
      lastSent: sent?.sentAt
        ? `${formatLondon(new Date(sent.sentAt))} (${sent.kind === 'requested' ? 'asked for with digest now' : `week of ${formatLondon(new Date(sent.dueAt))}`})`
        : 'none yet',
      onItsWay: asked.map((d) => `the digest asked for at ${formatLondon(new Date(d.dueAt))} is on its way`).join('; '),
      failure: failed ? failureText(failed) : '',
    };
  }
}

function failureText(d: DigestDelivery): string {
  const which = d.kind === 'requested' ? 'asked for at' : 'for';
  return `The digest ${which} ${formatLondon(new Date(d.dueAt))} failed after ${d.attempts} ${d.attempts === 1 ? 'attempt' : 'attempts'} (${d.lastError ?? 'unknown reason'}); the next run tries again.`;
}
