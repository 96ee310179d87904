import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs carry ids (activity, conversation, member, record references) and codes, never
 * what a person typed. The redact list is a second line of defence for fields that should never
 * be logged in the first place.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'soc-profiles-bot' },
      redact: {
        paths: ['text', '*.text', 'password', '*.password', 'key', '*.key', 'authorization', '*.authorization'],
        censor: '[redacted]',
      },
    },
    destination ?? process.stdout,
  );
}
