import type { AdaptiveCard } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import {
  ConcurrencyError,
  DomainError,
  errorCode,
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  ValidationError,
} from '../domain/errors.js';
import { can, rolesGranting, type Permission } from '../domain/permissions.js';
import type { Viewer } from '../domain/visibility.js';
import type { Requester } from '../services/membership.js';
import { stackFrames } from '../log.js';
import type { BotDeps } from './deps.js';
import { noticeCard, sendCard, type Suggestion } from './reply.js';
import type { BotState } from './state.js';
import { viewerOf, type TurnFacts } from './turn.js';

/** What every route handler gets: who is asking, where, and the services. */
export interface RouteContext {
  context: TurnContext;
  requester: Requester;
  facts: TurnFacts;
  viewer: Viewer;
  deps: BotDeps;
}

export function routeContext(context: TurnContext, state: BotState, deps: BotDeps): RouteContext {
  const { requester, facts } = state.temp;
  // The membership guard runs before every route and stops the turn for non-members.
  if (!requester || !facts) throw new Error('route reached without the membership guard');
  return { context, requester, facts, viewer: viewerOf(facts, requester.member), deps };
}

/** What a person is told when the store cannot be reached, whichever path met the outage. */
export const STORE_UNAVAILABLE_TEXT =
  'The store is unavailable just now, so nothing was read or changed. Please try again in a minute.';

/** A kind answer for an expected failure; undefined for the unexpected, which the turn-error handler takes. */
export function explain(err: unknown): { title: string; text: string; suggestions?: Suggestion[] } | undefined {
  if (err instanceof ForbiddenError) return { title: 'Not allowed', text: err.message };
  if (err instanceof NotFoundError) {
    return {
      title: 'Not found',
      text: `That ${err.entity} no longer exists or is not in your partnership. Type help to see what you can ask for.`,
    };
  }
  if (err instanceof ConcurrencyError) {
    return {
      title: 'Changed by someone else',
      text: `Someone changed this ${err.entity} after the card was shown, so nothing was recorded. Open it again to see the latest, then try again.`,
    };
  }
  if (err instanceof InvalidTransitionError || err instanceof ValidationError) {
    return { title: 'That did not work', text: err.message };
  }
  return undefined;
}

function forbiddenText(permission: Permission): string {
  const roles = rolesGranting(permission).join(' or ');
  return `Your role does not allow that: it needs the ${roles} role. Ask your partnership admin if you should have it.`;
}

/** The role check; answers "not allowed" itself, so a caller only returns. */
export async function allowed(rc: RouteContext, permission: Permission): Promise<boolean> {
  if (can(rc.requester.member, permission)) return true;
  await sendCard(
    rc.context,
    noticeCard({ title: 'Not allowed', text: forbiddenText(permission) }, rc.requester.partnership.demo),
  );
  return false;
}

/**
 * The one guard in front of every message route: the member may do this (role), and expected
 * failures become kind answers. The membership itself was checked before routing.
 */
export function guarded(
  deps: BotDeps,
  permission: Permission,
  handler: (rc: RouteContext) => Promise<void>,
): (context: TurnContext, state: BotState) => Promise<void> {
  return async (context, state) => {
    const rc = routeContext(context, state, deps);
    if (!(await allowed(rc, permission))) return;
    try {
      await handler(rc);
    } catch (err) {
      const kind = explain(err);
      if (!kind) throw err;
      deps.log.info({ activityId: rc.facts.activityId, code: (err as DomainError).code }, 'request refused');
      await sendCard(context, noticeCard(kind, rc.requester.partnership.demo));
    }
  };
}

/**
 * The same guard for Action.Execute (an invoke Teams waits about five seconds for): it always
 * answers, with the refreshed card or with a message Teams shows beside the card.
 */
export function guardedInvoke<T>(
  deps: BotDeps,
  permission: Permission,
  handler: (rc: RouteContext, data: unknown) => Promise<AdaptiveCard | string>,
): (context: TurnContext, state: BotState, data: T) => Promise<AdaptiveCard | string> {
  return async (context, state, data) => {
    const rc = routeContext(context, state, deps);
    if (!can(rc.requester.member, permission)) return forbiddenText(permission);
    try {
      return await handler(rc, data);
    } catch (err) {
      const kind = explain(err);
      if (!kind) {
        deps.log.error({ activityId: rc.facts.activityId, err: errorSummary(err) }, 'card action failed');
        // Said as the turn-error handler says it, so an outage reads the same on a card as in chat.
        if (errorCode(err) === 'STORE_UNAVAILABLE') return STORE_UNAVAILABLE_TEXT;
        return 'Sorry, that did not work and nothing was changed. Please try again.';
      }
      return kind.text;
    }
  };
}

/**
 * For logs: the error's class, code and stack frames (file:line), never its message (it may quote
 * what someone typed), so the reference a person is given leads an operator to the line.
 */
export function errorSummary(err: unknown): { name: string; code?: string; frames: string[] } {
  const frames = stackFrames(err);
  if (err instanceof DomainError) return { name: err.name, code: err.code, frames };
  return { name: err instanceof Error ? err.name : typeof err, frames };
}
