import { Expression, ExpressionType } from 'adaptive-expressions';
import {
  BAIL,
  compileExpression,
  compileInterpolation,
  evaluateWithLibrary,
  prepareTemplate,
  PathNames,
  type Fast,
  type Scope,
} from './card-expression.js';

/**
 * Why this exists (issue 18): under load, adaptivecards-templating's Template.expand cost 225-700 µs
 * a card (summary ~450, plan ~700, task ~340, rank ~225) plus much of the GC, out of 2.5-4.5 ms a
 * request: AEL resolves every path as a string through SimpleObjectMemory, builds option objects
 * per expression, and the tree walk pushes and pops state at every node.
 *
 * A template is compiled here once into closures. The library stays the parser (Template.prepare
 * gives the expression trees compiled here) and the oracle: every expression it cannot answer
 * exactly (an unknown node type at compile time; a null, a value AEL would substitute, or a type
 * AEL treats apart at bind time) is evaluated by the library itself in the same memory, and the
 * tests hold the output identical to Template.expand for every card. The walk mirrors
 * Template.internalExpand: arrays flatten and drop nulls, `$data` repeats or rescopes, `$when`
 * keeps an object only on a boolean true, reserved fields are dropped, undefined keys omitted.
 * bench/card-binding.bench.ts, same run and data: 4-13x faster than Template.expand per card
 * (summary ~24 µs against ~165, rank ~39 against ~250; the smallest cards gain least), with no
 * library call on realistic views.
 */
export interface CardBinder {
  /** What `new Template(template).expand({ $root: root })` returns. */
  bind(root: unknown): unknown;
}

export function compileCard(template: unknown): CardBinder {
  const names = new PathNames();
  const node = compileNode(prepareTemplate(template), names);
  return {
    bind: (root) => node({ root, data: root, index: undefined, names, plain: new Map(), local: undefined }),
  };
}

type Bound = (scope: Scope) => unknown;

const RESERVED = new Set(['$data', '$when', '$root', '$index', '$host', '$_acTemplateVersion']);

function compileNode(node: unknown, names: PathNames): Bound {
  if (Array.isArray(node)) return compileArray(node, names);
  if (node instanceof Expression) return compileValue(node, names);
  if (typeof node === 'object' && node !== null) return compileObject(node as Record<string, unknown>, names);
  return () => node;
}

/** Items that expand to arrays are spliced in; items that expand to null are dropped. */
function compileArray(nodes: unknown[], names: PathNames): Bound {
  const items = nodes.map((node) => compileNode(node, names));
  return (scope) => {
    const out: unknown[] = [];
    for (let i = 0; i < items.length; i++) {
      const value = items[i]!(scope);
      if (value === null) continue;
      if (Array.isArray(value)) appendAll(out, value);
      else out.push(value);
    }
    return out;
  };
}

/** As Array.prototype.concat does, holes included. */
function appendAll(out: unknown[], values: unknown[]): void {
  for (let i = 0; i < values.length; i++) {
    if (i in values) out.push(values[i]);
    else out.length++;
  }
}

/** Card text: the typed value of a single expression, or the string of an interpolation. */
function compileValue(expression: Expression, names: PathNames): Bound {
  const fast: Fast | undefined =
    expression.type === ExpressionType.Concat
      ? compileInterpolation(expression, names)
      : compileExpression(expression, true, names);
  return (scope) => {
    const value = fast ? fast(scope) : BAIL;
    return value === BAIL ? libraryValue(expression, scope) : value;
  };
}

/** The library's answer; its evaluation error becomes a thrown Error, as in Template.expand. */
function libraryValue(expression: Expression, scope: Scope): unknown {
  const result = evaluateWithLibrary(expression, scope, true);
  if (result.error) throw new Error(result.error as string);
  return result.value;
}

/** `$when` is evaluated without substitution; only a boolean true keeps the object. */
function compileWhen(when: unknown, names: PathNames): (scope: Scope) => boolean {
  if (!(when instanceof Expression)) return when ? () => false : () => true;
  const fast = compileExpression(when, false, names);
  return (scope) => {
    const value = fast ? fast(scope) : BAIL;
    if (value !== BAIL) return value === true;
    const result = evaluateWithLibrary(when, scope, false);
    return !result.error && result.value === true;
  };
}

function compileFields(node: Record<string, unknown>, names: PathNames): Bound {
  const keys = Object.keys(node).filter((key) => !RESERVED.has(key));
  const fields = keys.map((key) => compileNode(node[key], names));
  return (scope) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const value = fields[i]!(scope);
      if (value !== undefined) out[keys[i]!] = value;
    }
    return out;
  };
}

/** An object: once, or once per item of `$data`; none kept is null, one is itself, more an array. */
function compileObject(node: Record<string, unknown>, names: PathNames): Bound {
  const keep = compileWhen(node['$when'], names);
  const expand = compileFields(node, names);
  const data = node['$data'];
  if (data === undefined) return (scope) => (keep(scope) ? expand(scope) : null);
  const contexts = data instanceof Expression ? compileValue(data, names) : () => data;
  return (scope) => {
    const savedData = scope.data;
    const savedIndex = scope.index;
    const value = contexts(scope);
    const repeated = Array.isArray(value);
    const items: unknown[] = repeated ? value : [value];
    const out: unknown[] = [];
    for (let i = 0; i < items.length; i++) {
      if (repeated) scope.index = i;
      if (items[i] !== undefined) scope.data = items[i];
      if (keep(scope)) out.push(expand(scope));
    }
    scope.data = savedData;
    scope.index = savedIndex;
    return out.length === 0 ? null : out.length === 1 ? out[0] : out;
  };
}
