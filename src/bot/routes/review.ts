import type { AdaptiveCard } from '@microsoft/teams-ai';
import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { ConcurrencyError } from '../../domain/errors.js';
import { refreshUserIds, withRefresh } from '../card-refresh.js';
import { cardData, parseData } from '../data.js';
import type { BotDeps } from '../deps.js';
import { guardedInvoke, type RouteContext } from '../guard.js';
import { noticeCard } from '../reply.js';
import type { BotState } from '../state.js';
import { VERB } from '../verbs.js';
import { renderSummary } from './summary.js';

const ReviewData = cardData({ districtId: z.string().min(1).max(64), etag: z.string().min(1).max(128) });

/** The card that replaces the pressed one: the summary as it now stands, with a line on what happened. */
async function refreshed(rc: RouteContext, districtId: string, note: string): Promise<AdaptiveCard> {
  // Read first, so the card's refresh never claims a stamp newer than what it shows.
  const stamp = await rc.deps.profiles.stamp(rc.requester, districtId);
  const result = await rc.deps.profiles.summary(rc.requester, rc.viewer, districtId);
  if (result.kind !== 'summary') {
    return noticeCard({ title: 'Review', text: note }, rc.requester.partnership.demo);
  }
  // It replaces the card for everyone, so it keeps its refresh: each reader can get their own view.
  return withRefresh(
    renderSummary(rc, result.view, note),
    'summary',
    districtId,
    stamp,
    refreshUserIds(rc.context),
  );
}

export function register(app: Application<BotState>, deps: BotDeps): void {
  app.adaptiveCards.actionExecute(
    VERB.profileReview,
    guardedInvoke(deps, 'profile.review', async (rc, data) => {
      const { districtId, etag } = parseData(ReviewData, data);
      try {
        await rc.deps.profiles.markReviewed(rc.requester, districtId, etag);
      } catch (err) {
        if (!(err instanceof ConcurrencyError)) throw err;
        return refreshed(
          rc,
          districtId,
          'Someone changed this profile after your card was shown, so no review was recorded. This is the latest: press Mark reviewed again if it still stands.',
        );
      }
      return refreshed(rc, districtId, `Review recorded by ${rc.requester.member.displayName}.`);
    }),
  );
}
