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

const FRAME = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?$/;

/**
 * Where an error was thrown, as `file:line:column` frames (innermost first, paths relative to the
 * project): enough to find the line, without the first line of the stack, which holds the
 * message and so may quote what someone typed.
 */
export function stackFrames(err: unknown, max = 8): string[] {
  const stack = err instanceof Error && typeof err.stack === 'string' ? err.stack : '';
  const root = `${process.cwd()}/`;
  const frames: string[] = [];
  for (const line of stack.split('\n')) {
    if (!/^\s+at\s/.test(line)) continue;
    const m = FRAME.exec(line.trim());
    if (!m) continue;
    const file = m[1]!
      .replace(/^file:\/\//, '')
      .replace(root, '')
      .replace(/^.*\/node_modules\//, 'node_modules/');
    frames.push(`${file}:${m[2]}:${m[3]}`);
    if (frames.length >= max) break;
  }
  return frames;
}
