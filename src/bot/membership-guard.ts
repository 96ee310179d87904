import { TurnContext } from 'botbuilder';
import { NotAMemberError } from '../domain/errors.js';
import type { AccessDesk } from './access-desk.js';
import type { BotDeps } from './deps.js';
import { cardDataBytes, cleanInput, MAX_CARD_DATA_BYTES, MAX_INPUT_CHARS, type InputProblem } from './input.js';
import { executeOf, invokeMessage, isMessageExtension, messageExtensionMessage } from './invoke.js';
import { sendCard, sendNotice } from './reply.js';
import type { BotState } from './state.js';
import { turnFacts, type TurnFacts } from './turn.js';
import { VERB } from './verbs.js';

const PROBLEM_TEXT: Record<InputProblem, (length: number) => string> = {
  'too-long': (n) =>
    `That message is ${n.toLocaleString('en-GB')} characters long; commands are under ${MAX_INPUT_CHARS.toLocaleString('en-GB')}. Try summary Everton, or help for the list.`,
  json: () =>
    "That looks like card JSON. I don't read cards pasted as text; I answer commands such as summary Everton. Type help for the list.",
  markup: () =>
    'That looks like markup (HTML or XML). I answer plain commands such as summary Everton. Type help for the list.',
};

async function rememberConversation(deps: BotDeps, context: TurnContext, facts: TurnFacts): Promise<void> {
  if (!facts.tenantId || !facts.conversationId || !context.activity.serviceUrl) return;
  const ref = {
    tenantId: facts.tenantId,
    conversationId: facts.conversationId,
    kind: facts.conversation,
    serviceUrl: context.activity.serviceUrl,
    reference: TurnContext.getConversationReference(context.activity) as Record<string, unknown>,
    ...(facts.conversation === 'personal' && facts.aadObjectId ? { aadObjectId: facts.aadObjectId } : {}),
    ...(facts.teamId ? { teamId: facts.teamId } : {}),
    ...(facts.channelId ? { channelId: facts.channelId } : {}),
  };
  await deps.conversations.remember(ref);
}

const TEAMS_CHANNEL = 'msteams';

async function isMember(deps: BotDeps, facts: TurnFacts): Promise<boolean> {
  try {
    await deps.membership.resolve(facts.aadObjectId, facts.tenantId);
    return true;
  } catch (err) {
    if (err instanceof NotAMemberError) return false;
    throw err;
  }
}

async function refuse(context: TurnContext, title: string, text: string): Promise<void> {
  if (isMessageExtension(context.activity)) await messageExtensionMessage(context, text);
  else if (context.activity.type === 'invoke') await invokeMessage(context, text);
  else await sendNotice(context, { title, text });
}

/**
 * Runs before any route (teams-ai's beforeTurn), so no route can be reached around it. In order,
 * each before anything is read from or written to the store: the activity must come from Teams
 * (anything else is dropped without an answer); the sender's tenant must be allowed; a sender
 * over their command rate is told to slow down; a card payload must be of a sane size. Then it
 * lets only partnership members through to the routes, records the conversation (a member's
 * only, and never from a message extension's invoke) for later proactive messages, and turns
 * what they typed into a clean command (the bot's own mention already removed by teams-ai). A
 * stranger is answered here and goes no further: the "not a member" card (with Request access
 * where asking is possible), or their press of that button, which `desk` handles without any
 * route. Message extension invokes are answered in their own shape. Returning false ends the turn.
 */
export function membershipGuard(
  deps: BotDeps,
  desk?: AccessDesk,
): (context: TurnContext, state: BotState) => Promise<boolean> {
  const requestPressed = executeOf(VERB.accessRequest);
  return async (context, state) => {
    // Identity (aadObjectId, tenant, conversation type) means something only as Teams sends it: a
    // token endorsed for any other channel (Web Chat, Direct Line) could claim anyone's.
    if (context.activity.channelId !== TEAMS_CHANNEL) {
      deps.log.warn({ activityId: context.activity.id, code: 'CHANNEL_REFUSED' }, 'channel refused');
      return false;
    }
    const facts = turnFacts(context);
    state.temp.facts = facts;
    const type = context.activity.type;

    if (deps.allowedTenantIds.length > 0 && !(facts.tenantId && deps.allowedTenantIds.includes(facts.tenantId))) {
      deps.log.warn(
        { activityId: facts.activityId, tenantId: facts.tenantId ?? null, code: 'TENANT_REFUSED' },
        'tenant refused',
      );
      if (type === 'message' || type === 'invoke') {
        await refuse(context, 'Not available here', 'This bot serves another organisation, so it cannot answer you.');
      }
      return false;
    }

    if (type === 'message' || type === 'invoke') {
      const sender = facts.aadObjectId ?? context.activity.from?.id ?? 'unknown';
      // A refresh Teams sends by itself has its own, larger budget, and is never told to slow
      // down: the person did nothing. Past that budget the card stays as Teams shows it.
      const automatic =
        type === 'invoke' && (context.activity.value as { trigger?: unknown } | undefined)?.trigger === 'automatic';
      const take = automatic ? deps.rateLimiter.takeRefresh(sender) : deps.rateLimiter.take(sender);
      if (!take.allowed && automatic) {
        deps.log.info(
          { activityId: facts.activityId, aadObjectId: facts.aadObjectId, code: 'REFRESH_DEFERRED' },
          'automatic refresh over budget',
        );
        await invokeMessage(context, 'This card is shown as it was last updated, so it may be out of date.');
        return false;
      }
      if (!take.allowed) {
        deps.log.info(
          { activityId: facts.activityId, aadObjectId: facts.aadObjectId, code: 'RATE_LIMITED' },
          'rate limited',
        );
        await refuse(
          context,
          'Slow down',
          `You have sent a lot of commands in a short time, so I did not run that one. Please wait ${take.retryAfterSeconds} seconds and try again.`,
        );
        return false;
      }
      const bytes = cardDataBytes(context.activity.value);
      if (bytes > MAX_CARD_DATA_BYTES) {
        deps.log.info({ activityId: facts.activityId, bytes, code: 'PAYLOAD_TOO_LARGE' }, 'card payload refused');
        await refuse(
          context,
          'That button sent too much',
          `The card sent ${bytes.toLocaleString('en-GB')} bytes; a button sends under ${MAX_CARD_DATA_BYTES.toLocaleString('en-GB')}. Nothing was done. Type help for what I can do.`,
        );
        return false;
      }
    }

    if (type !== 'message' && type !== 'invoke') {
      // An install or a roster change: remembered only for a member, so a stranger's address is
      // never stored (nor one that could overwrite a member's).
      if (await isMember(deps, facts)) await rememberConversation(deps, context, facts);
      return true;
    }

    try {
      state.temp.requester = await deps.membership.resolve(facts.aadObjectId, facts.tenantId);
    } catch (err) {
      if (!(err instanceof NotAMemberError)) throw err;
      deps.log.info({ activityId: facts.activityId, code: err.code }, 'not a member');
      if (desk && type === 'invoke' && (await requestPressed(context))) {
        await desk.press(context, facts);
        return false;
      }
      if (desk && type === 'message') {
        await sendCard(context, await desk.notMemberCard(facts));
        return false;
      }
      const text =
        'You are not a member of a partnership that uses this bot, so I cannot show you anything yet. ' +
        'Ask your partnership admin to add you' +
        (facts.aadObjectId ? `, giving them your Microsoft Entra object id: ${facts.aadObjectId}.` : '.');
      await refuse(context, 'Not a member yet', text);
      return false;
    }

    // A message extension's invoke comes from whatever chat the person is writing in, which the
    // bot may not be part of (a 1:1 chat between two people says "personal" too): remembered, it
    // could pass for their chat with the bot, the one place OFFICIAL-SENSITIVE may be shown.
    if (!isMessageExtension(context.activity)) await rememberConversation(deps, context, facts);

    // Every text is held to the same limit and cleaned, a card submit's included: teams-ai matches
    // message routes on the text whether or not a value came with it.
    if (type === 'message') {
      const text: unknown = context.activity.text;
      const input = cleanInput(typeof text === 'string' ? text : undefined);
      if (input.problem) {
        deps.log.info({ activityId: facts.activityId, problem: input.problem, length: input.length }, 'input refused');
        await sendNotice(
          context,
          { title: "I can't read that as a command", text: PROBLEM_TEXT[input.problem](input.length) },
          state.temp.requester.partnership.demo,
        );
        return false;
      }
      context.activity.text = input.text;
    }
    return true;
  };
}
