import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { Classification } from '../../domain/classification.js';
import { Role } from '../../domain/member.js';
import { parseAddAgency, parseAddMember } from '../../domain/onboarding.js';
import { SECTOR_LABELS, Sector } from '../../domain/partnership.js';
import { banner } from '../../domain/summary.js';
import { AadObjectId, boundedText } from '../../domain/text.js';
import type { AccessDesk } from '../access-desk.js';
import { renderCard } from '../cards.js';
import { registerCommand, type Command } from '../command.js';
import { cardData, parseData } from '../data.js';
import type { BotDeps } from '../deps.js';
import { allowed, guardedInvoke, type RouteContext } from '../guard.js';
import { answerPresser, executeData, executeOf, invokeMessage } from '../invoke.js';
import { mentionedPeople } from '../mentions.js';
import { noticeCard, sendNamedCard, sendNotice } from '../reply.js';
import type { BotState } from '../state.js';
import { VERB } from '../verbs.js';
import { revokeCommand } from './roles.js';

const ADD_EXAMPLE = 'add @Pat Partner to Heldshire Council as partner';
const SECTORS = Sector.options.join(', ');

/**
 * The one person a command @mentions, as Teams resolved them (their Entra object id): never a
 * name matched or guessed. Undefined after answering why not.
 */
async function mentionedPerson(
  rc: RouteContext,
  typed: string,
  example = ADD_EXAMPLE,
): Promise<{ aadObjectId: string; name: string; rest: string } | undefined> {
  const demo = rc.requester.partnership.demo;
  const people = await mentionedPeople(rc.context);
  const lower = typed.toLowerCase();
  const person = people.find((p) => p.name && lower.startsWith(`@${p.name.toLowerCase()}`));
  if (!person) {
    await sendNotice(
      rc.context,
      {
        title: 'Who?',
        text: `@mention the person (Teams then tells me who they are; I do not go by typed names). For example: ${example}.`,
      },
      demo,
    );
    return undefined;
  }
  if (!person.aadObjectId) {
    await sendNotice(
      rc.context,
      {
        title: 'Teams did not say who that is',
        text: `Teams did not give me ${person.name}'s Entra object id here, so nothing was changed. @mention them in a channel or group chat they belong to, where Teams can tell me who they are.`,
      },
      demo,
    );
    return undefined;
  }
  return { aadObjectId: person.aadObjectId, name: person.name, rest: typed.slice(person.name.length + 1) };
}

const PROBLEMS: Record<string, string> = {
  to: `Say which agency they are with, then their role: ${ADD_EXAMPLE}.`,
  as: `Say their role after the agency: ${ADD_EXAMPLE}. Roles: ${Role.options.join(', ')}.`,
  agency: `Say which agency they are with: ${ADD_EXAMPLE}.`,
  role: `That is not a role. Roles: ${Role.options.join(', ')}. For example: ${ADD_EXAMPLE}.`,
  clearance: `Clearance is OFFICIAL or OFFICIAL-SENSITIVE, for example: ${ADD_EXAMPLE.replace('as partner', 'as officer cleared for OFFICIAL-SENSITIVE')}.`,
};

export const addMemberCommand: Command = {
  name: 'add',
  menu: false,
  keywords: ['add'],
  usage: 'add @person to <agency> as <role>',
  description:
    'Add someone to the partnership (admins and coordinators), cleared OFFICIAL; an admin may add "cleared for OFFICIAL-SENSITIVE". Recorded in the audit trail.',
  example: ADD_EXAMPLE,
  permission: 'member.onboard',
  patterns: [/^add\b(?!\s+agency\b)(?:\s+(.*))?$/i],
  run: async (rc, argument) => {
    const demo = rc.requester.partnership.demo;
    const person = await mentionedPerson(rc, argument);
    if (!person) return;
    const words = parseAddMember(person.rest);
    if (!words.ok) {
      await sendNotice(rc.context, { title: 'How to add someone', text: PROBLEMS[words.problem]! }, demo);
      return;
    }
    const { role, agency, clearance } = words.value;
    const added = await rc.deps.onboarding.addMember(
      rc.requester,
      { aadObjectId: person.aadObjectId, displayName: person.name },
      agency,
      role,
      clearance,
    );
    rc.deps.membership.forget(added.member.aadObjectId);
    rc.deps.log.info(
      {
        activityId: rc.facts.activityId,
        actor: rc.requester.member.aadObjectId,
        aadObjectId: added.member.aadObjectId,
        role,
      },
      'member added',
    );
    await sendNotice(
      rc.context,
      {
        title: added.reactivated ? 'Member back' : 'Member added',
        text:
          `${added.member.displayName} is now ${role} in ${added.agency.name}, cleared for ${added.member.clearance}` +
          `${added.reactivated ? ' (a former member, made active again)' : ''}. They can message me now. The change is recorded in the audit trail under your name.`,
      },
      demo,
    );
  },
};

export const removeMemberCommand: Command = {
  name: 'remove',
  menu: false,
  keywords: ['remove'],
  usage: 'remove @person',
  description: 'Remove someone from the partnership (admins and coordinators): they lose access; their history stays.',
  example: 'remove @Pat Partner',
  permission: 'member.onboard',
  patterns: [/^remove\b(?:\s+(.*))?$/i],
  run: async (rc, argument) => {
    // "remove <role> from @person" is the older way to say revoke: an admin's command.
    if (/\sfrom\s/i.test(` ${argument} `) && !argument.trim().startsWith('@')) {
      if (await allowed(rc, revokeCommand.permission)) await revokeCommand.run(rc, argument.replace(/^\s+/, ''));
      return;
    }
    const person = await mentionedPerson(rc, argument, 'remove @Pat Partner');
    if (!person) return;
    const change = await rc.deps.onboarding.remove(rc.requester, person.aadObjectId);
    rc.deps.membership.forget(person.aadObjectId);
    rc.deps.log.info(
      {
        activityId: rc.facts.activityId,
        actor: rc.requester.member.aadObjectId,
        aadObjectId: person.aadObjectId,
        changed: change.changed,
      },
      'member removed',
    );
    await sendNotice(
      rc.context,
      change.changed
        ? {
            title: 'Member removed',
            text: `${change.member.displayName} no longer has access. Their record and everything they did stay in the history; add them again to bring them back. Recorded in the audit trail under your name.`,
          }
        : { title: 'Nothing changed', text: `${change.member.displayName} was already removed.` },
      rc.requester.partnership.demo,
    );
  },
};

export const agenciesCommand: Command = {
  name: 'agencies',
  menu: false,
  keywords: ['agencies', 'agency'],
  usage: 'agencies',
  description: "The partnership's agencies: sector and number of members (admins and coordinators).",
  example: 'agencies',
  permission: 'member.onboard',
  patterns: [/^(?:list\s+|show\s+)?agencies[\s?.!]*$/i],
  run: async (rc) => {
    const rows = await rc.deps.onboarding.agencies(rc.requester.partnership.id);
    const members = rows.reduce((n, r) => n + r.members, 0);
    await sendNamedCard(rc.context, 'agencies', {
      banner: banner('OFFICIAL', rc.requester.partnership.demo),
      partnershipName: rc.requester.partnership.name,
      rows: rows.map((r) => ({
        name: r.agency.name,
        sector: SECTOR_LABELS[r.agency.sector],
        members: String(r.members),
      })),
      footer: `${rows.length} ${rows.length === 1 ? 'agency' : 'agencies'}, ${members} active ${members === 1 ? 'member' : 'members'}. Add one with: add agency Heldshire Fire and Rescue (fire).`,
    });
  },
};

export const addAgencyCommand: Command = {
  name: 'add agency',
  menu: false,
  keywords: ['add agency'],
  usage: 'add agency <name> (<sector>)',
  description: `Add an agency to the partnership (admins and coordinators). Sectors: ${SECTORS}.`,
  example: 'add agency Heldshire Fire and Rescue (fire)',
  permission: 'member.onboard',
  patterns: [/^add\s+agency\b(?:\s+(.*))?$/i],
  run: async (rc, argument) => {
    const demo = rc.requester.partnership.demo;
    const parsed = parseAddAgency(argument);
    if (!parsed.ok) {
      const why: Record<string, string> = {
        'sector-missing': 'Give the sector in brackets after the name',
        sector: 'That sector is not one I know',
        'name-length': 'An agency name is 2 to 120 characters',
      };
      await sendNotice(
        rc.context,
        {
          title: 'How to add an agency',
          text: `${why[parsed.problem] ?? 'Say it as shown'}: add agency Heldshire Fire and Rescue (fire). Sectors: ${Sector.options.map((s) => `${s} (${SECTOR_LABELS[s]})`).join(', ')}.`,
        },
        demo,
      );
      return;
    }
    const agency = await rc.deps.onboarding.addAgency(rc.requester, parsed.value.name, parsed.value.sector);
    rc.deps.log.info({ activityId: rc.facts.activityId, agencyId: agency.id }, 'agency added');
    await sendNotice(
      rc.context,
      {
        title: 'Agency added',
        text: `${agency.name} (${SECTOR_LABELS[agency.sector]}, id ${agency.id}) is now an agency of ${rc.requester.partnership.name}. Add its people with: add @person to ${agency.name} as partner. Recorded in the audit trail under your name.`,
      },
      demo,
    );
  },
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const auditCommand: Command = {
  name: 'audit',
  menu: false,
  keywords: ['audit'],
  usage: 'audit @person',
  description:
    "Every change to a person's membership and access requests: who, when, what (admins). An object id works too.",
  example: 'audit @Pat Partner',
  permission: 'member.manage',
  patterns: [/^audit\b(?:\s+(.*))?$/i],
  run: async (rc, argument) => {
    const typed = argument.trim();
    const person = GUID.test(typed)
      ? { aadObjectId: typed.toLowerCase(), name: typed.toLowerCase() }
      : await mentionedPerson(rc, typed, 'audit @Pat Partner');
    if (!person) return;
    await sendNamedCard(
      rc.context,
      'history',
      await rc.deps.onboarding.history(rc.requester, person.aadObjectId, person.name),
    );
  },
};

/** In routing order: `add agency` before `add`. */
export const ONBOARDING_COMMANDS: readonly Command[] = [
  agenciesCommand,
  addAgencyCommand,
  addMemberCommand,
  removeMemberCommand,
  auditCommand,
];

const ApproveData = cardData({
  aadObjectId: AadObjectId,
  agencyId: z.string().min(1).max(64),
  role: Role.exclude(['admin']),
  clearance: Classification,
});
const DeclineData = cardData({
  aadObjectId: AadObjectId,
  reason: z.union([z.literal(''), boundedText(300)]).optional(),
});

export function register(app: Application<BotState>, deps: BotDeps, desk: AccessDesk): void {
  for (const command of ONBOARDING_COMMANDS) registerCommand(app, deps, command);

  // Answered to the admin who pressed alone (a card in their 1:1 chat, or one forwarded anywhere).
  const approve = guardedInvoke(deps, 'member.manage', async (rc, data) => {
    const choice = parseData(ApproveData, data);
    const { request, added } = await rc.deps.access.approve(rc.requester, choice.aadObjectId, choice);
    rc.deps.membership.forget(request.aadObjectId);
    rc.deps.log.info({ activityId: rc.facts.activityId, aadObjectId: request.aadObjectId }, 'access approved');
    desk.tellRequesterLater(
      request,
      'Access approved',
      `${rc.requester.member.displayName} added you to ${rc.requester.partnership.name} as ${choice.role} in ${added!.agency.name}. Type help to see what you can do.`,
    );
    return noticeCard(
      {
        title: 'Approved',
        text: `${request.displayName} is now ${choice.role} in ${added!.agency.name}, cleared for ${choice.clearance}. They are told in their chat with me. Recorded in the audit trail under your name.`,
      },
      rc.requester.partnership.demo,
    );
  });
  const decline = guardedInvoke(deps, 'member.manage', async (rc, data) => {
    const { aadObjectId, reason } = parseData(DeclineData, data);
    const { request } = await rc.deps.access.decline(rc.requester, aadObjectId, reason || undefined);
    rc.deps.log.info({ activityId: rc.facts.activityId, aadObjectId }, 'access declined');
    desk.tellRequesterLater(
      request,
      'Access declined',
      `Your request to join ${rc.requester.partnership.name} was declined${request.reason ? `: ${request.reason}` : '.'} Ask your partnership's administrator if you think this is wrong.`,
    );
    return noticeCard(
      {
        title: 'Declined',
        text: `${request.displayName}'s request was declined; they are told in their chat with me. Recorded in the audit trail under your name.`,
      },
      rc.requester.partnership.demo,
    );
  });
  app.addRoute(
    executeOf(VERB.accessApprove),
    async (c, s) => answerPresser(c, await approve(c, s, executeData(c))),
    true,
  );
  app.addRoute(
    executeOf(VERB.accessDecline),
    async (c, s) => answerPresser(c, await decline(c, s, executeData(c))),
    true,
  );
  // A member pressing an old Request access card: nothing to ask for.
  app.addRoute(
    executeOf(VERB.accessRequest),
    async (c) =>
      invokeMessage(c, 'You are already a member, so there is nothing to request. Type help to see what you can do.'),
    true,
  );
}
