import type { Application } from '@microsoft/teams-ai';
import type { Member } from '../../domain/member.js';
import { Role as Roles } from '../../domain/member.js';
import { PERMISSION_PHRASES, permissionAsked, roleNamed } from '../../domain/permission-phrases.js';
import { registerCommand, type Command } from '../command.js';
import type { BotDeps } from '../deps.js';
import type { RouteContext } from '../guard.js';
import { personNamed } from '../mentions.js';
import { sendNotice } from '../reply.js';
import type { BotState } from '../state.js';

const ROLES = Roles.options.join(', ');
const MAX_LISTED = 40;

/** The one member meant, or a notice saying why not (ambiguous, unknown) and what would work. */
async function memberMeant(rc: RouteContext, typed: string, example: string): Promise<Member | undefined> {
  const { roles } = rc.deps;
  const pid = rc.requester.partnership.id;
  const found = await roles.find(pid, await personNamed(rc.context, typed));
  if (found.kind === 'found') return found.member;
  const demo = rc.requester.partnership.demo;
  if (found.kind === 'ambiguous') {
    const labels = await roles.labels(pid, found.candidates);
    await sendNotice(
      rc.context,
      {
        title: 'Which one?',
        text:
          `${found.candidates.length} members are called ${found.name}: ` +
          found.candidates.map((m, i) => `${labels[i]}, Entra object id ${m.aadObjectId}`).join('; ') +
          `. @mention the one you mean, or give their object id, for example: ${example.replace('@Sam Patel', found.candidates[0]!.aadObjectId)}`,
      },
      demo,
    );
    return undefined;
  }
  const suggestions = found.suggestions.length ? await roles.labels(pid, found.suggestions) : [];
  await sendNotice(
    rc.context,
    {
      title: 'No such member',
      text:
        `Nobody in ${rc.requester.partnership.name} is called that.` +
        (suggestions.length ? ` Did you mean ${suggestions.join(', or ')}?` : '') +
        ' A person must be added as a member before they can be given a role (admin CLI: member add).',
    },
    demo,
  );
  return undefined;
}

function roleChange(verb: 'grant' | 'revoke'): Command {
  const grant = verb === 'grant';
  const example = grant ? 'grant coordinator to @Sam Patel' : 'revoke coordinator from @Sam Patel';
  const shape = grant ? /^(.+?)\s+(?:role\s+)?to\s+(.+)$/i : /^(.+?)\s+(?:role\s+)?from\s+(.+)$/i;
  return {
    name: verb,
    keywords: [verb],
    usage: grant ? 'grant <role> to @person' : 'revoke <role> from @person',
    description: grant
      ? `Give a member a role (${ROLES}). Admins only; recorded in the audit trail.`
      : 'Take a role away from a member. Admins only; recorded in the audit trail.',
    example,
    permission: 'member.manage',
    patterns: [grant ? /^grant\b(?:\s+(.*))?$/i : /^(?:revoke|remove)\b(?:\s+(.*))?$/i],
    run: async (rc, argument) => {
      const demo = rc.requester.partnership.demo;
      const m = shape.exec(argument);
      const role = m ? roleNamed(m[1]!) : undefined;
      if (!m || !role) {
        await sendNotice(
          rc.context,
          {
            title: m ? 'Not a role' : `How to ${verb} a role`,
            text: `${m ? 'That is not a role. ' : ''}Say it as: ${example}. Roles: ${ROLES}.`,
          },
          demo,
        );
        return;
      }
      const member = await memberMeant(rc, m[2]!, example);
      if (!member) return;
      const change = grant
        ? await rc.deps.roles.grant(rc.requester, member, role)
        : await rc.deps.roles.revoke(rc.requester, member, role);
      rc.deps.membership.forget(member.aadObjectId);
      rc.deps.log.info(
        {
          activityId: rc.facts.activityId,
          actor: rc.requester.member.aadObjectId,
          aadObjectId: member.aadObjectId,
          role,
          change: verb,
          changed: change.changed,
        },
        'member roles',
      );
      const [label] = await rc.deps.roles.labels(rc.requester.partnership.id, [change.member]);
      const now = change.member.roles.join(' and ');
      await sendNotice(
        rc.context,
        change.changed
          ? {
              title: grant ? 'Role granted' : 'Role revoked',
              text: `${label} is now ${now}. The change is recorded in the audit trail under your name.`,
            }
          : {
              title: 'Nothing changed',
              text: grant
                ? `${label} already has the ${role} role.`
                : `${label} does not have the ${role} role (they are ${now}).`,
            },
        demo,
      );
    },
  };
}

export const grantCommand = roleChange('grant');
export const revokeCommand = roleChange('revoke');

export const whoCanCommand: Command = {
  name: 'who can',
  keywords: ['who'],
  usage: 'who can <do something>',
  description: 'Which roles, and which members, may do something: review, create gaps, assign, update actions, …',
  example: 'who can review',
  permission: 'member.manage',
  patterns: [/^who\s+(?:can|may)\b(?:\s+(.*[^\s?.!]))?[\s?.!]*$/i],
  run: async (rc, argument) => {
    const demo = rc.requester.partnership.demo;
    const asked = permissionAsked(argument);
    if (!asked) {
      await sendNotice(
        rc.context,
        {
          title: 'Who can what?',
          text: `Ask about one thing, for example: ${PERMISSION_PHRASES.slice(0, 6)
            .map((p) => `who can ${p.says.replace(/^record the six-monthly /, '')}`)
            .join(', ')}.`,
        },
        demo,
      );
      return;
    }
    const { roles, members } = await rc.deps.roles.whoCan(rc.requester.partnership.id, asked.permission);
    const labels = await rc.deps.roles.labels(rc.requester.partnership.id, members.slice(0, MAX_LISTED));
    const more = members.length > MAX_LISTED ? `, and ${members.length - MAX_LISTED} more` : '';
    await sendNotice(
      rc.context,
      {
        title: `Who can ${asked.says}`,
        text:
          `Roles: ${roles.join(', ')}. ` +
          (members.length
            ? `${members.length === 1 ? 'One member' : `${members.length} members`} in ${rc.requester.partnership.name}: ${labels.join('; ')}${more}.`
            : `Nobody in ${rc.requester.partnership.name} has one of those roles yet.`),
      },
      demo,
    );
  },
};

/** Admin commands: routed like any other, listed in help only to those who may use them. */
export const ROLE_COMMANDS: readonly Command[] = [grantCommand, revokeCommand, whoCanCommand];

export function register(app: Application<BotState>, deps: BotDeps): void {
  for (const command of ROLE_COMMANDS) registerCommand(app, deps, command);
}
