import { Constant, Expression, ExpressionType } from 'adaptive-expressions';
import { Template } from 'adaptivecards-templating';

/**
 * Turns one parsed Adaptive Expression (the tree adaptivecards-templating's own parse gives) into
 * a closure, for the few node types our cards use. A closure returns BAIL whenever it cannot be
 * sure to answer exactly as adaptive-expressions would (a null, a type AEL treats specially, an
 * error); the caller then asks the library itself. See card-binder.ts for why this exists.
 */
export const BAIL: unique symbol = Symbol('bail');

/** The binding state an expression sees: what AEL's TemplateObjectMemory and lambda layers hold. */
export interface Scope {
  root: unknown;
  data: unknown;
  index: unknown;
  /** The property names the template reads, to tell objects read as AEL reads them by `object[name]`. */
  names: PathNames;
  /** Per bind: PathNames.plainKeys of each object read. */
  plain: Map<object, boolean>;
  local: Local | undefined;
}

/** A lambda's iterator (select's `c`), innermost first, as AEL's StackedMemory layers. */
interface Local {
  name: string;
  value: unknown;
  up: Local | undefined;
}

export type Fast = (scope: Scope) => unknown;

/** The library's evaluation, reached through one narrow typed door (it is not in its .d.ts). */
interface LibraryContext {
  $root: unknown;
  $data: unknown;
  $index: unknown;
  $host: unknown;
  $_acTemplateVersion: unknown;
}
interface LibraryResult {
  value: unknown;
  error?: unknown;
}
const library = Template as unknown as {
  internalTryEvaluateExpression(
    expression: Expression,
    context: LibraryContext,
    allowSubstitutions: boolean,
  ): LibraryResult;
  prepare(node: unknown): unknown;
};

/** The version object the library puts in every evaluation, taken from the library itself. */
const TEMPLATE_VERSION = Template.tryEvaluateExpression(
  Template.parseInterpolatedString('${$_acTemplateVersion}') as Expression,
  { $root: {} },
  false,
).value;

/** What AEL's toLower uses when no locale is given (it asks Intl on every call; the answer is fixed per process). */
const DEFAULT_LOCALE = Intl.DateTimeFormat().resolvedOptions().locale;

export function prepareTemplate(template: unknown): unknown {
  return library.prepare(template);
}

/** Evaluates as Template.expand would, in the same memory, with the same substitution options. */
export function evaluateWithLibrary(expression: Expression, scope: Scope, allowSubstitutions: boolean): LibraryResult {
  return library.internalTryEvaluateExpression(
    expression,
    {
      $root: scope.root,
      $data: scope.data,
      $index: scope.index,
      $host: undefined,
      $_acTemplateVersion: TEMPLATE_VERSION,
    },
    allowSubstitutions,
  );
}

/**
 * `substitutes`: whether AEL would be evaluating this node with nullSubstitution set (card text),
 * or without (a `$when`, and the operands of comparisons and logic, which AEL evaluates without).
 * Returns undefined for a tree with a node type not compiled here: the library evaluates it.
 */
export function compileExpression(expression: Expression, substitutes: boolean, names: PathNames): Fast | undefined {
  const compiler = COMPILERS[expression.type];
  return compiler ? compiler(expression, substitutes, names) : undefined;
}

/** A card text's interpolated string, evaluated child by child as the library's own concatenation does. */
export function compileInterpolation(expression: Expression, names: PathNames): Fast | undefined {
  const parts = compileAll(expression.children, true, names);
  if (!parts) return undefined;
  return (scope) => {
    let text = '';
    for (const part of parts) {
      const value = part(scope);
      if (typeof value === 'string') text += value;
      else if (typeof value === 'number' || typeof value === 'boolean') text += value.toString();
      else return BAIL;
    }
    return text;
  };
}

type Compiler = (expression: Expression, substitutes: boolean, names: PathNames) => Fast | undefined;

const COMPILERS: Partial<Record<string, Compiler>> = {
  [ExpressionType.Constant]: compileConstant,
  [ExpressionType.Accessor]: compilePath,
  [ExpressionType.Equal]: (e, _, names) => compileBinary(e, equals, names),
  [ExpressionType.NotEqual]: (e, _, names) => compileBinary(e, (a, b) => not(equals(a, b)), names),
  [ExpressionType.GreaterThan]: (e, _, names) =>
    compileBinary(
      e,
      ordered((a, b) => a > b),
      names,
    ),
  [ExpressionType.GreaterThanOrEqual]: (e, _, names) =>
    compileBinary(
      e,
      ordered((a, b) => a >= b),
      names,
    ),
  [ExpressionType.LessThan]: (e, _, names) =>
    compileBinary(
      e,
      ordered((a, b) => a < b),
      names,
    ),
  [ExpressionType.LessThanOrEqual]: (e, _, names) =>
    compileBinary(
      e,
      ordered((a, b) => a <= b),
      names,
    ),
  [ExpressionType.Exists]: compileExists,
  [ExpressionType.And]: (e, _, names) => compileLogic(e, false, names),
  [ExpressionType.Or]: (e, _, names) => compileLogic(e, true, names),
  [ExpressionType.Not]: compileNot,
  [ExpressionType.If]: compileIf,
  [ExpressionType.ToLower]: compileToLower,
  [ExpressionType.Join]: compileJoin,
  [ExpressionType.Select]: compileSelect,
  [ExpressionType.Float]: compileFloat,
};

function compileAll(children: Expression[], substitutes: boolean, names: PathNames): Fast[] | undefined {
  const compiled: Fast[] = [];
  for (const child of children) {
    const fast = compileExpression(child, substitutes, names);
    if (!fast) return undefined;
    compiled.push(fast);
  }
  return compiled;
}

function compileConstant(expression: Expression): Fast {
  const value: unknown = (expression as Constant).value;
  return () => value;
}

/** AEL: a boolean is itself, null and undefined are false, anything else is true. */
function isLogicTrue(value: unknown): boolean {
  return typeof value === 'boolean' ? value : value != null;
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && !Number.isNaN(value);
}

function isPrimitive(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function not(value: unknown): unknown {
  return value === BAIL ? BAIL : !value;
}

/** FunctionUtils.commonEquals for nulls and primitives; objects and arrays go to the library. */
function equals(a: unknown, b: unknown): unknown {
  if (a == null || b == null) return a == null && b == null;
  if (!isPrimitive(a) || !isPrimitive(b)) return BAIL;
  if (isNumber(a) && isNumber(b) && Math.abs(a - b) < Number.EPSILON) return true;
  return a === b;
}

/** `>` and friends: a null operand is false; numbers or strings compare; anything else is AEL's error. */
function ordered(compare: (a: number | string, b: number | string) => boolean): (a: unknown, b: unknown) => unknown {
  return (a, b) => {
    if (a == null || b == null) return false;
    if ((isNumber(a) && isNumber(b)) || (typeof a === 'string' && typeof b === 'string')) return compare(a, b);
    return BAIL;
  };
}

/** Comparisons: AEL evaluates both operands without substitution. */
function compileBinary(
  expression: Expression,
  apply: (a: unknown, b: unknown) => unknown,
  names: PathNames,
): Fast | undefined {
  const operands = expression.children.length === 2 ? compileAll(expression.children, false, names) : undefined;
  if (!operands) return undefined;
  const [left, right] = operands as [Fast, Fast];
  return (scope) => {
    const a = left(scope);
    if (a === BAIL) return BAIL;
    const b = right(scope);
    return b === BAIL ? BAIL : apply(a, b);
  };
}

function compileExists(expression: Expression, _: boolean, names: PathNames): Fast | undefined {
  return compileUnary(expression, names, (value) => value != null);
}

/** `&&` stops at the first false, `||` at the first true; operands without substitution. */
function compileLogic(expression: Expression, stopAt: boolean, names: PathNames): Fast | undefined {
  const operands = expression.children.length > 0 ? compileAll(expression.children, false, names) : undefined;
  if (!operands) return undefined;
  return (scope) => {
    for (const operand of operands) {
      const value = operand(scope);
      if (value === BAIL) return BAIL;
      if (isLogicTrue(value) === stopAt) return stopAt;
    }
    return !stopAt;
  };
}

function compileNot(expression: Expression, _: boolean, names: PathNames): Fast | undefined {
  return compileUnary(expression, names, (value) => !isLogicTrue(value));
}

/** A function of one operand; `apply` is not called when the operand goes back to the library. */
function compileUnary(
  expression: Expression,
  names: PathNames,
  apply: (value: unknown) => unknown,
  substitutes = false,
): Fast | undefined {
  const operands = expression.children.length === 1 ? compileAll(expression.children, substitutes, names) : undefined;
  if (!operands) return undefined;
  const [operand] = operands as [Fast];
  return (scope) => {
    const value = operand(scope);
    return value === BAIL ? BAIL : apply(value);
  };
}

/** The condition without substitution; the branch as the `if` itself is evaluated. */
function compileIf(expression: Expression, substitutes: boolean, names: PathNames): Fast | undefined {
  const [condition, then, otherwise] = expression.children;
  if (expression.children.length !== 3 || !condition || !then || !otherwise) return undefined;
  const test = compileExpression(condition, false, names);
  const branches = compileAll([then, otherwise], substitutes, names);
  if (!test || !branches) return undefined;
  const [yes, no] = branches as [Fast, Fast];
  return (scope) => {
    const value = test(scope);
    if (value === BAIL) return BAIL;
    return isLogicTrue(value) ? yes(scope) : no(scope);
  };
}

function compileToLower(expression: Expression, substitutes: boolean, names: PathNames): Fast | undefined {
  return compileUnary(
    expression,
    names,
    (value) => (typeof value === 'string' ? value.toLocaleLowerCase(DEFAULT_LOCALE) : BAIL),
    substitutes,
  );
}

function compileJoin(expression: Expression, substitutes: boolean, names: PathNames): Fast | undefined {
  const operands = expression.children.length === 2 ? compileAll(expression.children, substitutes, names) : undefined;
  if (!operands) return undefined;
  const [list, separator] = operands as [Fast, Fast];
  return (scope) => {
    const items = list(scope);
    if (!Array.isArray(items)) return BAIL;
    const glue = separator(scope);
    return typeof glue === 'string' ? items.join(glue) : BAIL;
  };
}

function compileFloat(expression: Expression, substitutes: boolean, names: PathNames): Fast | undefined {
  return compileUnary(
    expression,
    names,
    (value) => {
      if (isNumber(value)) return value;
      if (typeof value !== 'string') return BAIL;
      const parsed = parseFloat(value);
      return isNumber(parsed) ? parsed : BAIL;
    },
    substitutes,
  );
}

/** select(list, it, body) over an array: the body sees `it` first, then the card's memory. */
function compileSelect(expression: Expression, substitutes: boolean, names: PathNames): Fast | undefined {
  const [source, iterator, body] = expression.children;
  const name = iterator?.children[0];
  if (expression.children.length !== 3 || !source || !body || iterator?.type !== ExpressionType.Accessor)
    return undefined;
  if (iterator.children.length !== 1 || !(name instanceof Constant) || typeof name.value !== 'string') return undefined;
  const parts = compileAll([source, body], substitutes, names);
  if (!parts) return undefined;
  const [list, map] = parts as [Fast, Fast];
  const lowered = name.value.toLowerCase();
  return (scope) => {
    const items = list(scope);
    if (!Array.isArray(items)) return BAIL;
    const local: Local = { name: lowered, value: undefined, up: scope.local };
    const inner: Scope = { ...scope, local };
    const out: unknown[] = [];
    for (const item of items) {
      local.value = item;
      const value = map(inner);
      if (value === BAIL) return BAIL;
      out.push(value);
    }
    return out;
  };
}

/** The names of a pure accessor chain (`a.b.c`), or undefined for anything else (`a[0]`, `f().x`). */
function pathNames(expression: Expression): string[] | undefined {
  const names: string[] = [];
  let node: Expression | undefined = expression;
  while (node) {
    const [name, parent]: (Expression | undefined)[] = node.children;
    if (node.type !== ExpressionType.Accessor || node.children.length > 2) return undefined;
    if (!(name instanceof Constant) || typeof name.value !== 'string' || !/^[^.[\]'"]+$/.test(name.value))
      return undefined;
    names.unshift(name.value);
    node = parent;
  }
  return names;
}

type Root = (scope: Scope) => unknown;

/** TemplateObjectMemory: a path not starting with `$` is read under `$data`; keys match case-insensitively. */
function memoryRoot(first: string): { root: Root; skip: number } | undefined {
  if (!first.startsWith('$')) return { root: (s) => s.data, skip: 0 };
  switch (first.toLowerCase()) {
    case '$root':
      return { root: (s) => s.root, skip: 1 };
    case '$data':
      return { root: (s) => s.data, skip: 1 };
    case '$index':
      return { root: (s) => s.index, skip: 1 };
    default:
      return undefined;
  }
}

/**
 * A property path. A value AEL would substitute (undefined, with substitution on) or one the
 * library treats apart (null) goes to the library; undefined without substitution is a value.
 */
function compilePath(expression: Expression, substitutes: boolean, known: PathNames): Fast | undefined {
  const names = pathNames(expression);
  const memory = names?.[0] === undefined ? undefined : memoryRoot(names[0]);
  if (!names || !memory) return undefined;
  names.slice(memory.skip).forEach((name) => known.add(name));
  const first = names[0]!.toLowerCase();
  return (scope) => {
    let value: unknown = undefined;
    for (let local = scope.local; local && value === undefined; local = local.up) {
      if (local.name === first) value = lookup(scope, local.value, names, 1);
    }
    if (value === undefined) value = lookup(scope, memory.root(scope), names, memory.skip);
    return value === null || (substitutes && value === undefined) ? BAIL : value;
  };
}

/** SimpleObjectMemory.getValue over plain objects; arrays, Maps and primitives go to the library. */
function lookup(scope: Scope, start: unknown, names: string[], from: number): unknown {
  let value = start;
  for (let i = from; i < names.length; i++) {
    if (!value) return undefined;
    if (typeof value !== 'object' || Array.isArray(value) || value instanceof Map) return BAIL;
    value = property(scope, value, names[i]!);
  }
  return value;
}

const isOwnEnumerable = (object: object, key: string) => Object.prototype.propertyIsEnumerable.call(object, key);

/**
 * AEL's accessProperty: the first own enumerable key equal to `name` ignoring case. Reading
 * `object[name]` gives the same answer unless the object has another key spelt like a name the
 * template reads but in other case; such objects (never ours) are searched as AEL searches.
 */
function property(scope: Scope, object: object, name: string): unknown {
  let plain = scope.plain.get(object);
  if (plain === undefined) {
    plain = scope.names.plainKeys(object);
    scope.plain.set(object, plain);
  }
  if (plain) return isOwnEnumerable(object, name) ? (object as Record<string, unknown>)[name] : undefined;
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : (object as Record<string, unknown>)[key];
}

/** The property names a template's paths read, exactly and in lower case. */
export class PathNames {
  private readonly exact = new Set<string>();
  private readonly lower = new Map<string, string>();
  /** Two names differing only in case (`title`, `Title`): every read then searches as AEL does. */
  private twins = false;

  add(name: string): void {
    const lower = name.toLowerCase();
    const seen = this.lower.get(lower);
    if (seen !== undefined && seen !== name) this.twins = true;
    this.exact.add(name);
    this.lower.set(lower, name);
  }

  /** Whether, for this object, `object[name]` is AEL's answer for every name read. */
  plainKeys(object: object): boolean {
    if (this.twins) return false;
    // for-in sees every key Object.keys sees (and inherited ones, which can only make this false), without a copy.
    for (const key in object) {
      if (!this.exact.has(key) && this.lower.has(key.toLowerCase())) return false;
    }
    return true;
  }
}
