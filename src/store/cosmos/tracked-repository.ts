import type { SqlParameter } from '@azure/cosmos';
import type { AuditContext } from '../../domain/audit.js';
import { ConcurrencyError, ValidationError } from '../../domain/errors.js';
import { formatRef, parseRef, type RefPrefix } from '../../domain/refs.js';
import type { ListCursor, Stored, TrackedRepository } from '../store.js';
import { auditDocument } from './audit-events.js';
import { replaceAudited } from './audited-writes.js';
import { batchFailed, op, runBatch } from './batch.js';
import { stampOperation } from './district-stamps.js';
import type { CosmosContext } from './context.js';
import { docId, recordToStore, storedOf, type Envelope, type ReadDocument } from './documents.js';
import { pointRead, queryAll } from './reads.js';
import { MAX_COUNTER_ATTEMPTS, backOff, counterOperation, isLostRace, readCounter } from './references.js';

interface TrackedRecord {
  ref: string;
  partnershipId: string;
  districtId: string;
  due?: string | undefined;
}

export interface TrackedKind<T, Draft, Facts> {
  entity: 'gap' | 'action';
  /** Where the record names the agency it is with: a gap's owning agency, an action's lead. */
  agencyField: 'ownerAgencyId' | 'leadAgencyId';
  prefixOf(draft: Draft): RefPrefix;
  /** The record's facts (gapFacts/actionFacts), kept in the document so the summary can read them alone. */
  factsOf(record: T): Facts;
}

/**
 * A gap or action as a `partnership-data` document; prefix and number order a district's list,
 * and `facts` is what factsByDistrict reads instead of the whole record.
 */
export function trackedDocument<T extends TrackedRecord>(
  entity: 'gap' | 'action',
  record: T,
  facts: unknown,
): Envelope<T> {
  const ref = parseRef(record.ref);
  if (!ref || ref.ref !== record.ref) throw new ValidationError(`${record.ref} is not a reference`, ['ref']);
  return {
    id: docId(entity, record.ref),
    type: entity,
    partnershipId: record.partnershipId,
    refPrefix: ref.prefix,
    refNumber: ref.n,
    record,
    facts,
  };
}

/** Records after a reference, in reference order (prefix, then number). */
const AFTER_REF = '(c.refPrefix > @afterPrefix OR (c.refPrefix = @afterPrefix AND c.refNumber > @afterNumber))';

/**
 * A task list in its stated order, sorted and cut by Cosmos DB: due date first (composite index
 * record.due, refPrefix, refNumber), then the undated (refPrefix, refNumber), as an ORDER BY on an
 * optional field would drop the records without it. `where` filters both reads; a cursor starts
 * the page after the record it names.
 */
async function inDueOrder<T>(
  ctx: CosmosContext,
  entity: 'gap' | 'action',
  partnershipId: string,
  where: string,
  parameters: SqlParameter[],
  limit: number,
  after: ListCursor | undefined,
  undated: boolean,
): Promise<Stored<T>[]> {
  const cursor = after && parseRef(after.ref);
  if (after && !cursor) throw new ValidationError(`${after.ref} is not a reference`, ['ref']);
  const base: SqlParameter[] = [
    { name: '@partnershipId', value: partnershipId },
    { name: '@type', value: entity },
    ...parameters,
    ...(cursor
      ? [
          { name: '@afterPrefix', value: cursor.prefix },
          { name: '@afterNumber', value: cursor.n },
        ]
      : []),
  ];
  const top = Math.max(0, Math.floor(limit));
  const read = (filter: string, order: string, extra: SqlParameter[] = []) =>
    queryAll<ReadDocument<T>>(
      ctx.calls,
      ctx.data,
      `SELECT TOP ${top} c.record, c._etag FROM c
       WHERE c.partnershipId = @partnershipId AND c.type = @type AND ${where} AND ${filter}
       ORDER BY ${order}`,
      [...base, ...extra],
      partnershipId,
    );
  if (top === 0) return [];
  const found: ReadDocument<T>[] = [];
  if (!after || after.due !== undefined) {
    found.push(
      ...(await read(
        after
          ? `IS_DEFINED(c.record.due) AND (c.record.due > @afterDue OR (c.record.due = @afterDue AND ${AFTER_REF}))`
          : 'IS_DEFINED(c.record.due)',
        'c.record.due ASC, c.refPrefix ASC, c.refNumber ASC',
        after ? [{ name: '@afterDue', value: after.due! }] : [],
      )),
    );
  }
  if (undated && found.length < top) {
    const rest = await read(
      after && after.due === undefined
        ? `NOT IS_DEFINED(c.record.due) AND ${AFTER_REF}`
        : 'NOT IS_DEFINED(c.record.due)',
      'c.refPrefix ASC, c.refNumber ASC',
    );
    found.push(...rest.slice(0, top - found.length));
  }
  return found.map(storedOf);
}

/** Gaps and actions: the same shape of store, each with its own references. */
export function trackedRepository<T extends TrackedRecord, Draft extends Omit<TrackedRecord, 'ref'>, Facts>(
  ctx: CosmosContext,
  kind: TrackedKind<T, Draft, Facts>,
): TrackedRepository<T, Draft, Facts> {
  const { entity } = kind;

  /**
   * A district's documents in list order (prefix, then number), projected by `select`. Ordered by
   * the district first (equal throughout) so one composite index (containers.ts) serves the
   * filter and the order, reading only that district's records.
   */
  function inDistrict<R>(select: string, partnershipId: string, districtId: string): Promise<R[]> {
    return queryAll<R>(
      ctx.calls,
      ctx.data,
      `SELECT ${select} FROM c
       WHERE c.partnershipId = @partnershipId AND c.type = @type AND c.record.districtId = @districtId
       ORDER BY c.record.districtId ASC, c.refPrefix ASC, c.refNumber ASC`,
      [
        { name: '@partnershipId', value: partnershipId },
        { name: '@type', value: entity },
        { name: '@districtId', value: districtId },
      ],
      partnershipId,
    );
  }

  async function listByDistrict(partnershipId: string, districtId: string): Promise<Stored<T>[]> {
    return (await inDistrict<ReadDocument<T>>('c.record, c._etag', partnershipId, districtId)).map(storedOf);
  }

  return {
    async get(partnershipId, ref) {
      const doc = await pointRead<T>(ctx.calls, ctx.data, docId(entity, ref), partnershipId);
      return doc && storedOf(doc);
    },

    listByDistrict,

    listForAssignee(partnershipId, who, statuses, limit, after) {
      return inDueOrder<T>(
        ctx,
        entity,
        partnershipId,
        `ARRAY_CONTAINS(@statuses, c.record.status)
           AND (c.record.ownerAadObjectId = @owner
             OR (NOT IS_DEFINED(c.record.ownerAadObjectId) AND c.record.${kind.agencyField} = @agency))`,
        [
          { name: '@statuses', value: [...statuses] },
          { name: '@owner', value: who.aadObjectId.toLowerCase() },
          { name: '@agency', value: who.agencyId },
        ],
        limit,
        after,
        true,
      );
    },

    listDueBefore(partnershipId, isoDate, statuses, limit, after) {
      return inDueOrder<T>(
        ctx,
        entity,
        partnershipId,
        'ARRAY_CONTAINS(@statuses, c.record.status) AND c.record.due < @before',
        [
          { name: '@statuses', value: [...statuses] },
          { name: '@before', value: isoDate },
        ],
        limit,
        after,
        false,
      );
    },

    async factsByDistrict(partnershipId, districtId) {
      const rows = await inDistrict<{ facts?: Facts }>('c.facts', partnershipId, districtId);
      // Documents written before facts were kept have none: read those records whole, once.
      if (rows.some((r) => r.facts === undefined)) {
        return (await listByDistrict(partnershipId, districtId)).map((r) => kind.factsOf(r));
      }
      return rows.map((r) => r.facts!);
    },

    /**
     * One batch: move the counter (IfMatch), create the record, create its audit event. A lost
     * counter race is retried with a fresh read. A record that already holds the number (the
     * counter lags a record written where batches are not atomic) moves the number on.
     */
    async create(draft, audit) {
      const prefix = kind.prefixOf(draft);
      const partnershipId = draft.partnershipId;
      let floor = 1;
      for (let attempt = 0; attempt < MAX_COUNTER_ATTEMPTS; attempt++) {
        const counter = await readCounter(ctx, partnershipId, prefix);
        const n = Math.max(counter.last + 1, floor);
        const record = recordToStore({ ...draft, ref: formatRef(prefix, n) }) as unknown as T;
        const document = trackedDocument(entity, record, kind.factsOf(record));
        const event = auditDocument(
          { partnershipId, entityType: entity, entityId: record.ref, before: null, after: record },
          audit,
          ctx.auditTtlSeconds,
        );
        const outcome = await runBatch(ctx.calls, ctx.data, partnershipId, [
          counterOperation(partnershipId, prefix, n, counter),
          op.create(document),
          op.create(event),
          stampOperation(partnershipId, record.districtId),
        ]);
        if (outcome.ok) return { ...record, etag: outcome.etags[1]! } as Stored<T>;
        if (outcome.index === 0 && isLostRace(outcome.status)) {
          await backOff(attempt);
        } else if (outcome.index === 1 && outcome.status === 409) {
          floor = n + 1;
        } else {
          throw batchFailed(outcome);
        }
      }
      throw new ConcurrencyError(entity, `${prefix}-(next)`);
    },

    async replace(record, ifMatch, audit: AuditContext) {
      const clean = recordToStore(record);
      return replaceAudited(
        ctx,
        {
          entity,
          key: clean.ref,
          partnershipId: clean.partnershipId,
          document: trackedDocument(entity, clean, kind.factsOf(clean)),
          districtId: clean.districtId,
        },
        ifMatch,
        audit,
      );
    },
  };
}
