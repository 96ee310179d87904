import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';

/**
 * The shape of a card button's data: exactly these fields (plus the `verb` an Action.Submit
 * carries), nothing else. Strict, so a crafted submit cannot slip in a field a later version of a
 * service might store (a `name`, a `suspect`), and a wrong type is refused, not coerced.
 */
export function cardData<S extends z.ZodRawShape>(shape: S) {
  return z.object({ verb: z.string().max(64).optional(), ...shape }).strict();
}

const TYPE_WORD: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'empty',
  undefined: 'missing',
};

/** What was wrong, naming fields and types, never the values sent (they may be anything). */
function describe(issue: z.ZodIssue): string {
  const field = issue.path.join('.') || 'the data';
  switch (issue.code) {
    case 'unrecognized_keys':
      return `it sent ${issue.keys.length === 1 ? 'a field' : 'fields'} I do not expect (${issue.keys.map((k) => k.slice(0, 40)).join(', ')})`;
    case 'invalid_type':
      return issue.received === 'undefined'
        ? `${field} is missing`
        : `${field} should be ${TYPE_WORD[issue.expected] ?? issue.expected}, not ${TYPE_WORD[issue.received] ?? issue.received}`;
    case 'too_big':
      return `${field} is too long`;
    case 'too_small':
      return `${field} is empty`;
    default:
      return `${field} is not valid`;
  }
}

/**
 * Card action data comes back from the client and is not checked by teams-ai, so every card
 * route's first line checks it here, before any service runs: a refusal means nothing was read
 * for change or written.
 */
export function parseData<T extends z.ZodTypeAny>(schema: T, data: unknown): z.infer<T> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const problems = [...new Set(parsed.error.issues.map(describe))].slice(0, 3);
    throw new ValidationError(
      `That button sent something I could not use: ${problems.join('; ')}. Nothing was changed. Ask again by typing the command, or type help.`,
      parsed.error.issues.map((i) => i.path.join('.')),
    );
  }
  return parsed.data;
}
