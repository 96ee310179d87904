import type { AdaptiveCard, Application } from '@microsoft/teams-ai';
import type { MessagingExtensionAttachment, MessagingExtensionResult, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { parseDistrictLink } from '../../domain/district-link.js';
import { errorCode, NotFoundError } from '../../domain/errors.js';
import { can } from '../../domain/permissions.js';
import type { DistrictPreview } from '../../services/district-profiles.js';
import { DISTRICT_SEARCH } from '../../services/teams-app/message-extension.js';
import { Slug } from '../../domain/text.js';
import type { BotDeps } from '../deps.js';
import { districtCard } from '../district-card-cache.js';
import { errorSummary, explain, routeContext, STORE_UNAVAILABLE_TEXT, type RouteContext } from '../guard.js';
import { cleanInput } from '../input.js';
import { isMessageExtension } from '../invoke.js';
import { noticeCard } from '../reply.js';
import type { BotState } from '../state.js';
import { summaryOutcome } from './summary.js';

/**
 * The search box (a ward name typed in any chat's or channel's compose box lists the matching
 * districts; choosing one inserts its summary card) and previews of the bot's own district links.
 *
 * Who reads what is inserted: a card from a message extension goes into whatever conversation
 * the person is writing in, and the bot cannot see that conversation's audience. Teams says
 * "personal" for any 1:1 chat, one between two people included, so that word proves nothing.
 * The OFFICIAL-SENSITIVE view is given only where the conversation is proven to be the person's
 * own 1:1 chat with the bot: the conversation id is the one stored, from a turn the bot was part
 * of, as this person's personal chat with it (the guard never stores one from these invokes).
 * Anywhere else the card is the OFFICIAL view, with the usual "not shown here" note, as in a
 * group chat; a link preview is the OFFICIAL view everywhere (Teams keeps previews for a while).
 * Non-members are answered by the guard before this route, with no district names. The list
 * shown while typing holds only each district's name, authority and harm rank; the card inserted
 * has no buttons (in a chat the bot is not part of they could not work, and an
 * Action.Execute pressed there would come back as a "personal" invoke the bot cannot place).
 */

/** Longer than any ward name with its authority; what is typed in the search box is held to it. */
export const MAX_SEARCH_CHARS = 100;
/** Districts listed for one search: the matcher's choices, or the highest-harm when nothing is typed. */
const MAX_RESULTS = 6;

const SearchValue = z.object({
  commandId: z.literal(DISTRICT_SEARCH.commandId),
  parameters: z
    .array(
      z.strictObject({
        name: z.enum([DISTRICT_SEARCH.parameter, 'initialRun']),
        value: z.string().max(MAX_SEARCH_CHARS),
      }),
    )
    .max(2)
    .default([]),
  queryOptions: z
    .object({ skip: z.number().int().min(0).max(10_000), count: z.number().int().min(0).max(1_000) })
    .partial()
    .optional(),
});

/** What a result's tap sends back (composeExtension/selectItem): ours, so nothing more. */
const ChosenItem = z.strictObject({ districtId: Slug });

const LinkValue = z.object({ url: z.string().max(2_000) });

const UNREADABLE = 'That search could not be read. Type part of a ward name, for example Everton.';

function message(text: string): MessagingExtensionResult {
  return { type: 'message', text };
}

function list(attachments: MessagingExtensionAttachment[]): MessagingExtensionResult {
  return { type: 'result', attachmentLayout: 'list', attachments };
}

/** No preview: Teams shows the pasted link as it is. */
const NO_PREVIEW: MessagingExtensionResult = list([]);

/** The result-list line: name, authority and harm rank; nothing of the profile itself. */
function thumbnail(p: DistrictPreview, tap: boolean): MessagingExtensionAttachment {
  const rank = p.rank
    ? `Harm rank ${p.rank.rank} of ${p.rank.outOf}`
    : p.hasProfile
      ? 'Harm rank not shown here'
      : 'No profile yet';
  return {
    contentType: 'application/vnd.microsoft.card.thumbnail',
    content: {
      title: p.name,
      subtitle: p.localAuthorityName ?? '',
      text: rank,
      ...(tap ? { tap: { type: 'invoke', value: { districtId: p.districtId } } } : {}),
    },
  };
}

function cardAttachment(card: AdaptiveCard, preview: DistrictPreview): MessagingExtensionAttachment {
  return { contentType: 'application/vnd.microsoft.card.adaptive', content: card, preview: thumbnail(preview, false) };
}

/** The card as inserted or unfurled: no buttons (see above). */
function withoutActions(card: AdaptiveCard): AdaptiveCard {
  const strip = (items: unknown): unknown =>
    Array.isArray(items)
      ? items
          .filter((i) => !(i && typeof i === 'object' && (i as { type?: unknown }).type === 'ActionSet'))
          .map((i) => {
            if (!i || typeof i !== 'object') return i;
            const o = { ...(i as Record<string, unknown>) };
            for (const k of ['items', 'columns', 'body']) if (k in o) o[k] = strip(o[k]);
            delete o.selectAction;
            return o;
          })
      : items;
  const {
    actions: _actions,
    refresh: _refresh,
    ...rest
  } = card as AdaptiveCard & {
    actions?: unknown;
    refresh?: unknown;
  };
  return { ...rest, body: strip(rest.body) } as AdaptiveCard;
}

/**
 * The viewer for a card that leaves the bot's own chat: "personal" only when the conversation is
 * proven to be this person's 1:1 chat with the bot; otherwise treated as a group chat.
 */
async function insertingContext(rc: RouteContext): Promise<RouteContext> {
  const { facts } = rc;
  const own =
    facts.conversation === 'personal' &&
    (await rc.deps.conversations.isOwnBotChat(facts.tenantId, facts.conversationId, facts.aadObjectId));
  if (own) return rc;
  const conversation = facts.conversation === 'personal' ? 'groupChat' : facts.conversation;
  return { ...rc, viewer: { ...rc.viewer, conversation } };
}

/**
 * The guard for message extension invokes: membership was checked before routing; here the role,
 * where the card may go, and expected failures as a message in the flyout, never a stack trace.
 */
function guardedSearch(
  deps: BotDeps,
  handler: (rc: RouteContext) => Promise<MessagingExtensionResult>,
): (context: TurnContext, state: BotState) => Promise<MessagingExtensionResult> {
  return async (context, state) => {
    const plain = routeContext(context, state, deps);
    if (!can(plain.requester.member, 'profile.read')) {
      return message('Your role does not allow reading district profiles. Ask your partnership admin.');
    }
    try {
      return await handler(await insertingContext(plain));
    } catch (err) {
      const kind = explain(err);
      if (kind) return message(kind.text);
      deps.log.error({ activityId: plain.facts.activityId, err: errorSummary(err) }, 'message extension failed');
      if (errorCode(err) === 'STORE_UNAVAILABLE') return message(STORE_UNAVAILABLE_TEXT);
      return message('Sorry, that did not work. Please try again.');
    }
  };
}

async function search(rc: RouteContext): Promise<MessagingExtensionResult> {
  const parsed = SearchValue.safeParse(rc.context.activity.value);
  if (!parsed.success) {
    rc.deps.log.info({ activityId: rc.facts.activityId, code: 'SEARCH_UNREADABLE' }, 'search refused');
    return message(UNREADABLE);
  }
  const { parameters, queryOptions } = parsed.data;
  // One page holds every result there is.
  if ((queryOptions?.skip ?? 0) > 0) return list([]);
  const typed = parameters.find((p) => p.name === DISTRICT_SEARCH.parameter)?.value ?? '';
  const input = cleanInput(typed);
  if (input.problem) {
    rc.deps.log.info({ activityId: rc.facts.activityId, problem: input.problem }, 'search refused');
    return message(UNREADABLE);
  }
  const { directory, profiles } = rc.deps;
  const pid = rc.requester.partnership.id;
  let ids: string[];
  if (input.text === '') {
    ids = (await profiles.ranking(rc.requester, MAX_RESULTS)).rows.map((r) => r.districtId);
  } else {
    const match = await directory.find(pid, input.text);
    ids =
      match.kind === 'exact' || match.kind === 'corrected'
        ? [match.district.id]
        : (match.kind === 'ambiguous' ? match.candidates : match.suggestions).map((d) => d.id);
  }
  const previews = await profiles.previews(rc.requester, rc.viewer, ids.slice(0, MAX_RESULTS));
  return list(previews.map((p) => ({ ...thumbnail(p, false), preview: thumbnail(p, true) })));
}

/** The summary card for this conversation, or what to say instead. */
async function insertedCard(
  rc: RouteContext,
  districtId: string,
): Promise<{ card: AdaptiveCard } | { notice: { title: string; text: string } }> {
  let notice: { title: string; text: string } | undefined;
  const made = await districtCard(
    rc,
    'summary',
    districtId,
    async () => {
      const outcome = await summaryOutcome(rc, districtId);
      if ('notice' in outcome) {
        notice = outcome.notice;
        return undefined;
      }
      return withoutActions(outcome.card);
    },
    'inserted',
  );
  if (made) return { card: made.card };
  return { notice: notice ?? { title: 'Not available', text: 'This district cannot be shown here.' } };
}

async function choose(rc: RouteContext): Promise<MessagingExtensionResult> {
  const parsed = ChosenItem.safeParse(rc.context.activity.value);
  if (!parsed.success) {
    rc.deps.log.info({ activityId: rc.facts.activityId, code: 'ITEM_UNREADABLE' }, 'chosen item refused');
    return message('That result could not be read. Search again and choose a district from the list.');
  }
  const { districtId } = parsed.data;
  const [preview] = await rc.deps.profiles.previews(rc.requester, rc.viewer, [districtId]);
  const made = await insertedCard(rc, districtId);
  if ('notice' in made) return message(`${made.notice.title}. ${made.notice.text}`);
  return list([cardAttachment(made.card, preview!)]);
}

/**
 * Teams renders Adaptive Cards up to 1.3 in link previews; the summary card, without its
 * buttons, uses nothing newer.
 */
const UNFURL_CARD_VERSION = '1.3';

/**
 * A link preview is always the OFFICIAL view, even in the person's own 1:1 chat with the bot:
 * Teams keeps a link's preview for 30 minutes and does not say for whom, so a preview must be fit
 * for anyone who pastes the same link. The full card is one `summary` away in that chat.
 */
function previewContext(rc: RouteContext): RouteContext {
  if (rc.viewer.conversation !== 'personal') return rc;
  return { ...rc, viewer: { ...rc.viewer, conversation: 'groupChat' } };
}

async function unfurl(inserting: RouteContext): Promise<MessagingExtensionResult> {
  const rc = previewContext(inserting);
  const { botDomain } = rc.deps;
  const parsed = LinkValue.safeParse(rc.context.activity.value);
  const target = botDomain && parsed.success ? parseDistrictLink(botDomain, parsed.data.url) : undefined;
  if (!target) return NO_PREVIEW;
  // Another partnership's link says nothing to this member, not even that the district exists.
  if (target.partnershipId !== rc.requester.partnership.id) {
    rc.deps.log.info({ activityId: rc.facts.activityId, code: 'LINK_OTHER_PARTNERSHIP' }, 'link not unfurled');
    return NO_PREVIEW;
  }
  let preview: DistrictPreview | undefined;
  try {
    [preview] = await rc.deps.profiles.previews(rc.requester, rc.viewer, [target.districtId]);
  } catch (err) {
    if (err instanceof NotFoundError) return NO_PREVIEW;
    throw err;
  }
  const made = await insertedCard(rc, target.districtId);
  const card = 'card' in made ? made.card : noticeCard(made.notice, rc.requester.partnership.demo);
  return list([cardAttachment({ ...card, version: UNFURL_CARD_VERSION }, preview!)]);
}

export function register(app: Application<BotState>, deps: BotDeps): void {
  // The search command, with its parameters a list as Teams sends them (teams-ai flattens them
  // before the handler, and would fail on anything else); any other shape goes to the catch-all.
  const isSearch = async (context: TurnContext) => {
    const a = context.activity;
    const value = a.value as { commandId?: unknown; parameters?: unknown } | undefined;
    return (
      a.type === 'invoke' &&
      a.name === 'composeExtension/query' &&
      value?.commandId === DISTRICT_SEARCH.commandId &&
      (value.parameters === undefined || Array.isArray(value.parameters))
    );
  };
  app.messageExtensions.query(isSearch, (context, state) => guardedSearch(deps, search)(context, state));
  app.messageExtensions.selectItem((context, state) => guardedSearch(deps, choose)(context, state));
  app.messageExtensions.queryLink((context, state) => guardedSearch(deps, unfurl)(context, state));
  // Anything else a message extension sends (another command id, a search of another shape, a
  // settings request): a clear answer rather than Teams' "something went wrong"; a link pasted
  // by someone who has not installed the app gets no preview.
  app.addRoute(
    async (context) => isMessageExtension(context.activity),
    async (context) => {
      const result = context.activity.name === 'composeExtension/anonymousQueryLink' ? NO_PREVIEW : message(UNREADABLE);
      await context.sendActivity({
        type: 'invokeResponse',
        value: { status: 200, body: { composeExtension: result } },
      });
    },
    true,
  );
}
