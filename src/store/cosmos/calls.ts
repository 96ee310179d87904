import { DomainError, StoreUnavailableError } from '../../domain/errors.js';

/** What a call site expects besides success: an HTTP status and the domain error it means. */
export type ExpectedStatus = Partial<Record<number, () => DomainError>>;

export interface CallOptions {
  abortSignal: AbortSignal;
}

/**
 * Every request to Cosmos DB goes through `run`, which gives it a deadline and turns whatever the
 * driver throws into a domain error.
 *
 * Why a deadline of our own: the SDK retries reads on a dropped connection ten times a second
 * apart, and with endpoint discovery on it retries timed-out reads up to 120 times, so an
 * unreachable account would hold a Teams turn for minutes. The deadline aborts the SDK's work
 * (its abortSignal) and answers StoreUnavailableError at once, whatever the SDK is doing.
 */
export class CosmosCalls {
  constructor(readonly deadlineMs: number) {}

  async run<T>(
    request: (options: CallOptions) => Promise<T>,
    expected: ExpectedStatus = {},
    deadlineMs = this.deadlineMs,
  ): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new StoreUnavailableError(new Error(`Cosmos DB did not answer within ${deadlineMs} ms`)));
      }, deadlineMs);
    });
    try {
      return await Promise.race([request({ abortSignal: controller.signal }), deadline]);
    } catch (err) {
      throw toDomainError(err, expected);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * An HTTP status the call site expects (412, 409, 404) becomes its domain error; anything else the
 * driver throws (connection refused or reset, timeout, abort, 5xx, 429 after the SDK's retries,
 * an unparseable body, an unexpected 4xx) means the store cannot serve us now.
 */
export function toDomainError(err: unknown, expected: ExpectedStatus = {}): DomainError {
  if (err instanceof DomainError) return err;
  const status = httpStatusOf(err);
  const mapped = status === undefined ? undefined : expected[status];
  return mapped ? mapped() : new StoreUnavailableError(err);
}

/** The SDK's ErrorResponse carries the HTTP status as a numeric `code`; network errors a string. */
export function httpStatusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}
