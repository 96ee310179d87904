import { ConcurrencyError, ForbiddenError } from '../domain/errors.js';
import type { Member } from '../domain/member.js';
import { Partnership } from '../domain/partnership.js';
import { can } from '../domain/permissions.js';
import { reminderSettingsOf, type ReminderSettings } from '../domain/reminder-settings.js';
import type { Store } from '../store/store.js';
import type { Clock } from './clock.js';
import { MemberAdmin, type MemberChange } from './member-admin.js';
import type { Requester } from './membership.js';

/** A partnership's reminder settings as read, with the etag a change made from them must carry. */
export interface SettingsAsRead {
  settings: ReminderSettings;
  /** True while the partnership has never set its own (the defaults apply). */
  isDefault: boolean;
  etag: string;
}

export interface SettingsChange {
  before: ReminderSettings;
  after: SettingsAsRead;
  changed: boolean;
}

/** How often a typed change is re-read and re-applied when someone else saved in between. */
const CONCURRENCY_ATTEMPTS = 3;

/**
 * Reminder settings (issue 16): a member's own `reminders off` / `reminders on`, and the
 * partnership's lead time and escalation threshold, which coordinators and admins set. Every
 * change is audited with who made it, and the record before and after; a change to what is
 * already there writes nothing.
 */
export class ReminderSettingsService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** The person's own setting, whoever they are: nobody changes another's. */
  setOwnRemindersOff(requester: Requester, off: boolean): Promise<MemberChange> {
    const me: Member = requester.member;
    return new MemberAdmin(this.store, this.clock, me.aadObjectId).setRemindersOff(
      me.aadObjectId,
      off,
      requester.partnership.id,
    );
  }

  /** Read from the store, not the turn's cached partnership: a change saved a moment ago shows. */
  async current(requester: Requester): Promise<SettingsAsRead> {
    this.mayManage(requester);
    const stored = await this.store.partnerships.get(requester.partnership.id);
    if (!stored) throw new ConcurrencyError('partnership', requester.partnership.id);
    return { settings: reminderSettingsOf(stored), isDefault: stored.reminders === undefined, etag: stored.etag };
  }

  /**
   * Saves `wanted`. With `ifMatch` (a card's Save), only if the settings are still as the card
   * showed them (ConcurrencyError otherwise); without (typed), over whatever is stored, read again
   * if someone saved in between.
   */
  async save(requester: Requester, wanted: ReminderSettings, ifMatch?: string): Promise<SettingsChange> {
    this.mayManage(requester);
    const id = requester.partnership.id;
    for (let attempt = 1; ; attempt++) {
      const stored = await this.store.partnerships.get(id);
      if (!stored) throw new ConcurrencyError('partnership', id);
      const { etag, ...partnership } = stored;
      if (ifMatch !== undefined && etag !== ifMatch) throw new ConcurrencyError('partnership', id);
      const before = reminderSettingsOf(partnership);
      if (before.leadDays === wanted.leadDays && before.escalationDays === wanted.escalationDays) {
        return {
          before,
          after: { settings: before, isDefault: partnership.reminders === undefined, etag },
          changed: false,
        };
      }
      const next = Partnership.parse({ ...partnership, reminders: { ...wanted } });
      const audit = {
        actor: requester.member.aadObjectId,
        action: 'partnership.reminders',
        at: this.clock().toISOString(),
      };
      try {
        const written = await this.store.partnerships.replace(next, etag, audit);
        return {
          before,
          after: { settings: reminderSettingsOf(written), isDefault: false, etag: written.etag },
          changed: true,
        };
      } catch (err) {
        if (!(err instanceof ConcurrencyError) || ifMatch !== undefined || attempt >= CONCURRENCY_ATTEMPTS) throw err;
      }
    }
  }

  private mayManage(requester: Requester): void {
    if (!can(requester.member, 'reminders.manage')) {
      throw new ForbiddenError(
        'reminders.manage',
        'Reminder settings are for the partnership’s coordinators and admins.',
      );
    }
  }
}
