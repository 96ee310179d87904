import type { AdaptiveCard } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';

/**
 * Answers an adaptiveCard/action invoke with a message, which Teams shows beside the card; used
 * where the route that would answer never runs (not a member, a failure).
 */
export async function invokeMessage(context: TurnContext, text: string): Promise<void> {
  await context.sendActivity({
    type: 'invokeResponse',
    value: {
      status: 200,
      body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text },
    },
  });
}

/** A message extension's invoke: a search typed, a result chosen, a link pasted. */
export function isMessageExtension(activity: { type?: string; name?: string }): boolean {
  return (
    activity.type === 'invoke' && typeof activity.name === 'string' && activity.name.startsWith('composeExtension/')
  );
}

/**
 * Answers a message extension's invoke with plain text, which Teams shows in the search flyout in
 * place of results (nothing is inserted into the message being written).
 */
export async function messageExtensionMessage(context: TurnContext, text: string): Promise<void> {
  await context.sendActivity({
    type: 'invokeResponse',
    value: { status: 200, body: { composeExtension: { type: 'message', text } } },
  });
}

/** Matches an Action.Execute press of one verb (what teams-ai's actionExecute matches). */
export function executeOf(verb: string): (context: TurnContext) => Promise<boolean> {
  return async (context) => {
    const a = context.activity;
    const action = (a.value as { action?: { type?: unknown; verb?: unknown } } | undefined)?.action;
    return a.type === 'invoke' && a.name === 'adaptiveCard/action' && action?.verb === verb;
  };
}

/** The data an Action.Execute press carries (the button's data and the card's inputs). */
export function executeData(context: TurnContext): unknown {
  return (context.activity.value as { action?: { data?: unknown } } | undefined)?.action?.data ?? {};
}

/**
 * Answers an Action.Execute to the person who pressed it alone: Teams shows the card in the
 * invoke response to that client only, and the message everyone else sees is left as it was
 * (teams-ai's actionExecute, as configured here, would replace it for the whole conversation).
 */
export async function answerPresser(context: TurnContext, result: AdaptiveCard | string): Promise<void> {
  if (typeof result === 'string') return invokeMessage(context, result);
  await context.sendActivity({
    type: 'invokeResponse',
    value: {
      status: 200,
      body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: result },
    },
  });
}
