import type { AdaptiveCard } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { AccessRequest } from '../domain/access-request.js';
import { ValidationError } from '../domain/errors.js';
import type { ConversationRef } from '../domain/conversation.js';
import { banner } from '../domain/summary.js';
import { SECTOR_LABELS } from '../domain/partnership.js';
import type { Partnership } from '../domain/partnership.js';
import type { RequestOutcome } from '../services/access-requests.js';
import { renderCard } from './cards.js';
import type { BotDeps } from './deps.js';
import { errorSummary } from './guard.js';
import { invokeMessage } from './invoke.js';
import type { SendCard } from './proactive.js';
import { noticeCard } from './reply.js';
import type { TurnFacts } from './turn.js';

const ASK_ADMIN = "Ask your partnership's administrator to add you";

/**
 * Access requests on the bot's side (issue 16): the "not a member" answer, with a Request access
 * button where asking is possible; the stranger's press, answered to them alone (the membership
 * guard calls this, so a stranger never reaches a route); the card each admin is sent in their
 * 1:1 chat; and the outcome, told in the requester's 1:1 chat. Sends go through the bot's one
 * proactive sender, after the invoke is answered.
 */
export class AccessDesk {
  constructor(
    private readonly send: SendCard,
    private readonly deps: BotDeps,
  ) {}

  /** The "not a member" card: with the button only in a 1:1 chat, and only where asking reaches a partnership. */
  async notMemberCard(facts: TurnFacts): Promise<AdaptiveCard> {
    const reachable = await this.deps.access.mayAsk(facts.tenantId);
    const mayAsk = facts.conversation === 'personal' && facts.aadObjectId && reachable;
    const idText = facts.aadObjectId ? `, giving them your Microsoft Entra object id: ${facts.aadObjectId}.` : '.';
    if (!mayAsk) {
      const where =
        facts.conversation !== 'personal' && reachable
          ? ' Or open a 1:1 chat with me and press Request access there.'
          : '';
      return noticeCard({
        title: 'Not a member yet',
        text: `You are not a member of a partnership that uses this bot, so I cannot show you anything yet. ${ASK_ADMIN}${idText}${where}`,
      });
    }
    return renderCard('request-access', {
      banner: banner('OFFICIAL', false),
      title: 'Not a member yet',
      text: `You are not a member of a partnership that uses this bot, so I cannot show you anything yet. Press Request access to ask its admins, or ${ASK_ADMIN.charAt(0).toLowerCase()}${ASK_ADMIN.slice(1)}${idText}`,
    });
  }

  /** A stranger pressed Request access: answered to them alone, beside the card. */
  async press(context: TurnContext, facts: TurnFacts): Promise<void> {
    if (facts.conversation !== 'personal') {
      await invokeMessage(
        context,
        'Ask for access in your 1:1 chat with me, so the answer reaches you alone. Nothing was sent.',
      );
      return;
    }
    const a = context.activity;
    // The name as Teams shows it, held to what a member's name may be (no control characters).
    // eslint-disable-next-line no-control-regex
    const name = String(a.from?.name ?? '')
      .replace(/[\u0000-\u001F\u007F]+/g, ' ')
      .trim()
      .slice(0, 120);
    let outcome: RequestOutcome;
    try {
      outcome = facts.aadObjectId
        ? await this.deps.access.request({
            aadObjectId: facts.aadObjectId,
            tenantId: facts.tenantId ?? '',
            displayName: name || 'Unnamed Teams user',
            serviceUrl: String(a.serviceUrl ?? ''),
            conversationId: facts.conversationId,
            botId: String(a.recipient?.id ?? ''),
          })
        : { kind: 'tenant-not-allowed' };
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      this.deps.log.info({ activityId: facts.activityId, code: err.code }, 'access request refused');
      await invokeMessage(context, err.message);
      return;
    }
    this.deps.log.info(
      { activityId: facts.activityId, outcome: outcome.kind, code: 'ACCESS_REQUEST' },
      'access request',
    );
    await invokeMessage(context, answerOf(outcome));
    if (outcome.kind === 'requested') {
      setImmediate(() => {
        this.notifyAdmins(outcome).catch((err: unknown) =>
          this.deps.log.error({ activityId: facts.activityId, err: errorSummary(err) }, 'access request not delivered'),
        );
      });
    }
  }

  private async notifyAdmins(outcome: Extract<RequestOutcome, { kind: 'requested' }>): Promise<void> {
    for (const { partnership, request, admins } of outcome.sent) {
      const card = await this.requestCard(partnership, request);
      for (const { member, ref } of await this.deps.access.adminChats(partnership, admins)) {
        if (!ref) {
          this.deps.log.warn({ aadObjectId: member.aadObjectId, code: 'ADMIN_UNREACHABLE' }, 'admin has no 1:1 chat');
          continue;
        }
        await this.sendLogged(ref, card, member.aadObjectId);
      }
    }
  }

  private async requestCard(partnership: Partnership, request: AccessRequest): Promise<AdaptiveCard> {
    const agencies = await this.deps.onboarding.agencies(partnership.id);
    return renderCard('access-request', {
      banner: banner('OFFICIAL', partnership.demo),
      partnershipName: partnership.name,
      displayName: request.displayName,
      aadObjectId: request.aadObjectId,
      tenantId: request.tenantId,
      requestedAt: `${request.requestedAt.slice(0, 16).replace('T', ' ')} UTC`,
      agencies: agencies.map((r) => ({
        id: r.agency.id,
        name: `${r.agency.name} (${SECTOR_LABELS[r.agency.sector]})`,
      })),
    });
  }

  /** The outcome, in the requester's 1:1 chat, after the admin's press is answered. */
  tellRequesterLater(request: AccessRequest, title: string, text: string): void {
    const ref: ConversationRef = {
      tenantId: request.tenantId,
      conversationId: request.conversationId,
      kind: 'personal',
      aadObjectId: request.aadObjectId,
      serviceUrl: request.serviceUrl,
      reference: {
        channelId: 'msteams',
        serviceUrl: request.serviceUrl,
        conversation: { id: request.conversationId, conversationType: 'personal', tenantId: request.tenantId },
        bot: { id: request.botId },
        user: { aadObjectId: request.aadObjectId },
      },
      updatedAt: request.requestedAt,
    };
    setImmediate(() => {
      void this.sendLogged(ref, noticeCard({ title, text }), request.aadObjectId);
    });
  }

  private async sendLogged(ref: ConversationRef, card: AdaptiveCard, aadObjectId: string): Promise<void> {
    try {
      await this.send(ref, card);
    } catch (err) {
      this.deps.log.warn({ aadObjectId, err: errorSummary(err) }, 'access card not delivered');
    }
  }
}

function answerOf(outcome: RequestOutcome): string {
  switch (outcome.kind) {
    case 'tenant-not-allowed':
      return `You are not a member of a partnership that uses this bot, and requests are not taken from your organisation's tenant. ${ASK_ADMIN}. Nothing was sent.`;
    case 'no-partnership':
      return `No partnership using this bot takes requests from your organisation. ${ASK_ADMIN}. Nothing was sent.`;
    case 'pending':
      return `Your request to ${names(outcome.partnerships)} is still waiting for an admin. I will tell you here when it is decided.`;
    case 'requested': {
      const reached = outcome.sent.filter((s) => s.admins.length > 0);
      const none = outcome.sent.filter((s) => s.admins.length === 0);
      return (
        `Your request went to the admins of ${names(outcome.sent.map((s) => s.partnership))}. I will tell you here when it is decided.` +
        (none.length && !reached.length ? ' No admin is set up yet, so it may wait a while.' : '')
      );
    }
  }
}

function names(partnerships: readonly Pick<Partnership, 'name'>[]): string {
  const n = partnerships.map((p) => p.name);
  return n.length <= 1 ? (n[0] ?? '') : `${n.slice(0, -1).join(', ')} and ${n.at(-1)}`;
}
