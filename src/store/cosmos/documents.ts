import { createHash } from 'node:crypto';
import { ValidationError } from '../../domain/errors.js';
import type { Stored } from '../store.js';

/**
 * How records sit in Cosmos DB. A record is kept whole under `record`, exactly as the caller gave
 * it, so it comes back unchanged; beside it are the document id, the partition key, the `type`
 * discriminator and the few derived values that queries filter or order on. Records have ids of
 * their own (an audit event's UUID, a district's slug) that must not be confused with the
 * document's type-prefixed id, which is one more reason not to spread them into the document.
 */
export type DocType =
  | 'partnership'
  | 'agency'
  | 'district'
  | 'profile'
  | 'gap'
  | 'action'
  | 'counter'
  | 'audit'
  | 'board'
  | 'access-request'
  | 'lease'
  | 'delivery'
  | 'reminder'
  | 'member'
  | 'member-pointer'
  | 'roster'
  | 'conversation'
  | 'personal'
  | 'migration'
  | 'stamp'
  | 'clock'
  | 'awaiting';

export interface Envelope<T> {
  id: string;
  type: DocType;
  record: T;
  [derived: string]: unknown;
}

/** What the SDK hands back: the envelope plus Cosmos's system properties. */
export type ReadDocument<T> = Envelope<T> & { _etag: string; _ts?: number };

export function docId(type: DocType, key: string): string {
  return `${type}:${key}`;
}

/** Ids Cosmos DB would refuse (Teams conversation ids) become a fixed-length, safe sha256 hex. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A record as stored, plus its etag: nothing of the envelope or of Cosmos leaks out. */
export function storedOf<T>(doc: ReadDocument<T>): Stored<T> {
  return { ...doc.record, etag: doc._etag };
}

/**
 * What is written: the record without the etag it may have been read with (callers pass the
 * Stored record they read back to `replace`), as JSON would keep it (no undefined properties), so
 * what a write returns equals what a later read returns.
 */
export function recordToStore<T extends object>(record: T): T {
  const { etag: _etag, ...rest } = record as T & { etag?: unknown };
  return JSON.parse(JSON.stringify(rest)) as T;
}

/**
 * Milliseconds since the epoch of an ISO date-time: ordering and range filters compare numbers,
 * because ISO strings with different offsets do not sort as the instants they name.
 */
export function epochMs(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new ValidationError(`${what} must be an ISO date-time`, [what]);
  return ms;
}

let lastSeq = 0;

/**
 * A number that grows with every call in this process and tracks the clock across processes
 * (microseconds since the epoch, or one more than the last, whichever is larger): "the order
 * they were written" for audit events that share an `at`, without a shared counter to contend on.
 */
export function nextSeq(): number {
  lastSeq = Math.max(Date.now() * 1000, lastSeq + 1);
  return lastSeq;
}
