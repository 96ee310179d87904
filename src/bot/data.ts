import type { z } from 'zod';
import { ValidationError } from '../domain/errors.js';

/**
 * Card action data comes back from the client and is not checked by teams-ai, so every card
 * route's first line checks it here. The message names fields, never their values.
 */
export function parseData<T extends z.ZodTypeAny>(schema: T, data: unknown): z.infer<T> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new ValidationError(
      'That button sent something I could not read. Ask again by typing the command.',
      parsed.error.issues.map((i) => i.path.join('.')),
    );
  }
  return parsed.data;
}
