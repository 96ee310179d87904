import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig } from '../config.js';
import { ConfigError, NotFoundError, ValidationError } from '../domain/errors.js';
import { DatasetFileError } from '../services/import/dataset-file-error.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';

/**
 * What the command-line tools share: how they talk to the person running them, the exit codes,
 * and the store the environment configures (the same variables as `npm start`).
 */

/** 0 done; 1 the store failed (or something unexpected); 2 the input was wrong, nothing written. */
export const EXIT = { ok: 0, failure: 1, badInput: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out(line: string): void;
  err(line: string): void;
}

export const processIo: CliIo = {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Bad command-line input, found before anything is opened. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A GUID-like AAD object id, or the CLI's own name in the audit trail. */
export const CLI_ACTOR = 'system:cli';

export type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses options strictly, with answers that name the command and its valid options rather than
 * node's generic text.
 */
export function parseOptions<O extends Options>(
  command: string,
  args: readonly string[],
  options: O,
): ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>>['values'] {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    const valid = Object.keys(options)
      .map((o) => `--${o}`)
      .join(', ');
    const code = (err as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = /'(-[^']*)'/.exec((err as Error).message)?.[1] ?? 'an option';
      throw new UsageError(`${command}: unknown option ${option}; valid: ${valid}`);
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw new UsageError(`${command}: every value needs its option name (valid: ${valid}); quote values with spaces`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const option = /'(-[^' ]*)/.exec((err as Error).message)?.[1] ?? 'an option';
      throw new UsageError(`${command}: ${option} needs a value`);
    }
    throw new UsageError(`${command}: ${(err as Error).message}`);
  }
}

/** A required option's value, or a UsageError naming it. */
export function required(command: string, values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`${command}: --${name} is required`);
  return v.trim();
}

/** "a,b" or repeated options, as one list. */
export function listOption(value: string | string[] | undefined): string[] {
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export function auditActor(as: unknown): string {
  if (as === undefined) return CLI_ACTOR;
  if (typeof as !== 'string' || !/^[0-9a-fA-F][0-9a-fA-F-]{30,38}[0-9a-fA-F]$/.test(as.trim())) {
    throw new UsageError('--as must be your Azure AD object id (a GUID), recorded as who made the change');
  }
  return as.trim().toLowerCase();
}

/** Opens the store that the environment configures, runs `work`, and closes it whatever happens. */
export async function withStore<T>(env: NodeJS.ProcessEnv, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(loadConfig(env).store);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** The exit code an error means, and the one line that says what went wrong. */
export function explain(err: unknown): { code: ExitCode; line: string } {
  if (err instanceof UsageError || err instanceof ValidationError) return { code: EXIT.badInput, line: err.message };
  if (err instanceof NotFoundError) return { code: EXIT.badInput, line: `${err.message}` };
  if (err instanceof ConfigError) return { code: EXIT.badInput, line: `configuration: ${err.message}` };
  if (err instanceof DatasetFileError) return { code: EXIT.badInput, line: `dataset: ${err.message}` };
  if (err instanceof Error && 'code' in err && err.code === 'STORE_UNAVAILABLE') {
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return { code: EXIT.failure, line: `the store is unavailable${cause}` };
  }
  if (err instanceof Error && 'code' in err && err.code === 'CONFLICT') {
    return { code: EXIT.failure, line: `${err.message}` };
  }
  return {
    code: EXIT.failure,
    line: `unexpected failure: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
  };
}

/** Runs a CLI's main function as the process, when the file is the one node was started with. */
export function runAsProcess(moduleUrl: string, main: (args: readonly string[], io: CliIo) => Promise<ExitCode>): void {
  const started = process.argv[1];
  if (!started) return;
  let entry: string;
  try {
    entry = realpathSync(started);
  } catch {
    return;
  }
  if (entry !== realpathSync(fileURLToPath(moduleUrl))) return;
  main(process.argv.slice(2), processIo).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${explain(err).line}\n`);
      process.exitCode = EXIT.failure;
    },
  );
}
