import { createRequire } from 'node:module';
import { TEAMS_CARD_LIMIT_BYTES } from '../../src/bot/cards.js';
import { VERB } from '../../src/bot/verbs.js';

// The official Adaptive Cards object model (Microsoft's reference implementation of the schema);
// its ES build needs a bundler, the UMD build loads as it is.
const require = createRequire(import.meta.url);
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

export type Card = Record<string, unknown> & { type: 'AdaptiveCard' };

const VERBS = new Set<string>(Object.values(VERB));

function walk(node: unknown, visit: (o: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (node && typeof node === 'object') {
    visit(node as Record<string, unknown>);
    Object.values(node).forEach((v) => walk(v, visit));
  }
}

/** Everything a person can read on the card, in order, as one string. */
export function cardText(card: Card): string {
  const out: string[] = [];
  walk(card, (o) => {
    if (o.type === 'TextBlock' || o.type === 'TextRun') out.push(String(o.text));
    if (typeof o.title === 'string' && typeof o.value === 'string') out.push(`${o.title}: ${o.value}`);
    if (typeof o.type === 'string' && o.type.startsWith('Action.') && typeof o.title === 'string')
      out.push(`[${o.title}]`);
  });
  return out.join('\n');
}

export interface CardAction {
  type: string;
  title?: string;
  verb?: string;
  data?: unknown;
}

export function actionsOf(card: Card): CardAction[] {
  const out: CardAction[] = [];
  walk(card, (o) => {
    if (typeof o.type === 'string' && o.type.startsWith('Action.')) out.push(o as unknown as CardAction);
  });
  return out;
}

export function findAction(card: Card, title: string): CardAction {
  const found = actionsOf(card).find((a) => a.title === title);
  if (!found)
    throw new Error(
      `no button titled "${title}" on the card; buttons: ${actionsOf(card)
        .map((a) => a.title)
        .join(', ')}`,
    );
  return found;
}

/**
 * The problems a card has, as Teams would meet them: not version 1.5, over Teams' 28 KB, anything
 * the official Adaptive Cards parser refuses (unknown element types, invalid property values),
 * a template expression left unexpanded, or a button whose verb no route answers.
 */
export function cardProblems(card: Card): string[] {
  const problems: string[] = [];
  if (card.version !== '1.5') problems.push(`version is ${String(card.version)}, not 1.5`);
  const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
  if (bytes > TEAMS_CARD_LIMIT_BYTES) problems.push(`${bytes} bytes, over Teams' ${TEAMS_CARD_LIMIT_BYTES}`);
  const ctx = new AC.SerializationContext();
  ctx.targetVersion = AC.Version.parse('1.5', ctx)!;
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, ctx);
  for (let i = 0; i < ctx.eventCount; i++) {
    const e = ctx.getEventAt(i);
    problems.push(`parse: ${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  for (const e of parsed.validateProperties().validationEvents) {
    problems.push(`validate: ${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  walk(card, (o) => {
    for (const [k, v] of Object.entries(o)) {
      // TextRuns carry what people typed, which may itself contain '${'.
      if (typeof v === 'string' && v.includes('${') && !(o.type === 'TextRun' && k === 'text'))
        problems.push(`unexpanded template in ${k}: ${v}`);
    }
    if (o.type === 'Action.Execute' && !VERBS.has(String(o.verb)))
      problems.push(`Action.Execute verb ${String(o.verb)} has no route`);
    if (o.type === 'Action.Submit') {
      const verb = (o.data as { verb?: unknown } | undefined)?.verb;
      if (!VERBS.has(String(verb))) problems.push(`Action.Submit verb ${String(verb)} has no route`);
    }
  });
  return problems;
}

export function cardBytes(card: Card): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

const BANNER_TEXT = /^(OFFICIAL|OFFICIAL-SENSITIVE)( · DEMO DATA, NOT A REAL PROFILE)?$/;

/**
 * The classification rules every card the bot sends must keep: its first element is the banner
 * (a container whose text is the classification), and where others may be reading (a group chat,
 * a channel, anything not a 1:1 chat) the classification is never OFFICIAL-SENSITIVE.
 */
export function classificationProblems(card: Card, conversationType: string | undefined): string[] {
  const first = (card.body as { type?: string; items?: { text?: unknown }[] }[] | undefined)?.[0];
  const text = first?.type === 'Container' ? first.items?.[0]?.text : undefined;
  if (typeof text !== 'string' || !BANNER_TEXT.test(text)) {
    return [
      `the card does not start with its classification banner (first element: ${JSON.stringify(first)?.slice(0, 120)})`,
    ];
  }
  if (conversationType !== 'personal' && text.startsWith('OFFICIAL-SENSITIVE')) {
    return [`an OFFICIAL-SENSITIVE card was sent to a ${String(conversationType)} conversation`];
  }
  return [];
}
