/**
 * Errors that cross layers carry a stable `code`. The turn-error handler logs the code (never the
 * message, which may quote what a user typed) and turns it into a kind answer in chat.
 */
export type ErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'NOT_A_MEMBER'
  | 'INVALID_TRANSITION'
  | 'STORE_UNAVAILABLE'
  | 'CONFIG';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that does not fit the model. `issues` are safe to show: they name fields, not values. */
export class ValidationError extends DomainError {
  constructor(
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super('VALIDATION', message);
  }
}

export class NotFoundError extends DomainError {
  constructor(
    readonly entity: string,
    readonly key: string,
  ) {
    super('NOT_FOUND', `${entity} ${key} was not found`);
  }
}

/** A write based on a stale read: somebody else changed the record first. Never applied. */
export class ConcurrencyError extends DomainError {
  constructor(
    readonly entity: string,
    readonly key: string,
  ) {
    super('CONFLICT', `${entity} ${key} was changed by someone else; reload it and try again`);
  }
}

/**
 * An import planned from records that someone changed before it wrote them (an edit in Teams
 * during the import). Those records are never overwritten: `records` names each one
 * ("gap G-12"), and `othersWritten` says whether the rest of the import was written.
 */
export class ImportConflictError extends ConcurrencyError {
  constructor(
    readonly records: readonly string[],
    readonly othersWritten: boolean,
  ) {
    super('import', records.join(', '));
    const shown = records.slice(0, 10).join(', ') + (records.length > 10 ? ` and ${records.length - 10} more` : '');
    this.message =
      `${records.length === 1 ? '1 record was' : `${records.length} records were`} changed by someone else ` +
      `while the import ran, and ${records.length === 1 ? 'was' : 'were'} not overwritten: ${shown}. ` +
      (othersWritten ? 'The rest of the import was written. ' : 'Nothing was written. ') +
      'Run the import again to bring them in on top of those changes.';
  }
}

export class ForbiddenError extends DomainError {
  constructor(
    readonly permission: string,
    message = 'You do not have permission to do that',
  ) {
    super('FORBIDDEN', message);
  }
}

export class NotAMemberError extends DomainError {
  constructor(readonly aadObjectId: string | undefined) {
    super('NOT_A_MEMBER', 'This account is not a member of a partnership');
  }
}

export class InvalidTransitionError extends DomainError {
  constructor(
    readonly entity: string,
    readonly from: string,
    readonly to: string,
    /** What the record may move to from here, so the answer can say what would work. */
    readonly allowed: readonly string[] = [],
  ) {
    super(
      'INVALID_TRANSITION',
      `A ${entity} cannot go from ${words(from)} to ${words(to)}` +
        (allowed.length ? `. From ${words(from)} it can go to: ${allowed.map(words).join(', ')}.` : ''),
    );
  }
}

function words(status: string): string {
  return status.replace(/_/g, ' ');
}

export class StoreUnavailableError extends DomainError {
  constructor(cause?: unknown) {
    super('STORE_UNAVAILABLE', 'The store is unavailable');
    this.cause = cause;
  }
}

export class ConfigError extends DomainError {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super('CONFIG', `${variable}: ${message}`);
  }
}

export function errorCode(err: unknown): ErrorCode | 'UNEXPECTED' {
  return err instanceof DomainError ? err.code : 'UNEXPECTED';
}
