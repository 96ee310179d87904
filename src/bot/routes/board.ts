import type { Application } from '@microsoft/teams-ai';
import { TurnContext } from 'botbuilder';
import type { BoardChannel } from '../../domain/conversation.js';
import { describeSchedule, parseSchedule, scheduleOf } from '../../domain/digest-schedule.js';
import { plural } from '../../domain/format.js';
import type { ChannelPlace } from '../../services/board-channels.js';
import { fitsCard } from '../cards.js';
import { registerCommand, type Command } from '../command.js';
import type { BotDeps } from '../deps.js';
import type { RouteContext } from '../guard.js';
import { runSuggestion, sendNamedCard, sendNotice } from '../reply.js';
import type { BotState } from '../state.js';
import { ownExample } from '../own-example.js';

/**
 * The partnership board's channel (guidance 3.8): `subscribe`, `unsubscribe`, `digest settings`,
 * `digest now`, `digest status`. They work only in a team channel: the digest is for the board.
 */

/** The channel itself, not the thread the command was typed in; undefined outside a channel. */
async function channelHere(rc: RouteContext): Promise<ChannelPlace | undefined> {
  const { facts, context } = rc;
  if (facts.conversation !== 'channel' || !facts.tenantId) {
    await sendNotice(
      context,
      {
        title: 'That works in a channel',
        text: 'Board digests go to a team channel. @mention me in the board’s channel and type the command there, e.g. subscribe or digest status.',
      },
      rc.requester.partnership.demo,
    );
    return undefined;
  }
  const conversationId = facts.channelId ?? facts.conversationId.split(';')[0]!;
  // A new post in the channel, not a reply in the thread where the command was typed.
  const reference = TurnContext.getConversationReference(context.activity) as Record<string, unknown> & {
    conversation?: Record<string, unknown>;
  };
  const { activityId: _activityId, ...stable } = reference;
  await rc.deps.conversations.remember({
    tenantId: facts.tenantId,
    conversationId,
    kind: 'channel',
    serviceUrl: context.activity.serviceUrl,
    reference: { ...stable, conversation: { ...reference.conversation, id: conversationId } },
    ...(facts.teamId ? { teamId: facts.teamId } : {}),
    channelId: conversationId,
  });
  return { tenantId: facts.tenantId, conversationId };
}

async function notBoard(rc: RouteContext): Promise<void> {
  await sendNotice(
    rc.context,
    {
      title: 'Not a board channel',
      text: await ownExample(
        rc,
        'This channel does not get the weekly digest. A coordinator can make it the board’s channel with subscribe (the whole partnership) or subscribe Everton, Anfield (some districts).',
      ),
      suggestions: [runSuggestion('subscribe')],
    },
    rc.requester.partnership.demo,
  );
}

function scopeText(rc: RouteContext, c: BoardChannel, labels?: readonly string[]): string {
  if (!c.districtIds) return `every district of ${rc.requester.partnership.name}`;
  return labels && labels.length ? labels.join(', ') : plural(c.districtIds.length, 'district');
}

export const subscribeCommand: Command = {
  name: 'subscribe',
  scopes: ['team'],
  keywords: ['subscribe'],
  usage: 'subscribe [partnership | district, district …]',
  description:
    'In a team channel: make it the board’s channel, which gets the weekly digest (coordinators and admins).',
  example: 'subscribe',
  permission: 'board.manage',
  patterns: [/^subscribe(?:\s+(?:to\s+)?(.*))?$/i],
  run: async (rc, argument) => {
    const place = await channelHere(rc);
    if (!place) return;
    const scope = await rc.deps.boards.parseScope(rc.requester, argument);
    const channel = await rc.deps.boards.subscribe(rc.requester, place, scope);
    rc.deps.log.info(
      {
        activityId: rc.facts.activityId,
        partnershipId: channel.partnershipId,
        districts: channel.districtIds?.length ?? 'all',
      },
      'board channel subscribed',
    );
    await sendNotice(
      rc.context,
      {
        title: 'This is now a board channel',
        text: `The weekly digest for ${scopeText(rc, channel, scope.kind === 'districts' ? scope.labels : undefined)} comes here every ${describeSchedule(scheduleOf(channel))} UK time. Change it with digest settings Monday 08:00; see a digest now with digest now.`,
        suggestions: [runSuggestion('digest now'), runSuggestion('digest status')],
      },
      rc.requester.partnership.demo,
    );
  },
};

export const unsubscribeCommand: Command = {
  name: 'unsubscribe',
  scopes: ['team'],
  keywords: ['unsubscribe'],
  usage: 'unsubscribe',
  description: 'In a board channel: stop the weekly digest here (coordinators and admins).',
  example: 'unsubscribe',
  permission: 'board.manage',
  patterns: [/^unsubscribe[\s.!]*$/i],
  run: async (rc) => {
    const place = await channelHere(rc);
    if (!place) return;
    if (!(await rc.deps.boards.unsubscribe(rc.requester, place))) return notBoard(rc);
    rc.deps.log.info(
      { activityId: rc.facts.activityId, partnershipId: rc.requester.partnership.id },
      'board channel unsubscribed',
    );
    await sendNotice(
      rc.context,
      { title: 'Unsubscribed', text: 'This channel no longer gets the weekly digest. subscribe brings it back.' },
      rc.requester.partnership.demo,
    );
  },
};

export const digestSettingsCommand: Command = {
  name: 'digest settings',
  scopes: ['team'],
  keywords: ['digest'],
  usage: 'digest settings <weekday> <time>',
  description: 'In a board channel: when the weekly digest comes, in UK time (coordinators and admins).',
  example: 'digest settings Monday 08:00',
  permission: 'board.manage',
  patterns: [/^digest\s+(?:settings?|schedule|time)(?:\s+(.*))?$/i],
  run: async (rc, argument) => {
    const place = await channelHere(rc);
    if (!place) return;
    const schedule = parseSchedule(argument);
    if (!schedule) {
      await sendNotice(
        rc.context,
        {
          title: 'When should it come?',
          text: 'Give a weekday and a time of day in UK time, e.g. digest settings Monday 08:00 or digest settings Friday 4pm.',
          ...(argument ? { echo: argument } : {}),
        },
        rc.requester.partnership.demo,
      );
      return;
    }
    const channel = await rc.deps.boards.setSchedule(rc.requester, place, schedule);
    if (!channel) return notBoard(rc);
    await sendNotice(
      rc.context,
      {
        title: 'Digest time changed',
        text: `The weekly digest now comes every ${describeSchedule(schedule)} UK time (GMT in winter, BST in summer).`,
        suggestions: [runSuggestion('digest status')],
      },
      rc.requester.partnership.demo,
    );
  },
};

export const digestStatusCommand: Command = {
  name: 'digest status',
  scopes: ['team'],
  keywords: ['digest'],
  usage: 'digest status',
  description: 'In a board channel: when the last digest was sent, when the next is due, and any failed delivery.',
  example: 'digest status',
  permission: 'digest.request',
  patterns: [/^digest\s+status[\s?.!]*$/i],
  run: async (rc) => {
    const place = await channelHere(rc);
    if (!place) return;
    const status = await rc.deps.boards.status(rc.requester, place);
    if (!status) return notBoard(rc);
    const lines = [
      `**Covers:** ${scopeText(rc, status.channel, status.labels)}`,
      `**Schedule:** every ${status.scheduleText}`,
      `**Last sent:** ${status.lastSent}`,
      `**Next due:** ${status.nextDue}`,
    ];
    if (status.onItsWay) lines.push(`**On its way:** ${status.onItsWay}`);
    if (status.failure) lines.push(`**Failed delivery:** ${status.failure}`);
    await sendNotice(rc.context, { title: 'Weekly digest', text: lines.join('\n\n') }, rc.requester.partnership.demo);
  },
};

export const digestNowCommand: Command = {
  name: 'digest now',
  scopes: ['team'],
  keywords: ['digest'],
  usage: 'digest now',
  description: 'In a board channel: the digest of the last seven days, now (board members, coordinators, admins).',
  example: 'digest now',
  permission: 'digest.request',
  patterns: [/^digest(?:\s+now)?[\s?.!]*$/i],
  run: async (rc) => {
    const place = await channelHere(rc);
    if (!place) return;
    const channel = await rc.deps.boards.find(rc.requester.partnership.id, place.conversationId);
    if (!channel) return notBoard(rc);
    if (!rc.deps.digests) {
      await sendNotice(rc.context, { title: 'Not available', text: 'Digests on request are not available here.' });
      return;
    }
    // Composing for a large partnership takes seconds: the turn only records the request, and the
    // digest is composed and posted in the background, through the weekly digest's records.
    await rc.deps.digests.request(rc.requester.partnership, channel, rc.requester.member.aadObjectId);
    await sendNotice(
      rc.context,
      {
        title: 'Digest on its way',
        text: 'The digest of the last seven days is on its way: it will be posted in this channel in a moment. digest status shows it.',
        suggestions: [runSuggestion('digest status')],
      },
      rc.requester.partnership.demo,
    );
  },
};

export const boardCommands: readonly Command[] = [
  subscribeCommand,
  unsubscribeCommand,
  digestSettingsCommand,
  digestStatusCommand,
  digestNowCommand,
];

export function register(app: Application<BotState>, deps: BotDeps): void {
  for (const command of boardCommands) registerCommand(app, deps, command);
}
