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
