import type { Application } from '@microsoft/teams-ai';
import { banner } from '../../domain/summary.js';
import type { Member } from '../../domain/member.js';
import { can } from '../../domain/permissions.js';
import { registerCommand, type Command } from '../command.js';
import type { BotDeps } from '../deps.js';
import { runSuggestion, sendNamedCard, type Suggestion } from '../reply.js';
import type { BotState } from '../state.js';
import { ownExample } from '../own-example.js';

export const HELP_PATTERN = /^(?:help|\?|commands|menu|what can you do)[\s?.!]*$/i;

const ROLE_WORD: Record<Member['roles'][number], string> = {
  admin: 'admin',
  coordinator: 'coordinator',
  partner: 'partner',
  officer: 'officer',
  board: 'board member',
};

export interface HelpData {
  banner: ReturnType<typeof banner>;
  intro: string;
  commands: { usage: string; description: string; example: string }[];
  notes: string[];
  roleText: string;
  suggestions: Suggestion[];
}

export function helpData(
  commands: readonly Command[],
  member: Member | undefined,
  partnershipName: string | undefined,
  demo: boolean,
): HelpData {
  return {
    banner: banner('OFFICIAL', demo),
    intro:
      'Type a command in this chat. In a channel or group chat, @mention me first. Names of districts can be typed loosely: case, punctuation and small typos do not matter.',
    commands: commands.map((c) => ({ usage: c.usage, description: c.description, example: c.example })),
    notes: [
      'Summary cards have buttons for the gaps and the 4P plan; coordinators also get "Mark reviewed", which records the six-monthly severity review (who and when).',
      'Task cards (sent to owners when a coordinator assigns work) have buttons: Accept, In progress, Blocked (before work starts too), Done or Filled, Add note, Close (a gap no longer needed) or Cancel (an action), each with a reason, and Reassign for coordinators, in any open status: the new owner gets the card, and the old owner’s turns read-only. Only the owner, the owning agency and coordinators can change an item.',
      'Owners are reminded in their 1:1 chat before work is due and when it becomes overdue: reminders off stops your own (task cards still come); coordinators set the timing with reminder settings.',
      'OFFICIAL-SENSITIVE items are counted everywhere but shown only in a 1:1 chat with me, to members cleared for them.',
      'Someone not yet a member can press Request access in their 1:1 chat with me; admins get it in theirs, to approve or decline.',
      "In any chat or channel, my search in the compose box finds a district by ward name and inserts its summary card; a district's link (on its summary card) pasted into a message shows the card as a preview. Only a card inserted in your 1:1 chat with me can be OFFICIAL-SENSITIVE; link previews are always OFFICIAL.",
      'Board channels get a weekly digest (UK time): what changed, what is overdue or unowned, which profiles are due for review, and where harm is rising. subscribe and digest settings are for coordinators and admins, in the channel.',
      'Charts: the summary shows the severity score over time and the top crime types against the last period, the plan its actions by strand and status, the digest the harm trend of the districts rising most; where Teams cannot draw a chart, the same figures appear as text.',
    ],
    roleText: member
      ? `You are ${member.roles.map((r) => ROLE_WORD[r]).join(' and ')} in ${partnershipName ?? 'your partnership'}, cleared to ${member.clearance}.`
      : '',
    suggestions: commands
      .filter((c) => c.name !== 'help')
      .slice(0, 3)
      .map((c) => runSuggestion(c.example)),
  };
}

export function helpCommand(commands: () => readonly Command[]): Command {
  return {
    name: 'help',
    keywords: ['help', 'commands', 'menu'],
    usage: 'help',
    description: 'This list.',
    example: 'help',
    permission: 'profile.read',
    patterns: [HELP_PATTERN],
    run: async (rc) => {
      // Only what this member may do: an officer is not offered the admin commands. Examples
      // name the partnership's own districts.
      const allowed = await Promise.all(
        commands()
          .filter((c) => can(rc.requester.member, c.permission))
          .map(async (c) => ({ ...c, example: await ownExample(rc, c.example) })),
      );
      await sendNamedCard(
        rc.context,
        'help',
        helpData(allowed, rc.requester.member, rc.requester.partnership.name, rc.requester.partnership.demo),
      );
    },
  };
}

export function register(app: Application<BotState>, deps: BotDeps, help: Command): void {
  registerCommand(app, deps, help);
}
