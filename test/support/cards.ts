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

/*
 * Teams' chart elements (Adaptive Cards `Chart.*`), which the official parser below does not know.
 * Their schema, property by property, from Microsoft's Teams documentation:
 *   https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/charts-in-adaptive-cards
 *   (source: MicrosoftDocs/msteams-docs, msteams-platform/task-modules-and-cards/cards/charts-in-adaptive-cards.md)
 * and the data shapes from the Teams SDK's card model (LineChartData {legend, values [{x, y}], color},
 * GroupedVerticalBarChartData {legend, values, color}, BarChartDataValue {x, y, color},
 * StackedHorizontalBarChartData {title, data [{legend, value, color}]}, DonutChartData {legend, value, color},
 * GaugeChartLegend {legend, size, color}):
 *   https://learn.microsoft.com/en-us/dotnet/api/microsoft.teams.cards?view=msteams-sdk-dotnet-latest
 * A chart must carry a fallback element (ours hold the text the chart draws), and only documented
 * properties are accepted, with their documented value types.
 */
type Check = (v: unknown) => string | undefined;
const isString: Check = (v) => (typeof v === 'string' ? undefined : 'not a string');
const isBoolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'not a boolean');
const isNumber: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? undefined : 'not a finite number');
const oneOf =
  (...allowed: string[]): Check =>
  (v) =>
    typeof v === 'string' && allowed.some((a) => a.toLowerCase() === v.toLowerCase())
      ? undefined
      : `not one of ${allowed.join(', ')}`;
const CHART_COLORS = [
  'good', 'warning', 'attention', 'neutral',
  'categoricalRed', 'categoricalPurple', 'categoricalLavender', 'categoricalBlue', 'categoricalLightBlue',
  'categoricalTeal', 'categoricalGreen', 'categoricalLime', 'categoricalMarigold',
  'sequential1', 'sequential2', 'sequential3', 'sequential4', 'sequential5', 'sequential6', 'sequential7', 'sequential8',
  'divergingBlue', 'divergingLightBlue', 'divergingCyan', 'divergingTeal', 'divergingYellow', 'divergingPeach',
  'divergingLightRed', 'divergingRed', 'divergingMaroon', 'divergingGray',
]; // prettier-ignore
const isColor = oneOf(...CHART_COLORS);
const isX: Check = (v) =>
  typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) ? undefined : 'not a string or number';

interface Shape {
  required: Record<string, Check>;
  optional: Record<string, Check>;
}
function objectOf(shape: Shape): Check {
  return (v) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return 'not an object';
    const o = v as Record<string, unknown>;
    for (const [k, check] of Object.entries(shape.required)) {
      if (!(k in o)) return `missing ${k}`;
      const p = check(o[k]);
      if (p) return `${k} ${p}`;
    }
    for (const [k, val] of Object.entries(o)) {
      if (k in shape.required) continue;
      const check = shape.optional[k];
      if (!check) return `has undocumented property ${k}`;
      const p = check(val);
      if (p) return `${k} ${p}`;
    }
    return undefined;
  };
}
const arrayOf =
  (item: Check, minItems = 1): Check =>
  (v) => {
    if (!Array.isArray(v)) return 'not an array';
    if (v.length < minItems) return `has fewer than ${minItems} items`;
    for (let i = 0; i < v.length; i++) {
      const p = item(v[i]);
      if (p) return `[${i}] ${p}`;
    }
    return undefined;
  };

const xy = objectOf({ required: { x: isX, y: isNumber }, optional: { color: isColor } });
const series = objectOf({
  required: { values: arrayOf(xy) },
  optional: { legend: isString, color: isColor },
});
const legendValue = objectOf({ required: { legend: isString, value: isNumber }, optional: { color: isColor } });

/** What every element may carry, as the page lists it for each chart. */
const ELEMENT: Record<string, Check> = {
  id: isString,
  isVisible: isBoolean,
  separator: isBoolean,
  spacing: oneOf('None', 'ExtraSmall', 'Small', 'Default', 'Medium', 'Large', 'ExtraLarge', 'Padding'),
  height: oneOf('auto', 'stretch'),
  horizontalAlignment: oneOf('Left', 'Center', 'Right'),
  lang: isString,
  targetWidth: isString,
  'grid.area': isString,
  requires: (v) => (v && typeof v === 'object' ? undefined : 'not an object'),
  title: isString,
  colorSet: isString,
};
const AXES: Record<string, Check> = { xAxisTitle: isString, yAxisTitle: isString, color: isColor };

export const CHART_SCHEMA: Record<string, Shape> = {
  'Chart.Line': {
    required: { data: arrayOf(series) },
    optional: { ...ELEMENT, ...AXES, yMin: isNumber, yMax: isNumber },
  },
  'Chart.VerticalBar.Grouped': {
    required: { data: arrayOf(series) },
    optional: { ...ELEMENT, ...AXES, stacked: isBoolean, showBarValues: isBoolean },
  },
  'Chart.VerticalBar': {
    required: { data: arrayOf(xy) },
    optional: { ...ELEMENT, ...AXES, showBarValues: isBoolean },
  },
  'Chart.HorizontalBar': {
    required: { data: arrayOf(xy) },
    optional: { ...ELEMENT, ...AXES, displayMode: oneOf('AbsoluteWithAxis', 'AbsoluteNoAxis', 'PartToWhole') },
  },
  'Chart.HorizontalBar.Stacked': {
    required: {
      data: arrayOf(objectOf({ required: { data: arrayOf(legendValue) }, optional: { title: isString } })),
    },
    optional: { ...ELEMENT, ...AXES },
  },
  'Chart.Donut': { required: { data: arrayOf(legendValue) }, optional: { ...ELEMENT } },
  'Chart.Pie': { required: { data: arrayOf(legendValue) }, optional: { ...ELEMENT } },
  'Chart.Gauge': {
    required: { value: isNumber },
    optional: {
      ...ELEMENT,
      min: isNumber,
      max: isNumber,
      subLabel: isString,
      showLegend: isBoolean,
      showMinMax: isBoolean,
      valueFormat: oneOf('Percentage', 'Fraction'),
      segments: arrayOf(objectOf({ required: { legend: isString, size: isNumber }, optional: { color: isColor } })),
    },
  },
};

/** Each chart checked against its schema and replaced by its fallback, for the parser that knows no charts. */
function withChartsChecked(node: unknown, problems: string[]): unknown {
  if (Array.isArray(node)) return node.map((n) => withChartsChecked(n, problems));
  if (!node || typeof node !== 'object') return node;
  const o = node as Record<string, unknown>;
  if (typeof o.type === 'string' && o.type.startsWith('Chart.')) {
    const shape = CHART_SCHEMA[o.type];
    if (!shape) {
      problems.push(`chart: unknown chart type ${o.type}`);
      return node;
    }
    const { type: _type, fallback, ...rest } = o;
    const p = objectOf({ required: shape.required, optional: shape.optional })(rest);
    if (p) problems.push(`chart: ${o.type} ${p}`);
    if (!fallback || typeof fallback !== 'object') {
      problems.push(`chart: ${o.type} has no fallback element to show where charts are not drawn`);
      return node;
    }
    return withChartsChecked(fallback, problems);
  }
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, withChartsChecked(v, problems)]));
}

/** Every chart element on a card (Teams' `Chart.*`), in order. */
export function chartsOf(card: Card): (Record<string, unknown> & { type: string })[] {
  const out: (Record<string, unknown> & { type: string })[] = [];
  walk(card, (o) => {
    if (typeof o.type === 'string' && o.type.startsWith('Chart.'))
      out.push(o as Record<string, unknown> & { type: string });
  });
  return out;
}

/**
 * The problems a card has, as Teams would meet them: not version 1.5, over Teams' 28 KB, a chart
 * that breaks Teams' chart schema or has no fallback, anything the official Adaptive Cards parser
 * refuses (unknown element types, invalid property values), a template expression left
 * unexpanded, or a button whose verb no route answers.
 */
export function cardProblems(card: Card): string[] {
  const problems: string[] = [];
  if (card.version !== '1.5') problems.push(`version is ${String(card.version)}, not 1.5`);
  const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
  if (bytes > TEAMS_CARD_LIMIT_BYTES) problems.push(`${bytes} bytes, over Teams' ${TEAMS_CARD_LIMIT_BYTES}`);
  const ctx = new AC.SerializationContext();
  ctx.targetVersion = AC.Version.parse('1.5', ctx)!;
  const parsed = new AC.AdaptiveCard();
  parsed.parse(withChartsChecked(card, problems), ctx);
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
