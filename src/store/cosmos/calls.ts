import { PriorityLevel } from '@azure/cosmos';
import { DomainError, StoreUnavailableError } from '../../domain/errors.js';
import { isBackgroundWork } from '../background-work.js';

/** What a call site expects besides success: an HTTP status and the domain error it means. */
export type ExpectedStatus = Partial<Record<number, () => DomainError>>;

export interface CallOptions {
  abortSignal: AbortSignal;
  /** Low inside asBackgroundWork (jobs, imports); absent (the account's default, High) otherwise. */
  priorityLevel?: PriorityLevel;
}

/**
 * What the adapter read, for the cost figures (`npm run bench:cosmos`): documents returned by
 * point reads and queries, and response bytes of every request. Counted from what the SDK
 * hands back (the local server emulates no request charge), so it costs nothing to keep on.
 */
export interface CosmosMeter {
  requests: number;
  documentsRead: number;
  bytesReturned: number;
}

export function newMeter(): CosmosMeter {
  return { requests: 0, documentsRead: 0, bytesReturned: 0 };
}

/**
 * Every request to Cosmos DB goes through `run`, which gives it a deadline and turns whatever the
 * driver throws into a domain error.
 *
 * Why a deadline of our own: the SDK retries reads on a dropped connection ten times a second
 * apart, and with endpoint discovery on it retries timed-out reads up to 120 times, so an
 * unreachable account would hold a Teams turn for minutes. The deadline aborts the SDK's work
 * (its abortSignal) and answers StoreUnavailableError at once, whatever the SDK is doing.
 *
 * The deadline is per request (one page of a query, one batch), never over a whole multi-page
 * read: the SDK's retries of a throttled (429) request happen inside one request, and a deadline
 * shared by twenty pages would leave the last of them no time to wait out a throttle.
 */
export class CosmosCalls {
  constructor(
    readonly deadlineMs: number,
    readonly meter: CosmosMeter = newMeter(),
  ) {}

  /** Options every request carries besides its abort signal. */
  requestOptions(): { priorityLevel?: PriorityLevel } {
    return isBackgroundWork() ? { priorityLevel: PriorityLevel.Low } : {};
  }

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
      const response = await Promise.race([
        request({ abortSignal: controller.signal, ...this.requestOptions() }),
        deadline,
      ]);
      this.count(response);
      return response;
    } catch (err) {
      throw toDomainError(err, expected);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Documents read are counted by the read helpers (reads.ts); bytes here, from the SDK's diagnostics. */
  private count(response: unknown): void {
    this.meter.requests += 1;
    const stats = (
      response as { diagnostics?: { clientSideRequestStatistics?: { totalResponsePayloadLengthInBytes?: number } } }
    )?.diagnostics?.clientSideRequestStatistics;
    this.meter.bytesReturned += stats?.totalResponsePayloadLengthInBytes ?? 0;
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
