import type { Application } from '@microsoft/teams-ai';
import type { Permission } from '../domain/permissions.js';
import type { BotDeps } from './deps.js';
import { guarded, type RouteContext } from './guard.js';
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
  run(rc: RouteContext, argument: string): Promise<void>;
  /** false: not in Teams' command menu (manifest), as it needs an argument to be of use. */
  menu?: boolean;
}

export function matchCommand(
  commands: readonly Command[],
  text: string,
): { command: Command; argument: string } | undefined {
  for (const command of commands) {
    for (const pattern of command.patterns) {
      const m = pattern.exec(text);
      if (m) return { command, argument: (m[1] ?? '').trim() };
    }
  }
  return undefined;
}

export function registerCommand(app: Application<BotState>, deps: BotDeps, command: Command): void {
  app.message([...command.patterns], async (context, state) => {
    const matched = matchCommand([command], context.activity.text ?? '');
    await guarded(deps, command.permission, (rc) => command.run(rc, matched?.argument ?? ''))(context, state);
  });
}
