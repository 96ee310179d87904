import { Application, TeamsAdapter } from '@microsoft/teams-ai';
import { AdaptiveCardActionExecuteResponseType } from '@microsoft/teams-ai';
import type { AuthConfig } from '../config.js';
import type { Command } from './command.js';
import type { BotDeps } from './deps.js';
import * as appInstalled from './routes/app-installed.js';
import * as board from './routes/board.js';
import { membershipGuard } from './membership-guard.js';
import * as commandRun from './routes/command-run.js';
import * as districtSearch from './routes/district-search.js';
import * as fallback from './routes/fallback.js';
import * as gaps from './routes/gaps.js';
import * as help from './routes/help.js';
import * as plan from './routes/plan.js';
import * as rank from './routes/rank.js';
import * as reminders from './routes/reminders.js';
import * as recommendations from './routes/recommendations.js';
import * as review from './routes/review.js';
import * as onboarding from './routes/onboarding.js';
import * as roles from './routes/roles.js';
import * as summary from './routes/summary.js';
import * as taskCard from './routes/task-card.js';
import * as tasks from './routes/tasks.js';
import * as welcome from './routes/welcome.js';
import { newBotState, type BotState } from './state.js';
import { logRefusedTokens, quietTokenLibrary, refuseUnverifiableTokens } from './token-failures.js';
import { personalChatOpener, proactiveSender, type SendCard } from './proactive.js';
import { SendThrottle, TEAMS_SAFE_LIMITS, type ThrottleLimits } from './send-throttle.js';
import { TaskDelivery, type InstallReach } from './task-delivery.js';
import { AccessDesk } from './access-desk.js';
import { turnErrorHandler } from './turn-error.js';

/** How replies get their token: Microsoft's token service unless a stand-in is given. */
export type OutboundCredentials = NonNullable<ConstructorParameters<typeof TeamsAdapter>[1]>;

/**
 * The one place that knows the Bot Framework adapter and its credentials. `outbound` replaces how
 * replies get their token (only the tests' stand-in for Microsoft's token service); inbound
 * tokens are always checked against the app id from `auth`.
 */
export function createAdapter(auth: AuthConfig, outbound?: OutboundCredentials): TeamsAdapter {
  if (!auth.enabled) return new TeamsAdapter({});
  const adapter = new TeamsAdapter(
    {
      MicrosoftAppId: auth.appId,
      MicrosoftAppPassword: auth.appPassword ?? '',
      MicrosoftAppType: auth.appType,
      MicrosoftAppTenantId: auth.tenantId ?? '',
      ...(auth.channelTokens && {
        ToBotFromChannelOpenIdMetadataUrl: auth.channelTokens.openIdMetadataUrl,
        ToBotFromChannelTokenIssuer: auth.channelTokens.issuer,
      }),
    },
    outbound,
  );
  refuseUnverifiableTokens(adapter);
  return adapter;
}

export interface Bot {
  adapter: TeamsAdapter;
  app: Application<BotState>;
  /** The everyday commands, as the Teams manifest's command menu lists them. */
  commands: readonly Command[];
  /** Commands for admins and coordinators (onboarding, roles), routed the same way but left out of the menu. */
  adminCommands: readonly Command[];
  /**
   * The one way the bot speaks unprompted (task cards, digests): behind one throttle, so Teams'
   * per-bot rate limit holds across both.
   */
  send: SendCard;
}

/**
 * Routes are tried in this order and the first match runs: specific commands before the looser
 * `summary`/`show` patterns, and the catch-all last.
 */
export function createBot(
  deps: BotDeps,
  auth: AuthConfig,
  outbound?: OutboundCredentials,
  sendLimits: ThrottleLimits = TEAMS_SAFE_LIMITS,
  /** Installing the app through Graph for owners with no chat yet; absent: they wait in `my tasks`. */
  install?: Omit<InstallReach, 'openChat'>,
): Bot {
  const adapter = createAdapter(auth, outbound);
  if (auth.enabled) {
    logRefusedTokens(adapter, deps.log);
    quietTokenLibrary();
  }
  const app = new Application<BotState>({
    adapter,
    removeRecipientMention: true,
    // Replies come at once; a typing timer would only add traffic.
    startTypingTimer: false,
    longRunningMessages: false,
    turnStateFactory: newBotState,
    adaptiveCards: { actionExecuteResponseType: AdaptiveCardActionExecuteResponseType.REPLACE_FOR_ALL },
  });
  app.error(turnErrorHandler(deps.log));
  const send = proactiveSender(adapter, auth.enabled ? auth.appId : '', new SendThrottle(sendLimits));
  const desk = new AccessDesk(send, deps);
  app.turn('beforeTurn', membershipGuard(deps, desk));

  const appId = auth.enabled ? auth.appId : '';
  const delivery = new TaskDelivery(
    send,
    deps,
    install && { ...install, openChat: personalChatOpener(adapter, appId) },
  );
  const taskCommands = tasks.taskCommands(() => delivery);

  // Help lists them by use, most asked first (a person's own tasks before the coordinator's
  // verbs, the board's channel commands, then the admin's); routing tries them in the order below.
  const byUse = (c: Command) => (['my tasks', 'overdue'].includes(c.name) ? 0 : 1);
  const helpCommand = help.helpCommand(() => [
    summary.summaryCommand,
    gaps.gapsCommand,
    plan.planCommand,
    recommendations.recommendationsCommand,
    rank.rankCommand,
    ...[...taskCommands].sort((a, b) => byUse(a) - byUse(b)),
    ...reminders.reminderCommands,
    ...board.boardCommands,
    ...onboarding.ONBOARDING_COMMANDS,
    ...roles.ROLE_COMMANDS,
    helpCommand,
  ]);
  const commands: readonly Command[] = [
    helpCommand,
    ...taskCommands,
    rank.rankCommand,
    gaps.gapsCommand,
    plan.planCommand,
    recommendations.recommendationsCommand,
    summary.summaryCommand,
    ...reminders.reminderCommands,
    ...board.boardCommands,
  ];

  const waitingCards = appInstalled.waitingCards(deps, (tenantId, aadObjectId) =>
    delivery.deliverWaiting(tenantId, aadObjectId),
  );
  welcome.register(app, deps, waitingCards);
  appInstalled.register(app, waitingCards);
  help.register(app, deps, helpCommand);
  onboarding.register(app, deps, desk);
  roles.register(app, deps);
  tasks.register(app, deps, taskCommands);
  taskCard.register(app, deps, delivery);
  rank.register(app, deps);
  gaps.register(app, deps);
  plan.register(app, deps);
  recommendations.register(app, deps);
  summary.register(app, deps);
  districtSearch.register(app, deps);
  review.register(app, deps);
  reminders.register(app, deps);
  board.register(app, deps);
  commandRun.register(app, deps, () => commands);
  fallback.register(app, deps, () => commands);
  return { adapter, app, commands, adminCommands: [...onboarding.ONBOARDING_COMMANDS, ...roles.ROLE_COMMANDS], send };
}
