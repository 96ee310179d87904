/**
 * Card binding, per card: adaptivecards-templating's Template.expand (the baseline, measured in
 * the same run) against the compiled binder (src/bot/card-binder.ts), on the realistic views the
 * card tests use (the demo partnership's largest district). Not part of `npm run bench`:
 *
 *   node --import tsx bench/card-binding.bench.ts [--n 2000]
 *
 * Prints µs per bind for each, the ratio, and how many expressions per bind the binder still
 * handed to the library (a null, a missing field, a node type it does not compile).
 */
import { Template } from 'adaptivecards-templating';
import { compileCard } from '../src/bot/card-binder.js';
import { CARD_NAMES, templateJson } from '../src/bot/cards.js';
import { openCardFixture, realisticView } from '../test/support/card-views.js';
import { ratio, table } from './stats.js';

const nArg = process.argv.indexOf('--n');
const N = nArg > 0 ? Number(process.argv[nArg + 1]) : 2000;

/** Counts the library's expression evaluations, to see how often the binder falls back. */
const library = Template as unknown as { internalTryEvaluateExpression: (...args: unknown[]) => unknown };
const evaluate = library.internalTryEvaluateExpression;
let evaluations = 0;
library.internalTryEvaluateExpression = (...args: unknown[]) => {
  evaluations++;
  return evaluate.apply(Template, args);
};

function microsPerCall(n: number, f: () => unknown): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) f();
  return Number(process.hrtime.bigint() - start) / 1000 / n;
}

const fixture = await openCardFixture();
const rows: string[][] = [['card', 'library µs', 'binder µs', 'faster', 'library calls/bind']];
let failed = false;
try {
  for (const name of CARD_NAMES) {
    const view = await realisticView(fixture, name);
    const template = new Template(templateJson(name));
    const binder = compileCard(templateJson(name));
    const expected = JSON.stringify(template.expand({ $root: view }));
    if (JSON.stringify(binder.bind(view)) !== expected) {
      console.error(`${name}: the binder's card differs from the library's`);
      failed = true;
    }
    evaluations = 0;
    binder.bind(view);
    const fallbacks = evaluations;
    // Warm both up, then time them in alternating halves so drift hits both alike.
    microsPerCall(Math.min(N, 300), () => template.expand({ $root: view }));
    microsPerCall(Math.min(N, 300), () => binder.bind(view));
    const half = Math.max(1, Math.floor(N / 2));
    const lib =
      (microsPerCall(half, () => template.expand({ $root: view })) +
        microsPerCall(half, () => template.expand({ $root: view }))) /
      2;
    const fast = (microsPerCall(half, () => binder.bind(view)) + microsPerCall(half, () => binder.bind(view))) / 2;
    rows.push([name, lib.toFixed(1), fast.toFixed(1), ratio(lib, fast), String(fallbacks)]);
  }
} finally {
  await fixture.close();
}
console.log(`Card binding, ${N} binds per card and engine (node ${process.version})\n`);
console.log(table(rows));
if (failed) process.exitCode = 1;
