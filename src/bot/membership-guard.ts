import { TurnContext } from 'botbuilder';
import { NotAMemberError } from '../domain/errors.js';
import type { BotDeps } from './deps.js';
import { cleanInput, MAX_INPUT_CHARS, type InputProblem } from './input.js';
import { invokeMessage } from './invoke.js';
import { sendNotice } from './reply.js';
import type { BotState } from './state.js';
import { turnFacts, type TurnFacts } from './turn.js';

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

/**
 * Runs before any route (teams-ai's beforeTurn): records the conversation for later proactive
 * messages, lets only partnership members through to the routes, and turns what they typed into
 * a clean command (mention already removed by teams-ai). Returning false ends the turn.
 */
export function membershipGuard(deps: BotDeps): (context: TurnContext, state: BotState) => Promise<boolean> {
  return async (context, state) => {
    const facts = turnFacts(context);
    state.temp.facts = facts;
    await rememberConversation(deps, context, facts);

    const type = context.activity.type;
    if (type !== 'message' && type !== 'invoke') return true;

    try {
      state.temp.requester = await deps.membership.resolve(facts.aadObjectId, facts.tenantId);
    } catch (err) {
      if (!(err instanceof NotAMemberError)) throw err;
      deps.log.info({ activityId: facts.activityId, code: err.code }, 'not a member');
      const text =
        'You are not a member of a partnership that uses this bot, so I cannot show you anything yet. ' +
        'Ask your partnership admin to add you' +
        (facts.aadObjectId ? `, giving them your Microsoft Entra object id: ${facts.aadObjectId}.` : '.');
      if (type === 'invoke') await invokeMessage(context, text);
      else await sendNotice(context, { title: 'Not a member yet', text });
      return false;
    }

    const isTyped = type === 'message' && context.activity.value === undefined;
    if (isTyped) {
      const input = cleanInput(context.activity.text);
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
