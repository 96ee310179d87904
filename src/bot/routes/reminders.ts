import type { AdaptiveCard, Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { ConcurrencyError } from '../../domain/errors.js';
import { plural } from '../../domain/format.js';
import { can } from '../../domain/permissions.js';
import { reminderSettingsOf, type ReminderSettings } from '../../domain/reminder-settings.js';
import {
  ESCALATION_DAYS,
  LEAD_DAYS,
  parseSettingsLine,
  readReminderSettings,
  type SettingsValues,
} from '../../domain/reminder-settings-input.js';
import { composeReminderSettingsView, describeReminderSettings } from '../../domain/reminder-settings-view.js';
import type { SettingsAsRead } from '../../services/reminder-settings.js';
import { renderCard } from '../cards.js';
import { registerCommand, type Command } from '../command.js';
import { cardData, parseData } from '../data.js';
import type { BotDeps } from '../deps.js';
import { guardedInvoke, type RouteContext } from '../guard.js';
import { answerPresser, executeData, executeOf } from '../invoke.js';
import { runSuggestion, sendCard, sendNotice } from '../reply.js';
import type { BotState } from '../state.js';
import { VERB } from '../verbs.js';

/**
 * Reminders (issue 16): `reminders off` / `reminders on` for anyone, about themselves; and
 * `reminder settings` for coordinators and admins, as a card with a form or typed on one line.
 */

/** What still reaches someone whose reminders are off. */
function stillComes(rc: RouteContext): string {
  const coordinator = can(rc.requester.member, 'gap.assign');
  return `You will still get a task card when work is assigned to you${coordinator ? ', and, as a coordinator, the daily list of work overdue' : ''}.`;
}

/** Outside a 1:1 chat the answer names whom it is about: it is about the person who asked, and nobody else. */
function aboutYou(rc: RouteContext, text: string): string {
  return rc.facts.conversation === 'personal' ? text : `${rc.requester.member.displayName}: ${text}`;
}

function remindedText(rc: RouteContext): string {
  const s = reminderSettingsOf(rc.requester.partnership);
  return `You get a reminder in your 1:1 chat with me ${plural(s.leadDays, 'day')} before work of yours is due, and on the day it becomes overdue.`;
}

export const remindersCommand: Command = {
  name: 'reminders',
  keywords: ['reminders', 'reminder'],
  usage: 'reminders off | reminders on',
  description:
    'Stop or restart your own due-date reminders; task cards for work assigned to you still come (anyone, about themselves).',
  example: 'reminders off',
  permission: 'profile.read',
  patterns: [/^reminders?(?:\s+(on|off))?[\s.!]*$/i],
  run: async (rc, argument) => {
    const demo = rc.requester.partnership.demo;
    const wanted = argument.toLowerCase();
    if (wanted !== 'on' && wanted !== 'off') {
      const off = rc.requester.member.remindersOff === true;
      await sendNotice(
        rc.context,
        {
          title: off ? 'Your reminders are off' : 'Your reminders are on',
          text: aboutYou(
            rc,
            off
              ? `You get no due-date reminders. ${stillComes(rc)} Type reminders on to have them again.`
              : `${remindedText(rc)} Type reminders off to stop them.`,
          ),
          suggestions: [runSuggestion(off ? 'reminders on' : 'reminders off')],
        },
        demo,
      );
      return;
    }
    const off = wanted === 'off';
    const change = await rc.deps.reminderSettings.setOwnRemindersOff(rc.requester, off);
    rc.deps.membership.forget(rc.requester.member.aadObjectId);
    rc.deps.log.info(
      { activityId: rc.facts.activityId, aadObjectId: rc.requester.member.aadObjectId, off, changed: change.changed },
      'member reminders',
    );
    const state = off ? 'off' : 'on';
    await sendNotice(
      rc.context,
      {
        title: change.changed ? `Reminders ${state}` : `Reminders are already ${state}`,
        text: aboutYou(
          rc,
          off
            ? `You will no longer get due-date reminders. ${stillComes(rc)} Type reminders on to have them again.`
            : `${remindedText(rc)} Type reminders off to stop them.`,
        ),
      },
      demo,
    );
  },
};

function settingsCard(
  rc: RouteContext,
  read: SettingsAsRead,
  extra: { errors?: string[]; note?: string; values?: Partial<ReminderSettings> } = {},
): AdaptiveCard {
  return renderCard(
    'reminder-settings',
    composeReminderSettingsView({
      partnershipName: rc.requester.partnership.name,
      demo: rc.requester.partnership.demo,
      settings: read.settings,
      isDefault: read.isDefault,
      etag: read.etag,
      ...extra,
    }),
  );
}

function changeText(before: ReminderSettings, after: ReminderSettings): string {
  const part = (what: string, was: number, now: number) =>
    was === now ? `${what} ${plural(now, 'day')}` : `${what} ${plural(now, 'day')} (was ${was})`;
  return `${part('lead time', before.leadDays, after.leadDays)}, ${part('escalation', before.escalationDays, after.escalationDays)}`;
}

const HOW =
  `Say it as: reminder settings lead 5 escalate 21 (lead time ${LEAD_DAYS.min} to ${LEAD_DAYS.max} days before an item is due; ` +
  `escalation to coordinators ${ESCALATION_DAYS.min} to ${ESCALATION_DAYS.max} days after). Give one or both; or type reminder settings for the form.`;

export const reminderSettingsCommand: Command = {
  name: 'reminder settings',
  keywords: ['reminder', 'reminders', 'settings'],
  usage: 'reminder settings [lead <days>] [escalate <days>]',
  description:
    'When owners are reminded before work is due, and when overdue work goes to coordinators: a card to change them, or one line (coordinators and admins).',
  example: 'reminder settings lead 5 escalate 21',
  permission: 'reminders.manage',
  patterns: [/^reminders?\s+settings?(?:\s+(.*))?$/i],
  run: async (rc, argument) => {
    const demo = rc.requester.partnership.demo;
    const line = parseSettingsLine(argument);
    if (line.kind === 'show') {
      await sendCard(rc.context, settingsCard(rc, await rc.deps.reminderSettings.current(rc.requester)));
      return;
    }
    if (line.kind === 'unclear') {
      await sendNotice(rc.context, { title: 'How to change reminder settings', text: HOW, echo: argument }, demo);
      return;
    }
    const current = await rc.deps.reminderSettings.current(rc.requester);
    const read = readReminderSettings({ ...current.settings, ...definedOnly(line.values) });
    if (!read.ok) {
      await sendNotice(
        rc.context,
        { title: 'Nothing was saved', text: `${read.errors.join(' ')} ${HOW}`, echo: argument },
        demo,
      );
      return;
    }
    const saved = await rc.deps.reminderSettings.save(rc.requester, read.value);
    rc.deps.log.info(
      { activityId: rc.facts.activityId, partnershipId: rc.requester.partnership.id, changed: saved.changed },
      'reminder settings',
    );
    await sendNotice(
      rc.context,
      saved.changed
        ? {
            title: 'Reminder settings saved',
            text: `Now ${changeText(saved.before, saved.after.settings)}. ${describeReminderSettings(saved.after.settings)} The change is recorded in the audit trail under your name.`,
          }
        : {
            title: 'Nothing changed',
            text: `These are the settings already. ${describeReminderSettings(saved.after.settings)}`,
          },
      demo,
    );
  },
};

function definedOnly(values: SettingsValues): SettingsValues {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

const Typed = z.union([z.string().max(20), z.number()]);
const SettingsForm = cardData({
  etag: z.string().min(1).max(128),
  leadDays: Typed.optional(),
  escalationDays: Typed.optional(),
});

/** A number the form may show again (a refused entry such as 40); anything else shows the setting. */
function shownAgain(v: string | number | undefined): number | undefined {
  const n = typeof v === 'number' ? v : v?.trim() ? Number(v.trim()) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

export const reminderCommands: readonly Command[] = [reminderSettingsCommand, remindersCommand];

export function register(app: Application<BotState>, deps: BotDeps): void {
  for (const command of reminderCommands) registerCommand(app, deps, command);

  // The form is answered to whoever pressed Save, never put in place for the conversation: in a
  // channel or group chat the card others see stays as it was.
  const save = guardedInvoke(deps, 'reminders.manage', async (rc, data) => {
    const parsed = parseData(SettingsForm, data);
    const read = readReminderSettings({ leadDays: parsed.leadDays, escalationDays: parsed.escalationDays });
    if (!read.ok) {
      const current = await rc.deps.reminderSettings.current(rc.requester);
      const values: Partial<ReminderSettings> = {};
      const lead = shownAgain(parsed.leadDays);
      const escalation = shownAgain(parsed.escalationDays);
      if (lead !== undefined) values.leadDays = lead;
      if (escalation !== undefined) values.escalationDays = escalation;
      // The card's own etag is kept, so a later Save still notices a change made meanwhile.
      return settingsCard(rc, { ...current, etag: parsed.etag }, { errors: read.errors, values });
    }
    try {
      const saved = await rc.deps.reminderSettings.save(rc.requester, read.value, parsed.etag);
      rc.deps.log.info(
        { activityId: rc.facts.activityId, partnershipId: rc.requester.partnership.id, changed: saved.changed },
        'reminder settings',
      );
      return settingsCard(rc, saved.after, {
        note: saved.changed
          ? `Saved by ${rc.requester.member.displayName}: ${changeText(saved.before, saved.after.settings)}. Recorded in the audit trail.`
          : 'Nothing changed: these are the settings already.',
      });
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
      return settingsCard(rc, await rc.deps.reminderSettings.current(rc.requester), {
        note: 'Someone changed the settings after this card was shown, so nothing was saved. These are the settings now: change them again if you still want to.',
      });
    }
  });
  app.addRoute(
    executeOf(VERB.reminderSettings),
    async (context, state) => answerPresser(context, await save(context, state, executeData(context))),
    true,
  );
}
