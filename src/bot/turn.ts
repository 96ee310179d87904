import type { TurnContext } from 'botbuilder';
import type { ConversationKind } from '../domain/conversation.js';
import type { Member } from '../domain/member.js';
import type { Viewer } from '../domain/visibility.js';

/** What a turn is, as plain values: the one place that reads the Teams activity's shape. */
export interface TurnFacts {
  activityId: string | undefined;
  aadObjectId: string | undefined;
  tenantId: string | undefined;
  conversationId: string;
  conversation: ConversationKind;
  teamId: string | undefined;
  channelId: string | undefined;
}

function kindOf(conversationType: string | undefined): ConversationKind {
  if (conversationType === 'personal' || conversationType === 'channel' || conversationType === 'groupChat') {
    return conversationType;
  }
  // Unknown means others may be reading: treat it as a group chat, never as a private one.
  return 'groupChat';
}

export function turnFacts(context: TurnContext): TurnFacts {
  const a = context.activity;
  const channelData = (a.channelData ?? {}) as {
    tenant?: { id?: string };
    team?: { id?: string };
    channel?: { id?: string };
  };
  return {
    activityId: a.id,
    aadObjectId: a.from?.aadObjectId?.toLowerCase(),
    tenantId: (channelData.tenant?.id ?? a.conversation?.tenantId)?.toLowerCase(),
    conversationId: a.conversation?.id ?? '',
    conversation: kindOf(a.conversation?.conversationType),
    teamId: channelData.team?.id,
    channelId: channelData.channel?.id,
  };
}

export function viewerOf(facts: TurnFacts, member: Pick<Member, 'clearance'>): Viewer {
  return { clearance: member.clearance, conversation: facts.conversation };
}
