import type { AdaptiveCard, Application } from '@microsoft/teams-ai';
import { errorCode } from '../../domain/errors.js';
import type { Permission } from '../../domain/permissions.js';
import {
  CHANGED_NOTICE,
  OUT_OF_DATE_NOTICE,
  OUT_OF_DATE_TEXT,
  REFRESH_VERB,
  RefreshData,
  refreshUserIds,
  withNotice,
  withRefresh,
  type DistrictCardName,
} from '../card-refresh.js';
import { parseData } from '../data.js';
import type { BotDeps } from '../deps.js';
import { cardKey, districtCard } from '../district-card-cache.js';
import { guardedInvoke, type RouteContext } from '../guard.js';
import { answerPresser, executeData, executeOf } from '../invoke.js';
import { noticeCard } from '../reply.js';
import type { BotState } from '../state.js';

/** What there is to show a viewer instead of a district card (no profile; withheld from them here). */
export interface DistrictNotice {
  title: string;
  text: string;
}

/** What a district card's maker answers: the bound card, or the notice to show instead. */
export type CardOrNotice = AdaptiveCard | DistrictNotice;

export function isCard(answer: CardOrNotice): answer is AdaptiveCard {
  return (answer as { type?: unknown }).type === 'AdaptiveCard';
}

/**
 * Answers a district card's refresh (Teams sends it by itself for the ids in `refresh.userIds`,
 * or when someone presses Refresh): behind the same guard as the command (membership, Teams
 * channel, tenant, then `permission`), for whoever refreshes, with their own visibility in this
 * conversation. It costs what the command costs: one stamp read, and the kept card while the
 * stamp matches. The answer goes to that person alone: never put in place for the conversation
 * (teams-ai's actionExecute would, for a card that carries `refresh`).
 */
export function registerDistrictRefresh(
  app: Application<BotState>,
  deps: BotDeps,
  name: DistrictCardName,
  permission: Permission,
  make: (rc: RouteContext, districtId: string) => Promise<CardOrNotice>,
  variant: (rc: RouteContext) => string = () => '',
): void {
  const refresh = guardedInvoke(deps, permission, async (rc, data) => {
    const { districtId, stamp } = parseData(RefreshData, data);
    return refreshed(rc, name, districtId, stamp, make, variant(rc));
  });
  app.addRoute(
    executeOf(REFRESH_VERB[name]),
    async (context, state) => answerPresser(context, await refresh(context, state, executeData(context))),
    true,
  );
}

async function refreshed(
  rc: RouteContext,
  name: DistrictCardName,
  districtId: string,
  sentStamp: string,
  make: (rc: RouteContext, districtId: string) => Promise<CardOrNotice>,
  variant: string,
): Promise<AdaptiveCard | string> {
  const userIds = refreshUserIds(rc.context);
  let notice: DistrictNotice | undefined;
  try {
    const made = await districtCard(
      rc,
      name,
      districtId,
      async () => {
        const answer = await make(rc, districtId);
        if (isCard(answer)) return answer;
        notice = answer;
        return undefined;
      },
      variant,
    );
    // Nothing to show this viewer here any more (the profile was withheld or removed): say so.
    if (!made) return noticeCard(notice!, rc.requester.partnership.demo);
    const card = withRefresh(made.card, name, districtId, made.stamp, userIds);
    return made.stamp === sentStamp ? card : withNotice(card, CHANGED_NOTICE, 'accent');
  } catch (err) {
    if (errorCode(err) !== 'STORE_UNAVAILABLE') throw err;
    // The card stays as it was, saying it may be out of date: the kept copy of what was sent,
    // if this instance still has it for this viewer, or a line beside the card.
    rc.deps.log.info({ activityId: rc.facts.activityId, code: 'REFRESH_UNCHECKED' }, 'card refresh unchecked');
    const kept = rc.deps.districtCards.peek(cardKey(rc, name, districtId, variant), sentStamp);
    if (!kept) return OUT_OF_DATE_TEXT;
    return withNotice(withRefresh(kept, name, districtId, sentStamp, userIds), OUT_OF_DATE_NOTICE, 'emphasis');
  }
}
