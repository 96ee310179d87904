import type { AdaptiveCard } from '@microsoft/teams-ai';
import { CardFactory, type Attachment } from 'botbuilder';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Banner } from '../domain/summary.js';
import { compileCard, type CardBinder } from './card-binder.js';

/**
 * Card templates live in cards/ as Adaptive Card 1.5 JSON and are bound to view data with
 * adaptivecards-templating's semantics. Templates are compiled once (card-binder.ts: the library
 * parses, the binder binds fast); binding never evaluates data as template text, so what people
 * typed cannot inject card elements.
 */
export const CARD_NAMES = [
  'welcome',
  'help',
  'notice',
  'summary',
  'rank',
  'gaps',
  'plan',
  'district-choice',
  'digest',
  'task',
  'task-form',
  'tasks',
  'history',
  'escalation',
  'review-due',
  'reminder-settings',
  'agencies',
  'request-access',
  'access-request',
  'recommendations',
] as const;
export type CardName = (typeof CARD_NAMES)[number];

export const CARDS_DIR = fileURLToPath(new URL('../../cards/', import.meta.url));

/** Teams refuses a message whose card is over 28 KB. */
export const TEAMS_CARD_LIMIT_BYTES = 28 * 1024;
/** What a card may use, leaving room for the message around it. */
const CARD_BUDGET_BYTES = TEAMS_CARD_LIMIT_BYTES - 1024;

const binders = new Map<CardName, CardBinder>();

export function templateJson(name: CardName): AdaptiveCard {
  return JSON.parse(readFileSync(`${CARDS_DIR}${name}.json`, 'utf8')) as AdaptiveCard;
}

/**
 * Every card shows its classification (and DEMO where it applies): the banner is put at the top
 * here, from the view's `banner`, so no template can leave it out.
 */
export function renderCard<T extends { banner: Banner }>(name: CardName, data: T): AdaptiveCard {
  const measured = takeMeasured(name, data);
  if (measured) return measured;
  let binder = binders.get(name);
  if (!binder) {
    binder = compileCard(templateJson(name));
    binders.set(name, binder);
  }
  // `$schema` helps whoever edits a template; Teams has no use for it.
  const { $schema: _schema, ...card } = binder.bind(data) as AdaptiveCard & { body?: unknown[] };
  return { ...card, type: 'AdaptiveCard', body: [bannerElement(data.banner), ...(card.body ?? [])] };
}

function bannerElement(banner: Banner): Record<string, unknown> {
  return {
    type: 'Container',
    style: banner.style,
    bleed: true,
    items: [
      {
        type: 'TextBlock',
        text: banner.text,
        weight: 'Bolder',
        size: 'Small',
        horizontalAlignment: 'Center',
        wrap: true,
      },
    ],
  };
}

export function cardAttachment(card: AdaptiveCard): Attachment {
  return CardFactory.adaptiveCard(card);
}

/**
 * Whether a view bound to a template makes a card Teams will take. The card that fits is kept for
 * the `renderCard` of the same view that follows (a list is measured, then sent), so it is bound
 * once; views are values nobody changes once composed.
 */
export function fitsCard<T extends { banner: Banner }>(name: CardName, data: T): boolean {
  const card = renderCard(name, data);
  const fits = Buffer.byteLength(JSON.stringify(card), 'utf8') <= CARD_BUDGET_BYTES;
  if (fits) measuredCards.set(data, { name, card });
  return fits;
}

const measuredCards = new WeakMap<object, { name: CardName; card: AdaptiveCard }>();

/** The card `fitsCard` bound from this very view, handed over once. */
function takeMeasured(name: CardName, data: object): AdaptiveCard | undefined {
  const kept = measuredCards.get(data);
  if (kept?.name !== name) return undefined;
  measuredCards.delete(data);
  return kept.card;
}
