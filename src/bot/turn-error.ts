import type { TurnContext } from 'botbuilder';
import { errorCode } from '../domain/errors.js';
import type { Logger } from '../log.js';
import { errorSummary, STORE_UNAVAILABLE_TEXT } from './guard.js';
import { isCardRefresh, OUT_OF_DATE_TEXT } from './card-refresh.js';
import { invokeMessage, isMessageExtension, messageExtensionMessage } from './invoke.js';
import { sendNotice } from './reply.js';
import { routeNameOf } from './route-name.js';

/**
 * The one error sink for a turn: logs the code, the route, the activity id and where it was thrown
 * (never what was typed) and tells the person plainly that nothing was changed, so they know it is
 * safe to try again; the activity id they are given finds the log line.
 */
export function turnErrorHandler(log: Logger): (context: TurnContext, err: Error) => Promise<void> {
  return async (context, err) => {
    const code = errorCode(err);
    const activityId = context.activity.id;
    log.error({ activityId, route: routeNameOf(context), code, err: errorSummary(err) }, 'turn failed');
    // Only Teams is answered: an activity from another channel was refused, not served.
    if (context.activity.channelId !== 'msteams') return;
    // A card refresh (often sent by Teams, not the person) leaves the card as it was: say that.
    const text =
      code === 'STORE_UNAVAILABLE'
        ? isCardRefresh(context)
          ? OUT_OF_DATE_TEXT
          : STORE_UNAVAILABLE_TEXT
        : `Sorry, something went wrong on our side and nothing was changed. Please try again; if it keeps happening, give your admin this reference: ${activityId ?? 'none'}.`;
    try {
      if (isMessageExtension(context.activity)) await messageExtensionMessage(context, text);
      else if (context.activity.type === 'invoke') await invokeMessage(context, text);
      else
        await sendNotice(context, {
          title: code === 'STORE_UNAVAILABLE' ? 'Store unavailable' : 'Something went wrong',
          text,
        });
    } catch (sendErr) {
      log.error({ activityId, err: errorSummary(sendErr) }, 'could not send the error reply');
    }
  };
}
