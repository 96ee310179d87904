import { Template } from 'adaptivecards-templating';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCard } from '../../src/bot/card-binder.js';
import { CARD_NAMES, templateJson, type CardName } from '../../src/bot/cards.js';
import type { Viewer } from '../../src/domain/visibility.js';
import { openCardFixture, realisticView, type CardFixture, type View } from '../support/card-views.js';

/**
 * The binder must give exactly what adaptivecards-templating gives, for every card and any view:
 * the library binds the same template to the same data and is the oracle here.
 */
let fixture: CardFixture;
const views = new Map<CardName, View>();
const withheld = new Map<CardName, View>();
/** Views built with a viewer, so a channel gets them with OFFICIAL-SENSITIVE items withheld. */
const VIEWER_CARDS = ['summary', 'gaps', 'plan', 'task', 'task-form', 'tasks', 'history', 'recommendations'] as const;
const inChannel: Viewer = { clearance: 'OFFICIAL-SENSITIVE', conversation: 'channel' };

beforeAll(async () => {
  fixture = await openCardFixture();
  for (const name of CARD_NAMES) views.set(name, await realisticView(fixture, name));
  for (const name of VIEWER_CARDS) withheld.set(name, await realisticView(fixture, name, inChannel));
}, 120_000);

afterAll(async () => {
  await fixture?.close();
});

type Outcome = { ok: true; card: unknown; json: string } | { ok: false; error: string };

function outcome(bind: () => unknown): Outcome {
  try {
    const card = bind();
    return { ok: true, card, json: JSON.stringify(card) };
  } catch (e) {
    return { ok: false, error: String(e) };
  }
}

/** The binder's card (or error) and the library's, for one template and one view. */
function both(template: unknown, view: unknown): { binder: Outcome; library: Outcome } {
  return {
    library: outcome(() => new Template(template).expand({ $root: view })),
    binder: outcome(() => compileCard(template).bind(view)),
  };
}

function expectSame(template: unknown, view: unknown, label: string): Outcome {
  const { binder, library } = both(template, view);
  expect(binder.ok, `${label}: ${binder.ok ? 'bound' : binder.error} / ${library.ok ? 'bound' : library.error}`).toBe(
    library.ok,
  );
  if (binder.ok && library.ok) {
    expect(binder.card, label).toEqual(library.card);
    expect(binder.json, label).toBe(library.json);
  } else if (!binder.ok && !library.ok) {
    expect(binder.error, label).toBe(library.error);
  }
  return library;
}

/** Every value in a view, rewritten by `f` (objects and arrays walked, the view itself kept). */
function mapValues(value: unknown, f: (v: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mapValues(v, f));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapValues(v, f)]));
  }
  return f(value);
}

function mapLists(value: unknown, f: (list: unknown[]) => unknown[]): unknown {
  if (Array.isArray(value)) return f(value.map((v) => mapLists(v, f)));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapLists(v, f)]));
  }
  return value;
}

/** Every object's keys rewritten: AEL reads properties ignoring case, the first match winning. */
function mapKeys(value: unknown, f: (key: string, v: unknown) => [string, unknown][]): unknown {
  if (Array.isArray(value)) return value.map((v) => mapKeys(v, f));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => f(k, mapKeys(v, f))));
  }
  return value;
}

const TRICKY = ' ${x} ${title} "quoted" \'single\' back\\slash \\n Ŵ 😀 \u2028 <b>';

const EDGES: [string, (view: View) => unknown][] = [
  ['as built', (v) => v],
  [
    'with a link, which only some views carry',
    (v) => ({ ...v, link: 'https://teams.example/l/entity?x=1&d=${districtId}' }),
  ],
  [
    'strings with ${…}, quotes, backslashes and unicode',
    (v) => mapValues(v, (x) => (typeof x === 'string' ? x + TRICKY : x)),
  ],
  ['every string empty', (v) => mapValues(v, (x) => (typeof x === 'string' ? '' : x))],
  ['every boolean flipped', (v) => mapValues(v, (x) => (typeof x === 'boolean' ? !x : x))],
  ['every boolean true', (v) => mapValues(v, (x) => (typeof x === 'boolean' ? true : x))],
  ['every number 0', (v) => mapValues(v, (x) => (typeof x === 'number' ? 0 : x))],
  ['every number negative', (v) => mapValues(v, (x) => (typeof x === 'number' ? -x - 1 : x))],
  ['every number a float', (v) => mapValues(v, (x) => (typeof x === 'number' ? x + 0.25 : x))],
  ['every number a numeric string', (v) => mapValues(v, (x) => (typeof x === 'number' ? String(x) : x))],
  ['every list empty', (v) => mapLists(v, () => [])],
  ['every list of one', (v) => mapLists(v, (l) => l.slice(0, 1))],
  ['every list doubled', (v) => mapLists(v, (l) => [...l, ...l])],
  ['every key spelt in capitals', (v) => mapKeys(v, (k, x) => [[k === 'banner' ? k : k.toUpperCase(), x]])],
  [
    'every key after a twin in capitals',
    (v) =>
      mapKeys(v, (k, x) => [
        [k.toUpperCase(), 'twin'],
        [k, x],
      ]),
  ],
  [
    'every key before a twin in capitals',
    (v) =>
      mapKeys(v, (k, x) => [
        [k, x],
        [k.toUpperCase(), 'twin'],
      ]),
  ],
];

/** Each top-level field of the view missing (undefined), then null. */
function dropped(view: View): [string, unknown][] {
  return Object.keys(view).flatMap((key) => [
    [`${key} undefined`, { ...view, [key]: undefined }],
    [`${key} null`, { ...view, [key]: null }],
  ]);
}

describe('compileCard binds exactly as adaptivecards-templating', () => {
  it.each(CARD_NAMES)('%s, with realistic data', (name) => {
    const result = expectSame(templateJson(name), views.get(name), name);
    expect(result.ok).toBe(true);
  });

  it.each(VIEWER_CARDS)('%s, in a channel with OFFICIAL-SENSITIVE items withheld', (name) => {
    const result = expectSame(templateJson(name), withheld.get(name), name);
    expect(result.ok).toBe(true);
  });

  it.each(CARD_NAMES)('%s, with edge values: empty and long lists, odd strings and numbers, missing fields', (name) => {
    const template = templateJson(name);
    const view = views.get(name)!;
    for (const [label, edit] of EDGES) expectSame(template, edit(view), `${name}: ${label}`);
    for (const [label, edited] of dropped(view)) expectSame(template, edited, `${name}: ${label}`);
  });

  it('every $when in every card is seen both true and false across the edge views', () => {
    const seen = new Map<string, Set<boolean>>();
    for (const name of CARD_NAMES) {
      const view = views.get(name)!;
      const all = [...EDGES.map(([, edit]) => edit(view)), ...dropped(view).map(([, v]) => v)];
      for (const variant of all) recordWhens(name, templateJson(name), variant, seen);
    }
    const oneWay = [...seen].filter(([, values]) => values.size < 2).map(([when]) => when);
    expect(oneWay).toEqual([]);
  });
});

/** Which way each `$when` goes, read from the library's own evaluation over the card's data scopes. */
function recordWhens(name: string, node: unknown, data: unknown, seen: Map<string, Set<boolean>>, path = ''): void {
  if (Array.isArray(node)) {
    node.forEach((child, i) => recordWhens(name, child, data, seen, `${path}[${i}]`));
    return;
  }
  if (!node || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  let scopes: unknown[] = [data];
  if (typeof record['$data'] === 'string') {
    const expr = Template.parseInterpolatedString(record['$data']);
    const value = typeof expr === 'string' ? expr : Template.tryEvaluateExpression(expr, { $root: data }, true).value;
    scopes = Array.isArray(value) ? value : [value];
  }
  for (const scope of scopes) {
    if (typeof record['$when'] === 'string') {
      const key = `${name}${path}: ${record['$when']}`;
      const expr = Template.parseInterpolatedString(record['$when']);
      const context = { $root: data, $data: scope } as unknown as { $root: unknown };
      const value =
        typeof expr === 'string' ? false : Template.tryEvaluateExpression(expr, context, false).value === true;
      seen.set(key, (seen.get(key) ?? new Set()).add(value));
    }
    for (const [key, child] of Object.entries(record)) {
      if (!key.startsWith('$')) recordWhens(name, child, scope, seen, `${path}.${key}`);
    }
  }
}

/** A small seeded generator (mulberry32), so a failure names a view that can be rebuilt. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Container = Record<string, unknown> | unknown[];

/** Every (container, key) in a view, nested ones included. */
function slots(value: unknown, out: [Container, string | number][] = []): [Container, string | number][] {
  if (Array.isArray(value)) value.forEach((v, i) => (out.push([value, i]), slots(v, out)));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) (out.push([value as Container, k]), slots(v, out));
  }
  return out;
}

/** Type swaps: what a wrong or older view could carry where the template expects another type. */
function swapped(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value !== '' && !Number.isNaN(Number(value)) ? Number(value) : value.length;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return { ...value };
  if (value && typeof value === 'object') return [value];
  return 'text';
}

const MUTATIONS: ((v: unknown) => unknown)[] = [
  () => undefined,
  () => null,
  () => '',
  () => 0,
  () => false,
  () => [],
  () => -1.5,
  () => 'not a number',
  () => ({}),
  swapped,
  swapped,
];

function mutate(view: View, random: () => number): unknown {
  const copy = structuredClone(view);
  const times = 1 + Math.floor(random() * 4);
  for (let i = 0; i < times; i++) {
    const all = slots(copy).filter(([, key]) => key !== 'banner');
    const [container, key] = all[Math.floor(random() * all.length)]!;
    const mutation = MUTATIONS[Math.floor(random() * MUTATIONS.length)]!;
    const next = mutation((container as Record<string | number, unknown>)[key]);
    if (next === undefined && random() < 0.5) {
      if (Array.isArray(container)) container.splice(Number(key), 1);
      else delete container[key];
    } else (container as Record<string | number, unknown>)[key] = next;
  }
  return copy;
}

describe('compileCard against the library on randomly damaged views', () => {
  it.each(CARD_NAMES)('%s: 200 seeded mutations bind, or fail, exactly as the library does', (name) => {
    const template = templateJson(name);
    const random = seeded(CARD_NAMES.indexOf(name) + 18);
    let thrown = 0;
    for (let i = 0; i < 200; i++) {
      const view = mutate(views.get(name)!, random);
      if (!expectSame(template, view, `${name} #${i}: ${JSON.stringify(view).slice(0, 200)}`).ok) thrown++;
    }
    expect(thrown).toBeLessThan(200);
  });
});

describe('compileCard on expressions our cards do not use (yet): the library answers', () => {
  const template = {
    type: 'AdaptiveCard',
    body: [
      { type: 'TextBlock', text: '${length(items)} items, first ${items[0].title}, host ${$host}' },
      { type: 'TextBlock', text: "${concat(a, '-', b)} ${formatNumber(n, 2)} ${string(n)} ${Title}" },
      { type: 'TextBlock', text: "${if(x, items, 'none')}", wrap: '${x}' },
      { $data: '${items}', $when: '${$index > 0}', type: 'TextBlock', text: '${$index}: ${title} of ${$root.name}' },
      { $data: '${items}', type: 'TextBlock', text: '${i}', $when: "${title != 'a'}" },
      { type: 'Input.ChoiceSet', choices: ['${items}', { title: 'x', value: '${a}' }] },
      {
        type: 'TextBlock',
        text: "${join(select(items, i, concat(i.title, '!')), ', ')} ${join(select(items, i, i.Title), '/')}",
      },
      { type: 'TextBlock', text: "${toLower(a)} ${float(b)} ${exists(c) || n >= 3} ${!x && a == b} ${n < 'q'}" },
      { type: 'TextBlock', $when: '${n}', text: 'when a number' },
      { type: 'TextBlock', $when: 'true', text: 'when not an expression' },
      { type: 'TextBlock', $data: { title: 'literal' }, text: '${title} ${$data.title}' },
      { type: 'TextBlock', text: '${c}', size: '${missing}' },
    ],
  };
  const items = [{ title: 'a' }, { Title: 'B upper first', title: 'b' }, { title: 'c', i: 7 }];
  const data: Record<string, unknown>[] = [
    { items, n: 3.14159, x: true, a: 'Ab', b: '2.5', c: 0, name: 'N', Title: 'T' },
    { items: [], n: -1, x: false, a: 'x', b: 'x', c: null, name: '', title: 'lower only' },
    { items: 'not a list', n: '3', x: 'yes', a: 1, b: 1, c: [] },
    { items: { title: 'one object' }, n: 0, x: null },
    { items: [null, 'text', 3, { title: 'after' }], n: Number.NaN, a: 'Σ', b: 'Σ' },
    {},
  ];

  it.each(data.map((d, i) => [i, d] as const))('data set %i binds, or fails, as the library does', (i, view) => {
    expectSame(template, view, `set ${i}`);
  });

  it('a key spelt in another case is read as the library reads it, in a template without twins', () => {
    const plain = { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: '${title}', wrap: '${a.b}' }] };
    for (const view of [
      { TITLE: 'x', A: { B: true } },
      { Title: 'X', title: 'y', a: { B: 1, b: 2 } },
      { title: 'z' },
    ]) {
      expectSame(plain, view, JSON.stringify(view));
    }
  });

  it('an unknown function fails as the library fails', () => {
    const unknown = { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: '${nosuch(a)}' }] };
    const { binder, library } = both(unknown, { a: 1 });
    expect(library.ok).toBe(false);
    expect(binder).toEqual(library);
  });

  it('a card text that evaluates to an error throws as the library throws', () => {
    const bad = { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: '${float(a)}' }] };
    const { binder, library } = both(bad, { a: 'abc' });
    expect(library.ok).toBe(false);
    expect(binder).toEqual(library);
  });
});
