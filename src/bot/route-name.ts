import type { TurnContext } from 'botbuilder';

const ROUTE = Symbol('route');

/** Names the route a turn is running (a command's name, a card verb), for the error log. */
export function setRouteName(context: TurnContext, name: string): void {
  context.turnState.set(ROUTE, name);
}

/**
 * The route the turn reached: as a route named itself, else what the activity asked for (a card
 * verb, the invoke's name) or its type. Ids and verbs only, never typed text.
 */
export function routeNameOf(context: TurnContext): string {
  const named = context.turnState.get(ROUTE) as string | undefined;
  if (named) return named;
  const a = context.activity;
  const value = a.value as { verb?: unknown; action?: { verb?: unknown } } | undefined;
  const verb = value?.action?.verb ?? value?.verb;
  const word = (v: unknown) => (typeof v === 'string' && /^[\w./-]{1,64}$/.test(v) ? v : undefined);
  return word(verb) ?? word(a.name) ?? word(a.type) ?? 'unknown';
}
