import type { Application } from '@microsoft/teams-ai';
import type { ConversationKind } from '../domain/conversation.js';
import type { Permission } from '../domain/permissions.js';
import type { BotScope } from '../services/teams-app/manifest-check.js';
import type { BotDeps } from './deps.js';
import { guarded, type RouteContext } from './guard.js';
import { noticeCard, sendCard } from './reply.js';
import { setRouteName } from './route-name.js';
import type { BotState } from './state.js';

/**
 * A typed command. The same list drives routing, the help card, the "did you mean" suggestions
 * and suggested-command buttons, so they cannot drift apart.
 */
export interface Command {
  name: string;
  /** The words that start it, for "did you mean" when someone mistypes one. */
  keywords: readonly string[];
  usage: string;
  description: string;
  example: string;
  permission: Permission;
  /** Anchored, matched against the whole cleaned message (mention removed). Group 1 is the argument. */
  patterns: readonly RegExp[];
  /**
   * The Teams scopes it answers in (the manifest's command lists follow this); every scope when
   * absent. Elsewhere it says where it works instead of running.
   */
  scopes?: readonly BotScope[];
  run(rc: RouteContext, argument: string): Promise<void>;
  /** false: not in Teams' command menu (manifest), as it needs an argument to be of use. */
  menu?: boolean;
}

/** A conversation as the manifest names its scope. */
export function scopeOf(kind: ConversationKind): BotScope {
  return kind === 'channel' ? 'team' : kind;
}

const SCOPE_WORDS: Record<BotScope, string> = {
  personal: 'your 1:1 chat with me',
  team: 'a team channel (@mention me there)',
  groupChat: 'a group chat (@mention me there)',
};

/**
 * Spaces folded and the ends trimmed, in one linear pass each: what every pattern is matched
 * against, so no pattern meets a run of spaces to backtrack over.
 */
export function foldSpaces(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

// Every command's route selector folds the same message in turn: fold it once.
let lastTyped = '';
let lastFolded = '';
function folded(typed: string): string {
  if (typed !== lastTyped) {
    lastFolded = foldSpaces(typed);
    lastTyped = typed;
  }
  return lastFolded;
}

export function matchCommand(
  commands: readonly Command[],
  typed: string,
): { command: Command; argument: string } | undefined {
  const text = folded(typeof typed === 'string' ? typed : '');
  for (const command of commands) {
    for (const pattern of command.patterns) {
      const m = pattern.exec(text);
      if (m) return { command, argument: (m[1] ?? '').trim() };
    }
  }
  return undefined;
}

/** Runs a command the member may use, typed or pressed, where it answers; elsewhere says where it does. */
export async function runCommand(rc: RouteContext, command: Command, argument: string): Promise<void> {
  if (command.scopes && !command.scopes.includes(scopeOf(rc.facts.conversation))) {
    const where = command.scopes.map((s) => SCOPE_WORDS[s]).join(' or ');
    await sendCard(
      rc.context,
      noticeCard(
        { title: `That works in ${where.split(' (')[0]}`, text: `\`${command.name}\` works in ${where}.` },
        rc.requester.partnership.demo,
      ),
    );
    return;
  }
  await command.run(rc, argument);
}

export function registerCommand(app: Application<BotState>, deps: BotDeps, command: Command): void {
  app.message(
    // A selector, not the patterns themselves, so routing matches the same folded text as matchCommand.
    async (context) =>
      context.activity.type === 'message' && matchCommand([command], context.activity.text ?? '') !== undefined,
    async (context, state) => {
      setRouteName(context, command.name);
      const matched = matchCommand([command], context.activity.text ?? '');
      await guarded(deps, command.permission, (rc) => runCommand(rc, command, matched?.argument ?? ''))(context, state);
    },
  );
}
