import { BulkOperationType, type OperationInput } from '@azure/cosmos';
import type { AwaitingInstall } from '../../domain/awaiting-install.js';
import type { AwaitingInstallRepository } from '../store.js';
import { auditDocument } from './audit-events.js';
import { upsertAudited } from './audited-writes.js';
import { batchFailed, op, runBatch } from './batch.js';
import type { CosmosContext } from './context.js';
import { docId, epochMs, recordToStore, storedOf, type Envelope, type ReadDocument } from './documents.js';
import { pointRead, queryAll } from './reads.js';

/** In `partnership-data` beside the person's member document: the record and its audit event are one batch. */
function awaitingId(aadObjectId: string, ref: string): string {
  return docId('awaiting', `${aadObjectId.toLowerCase()}:${ref}`);
}

function awaitingDocument(w: AwaitingInstall): Envelope<AwaitingInstall> {
  return {
    id: awaitingId(w.aadObjectId, w.ref),
    type: 'awaiting',
    partnershipId: w.partnershipId,
    aadObjectId: w.aadObjectId,
    requestedMs: epochMs(w.requestedAt, 'requestedAt'),
    record: w,
  };
}

export function awaitingInstallRepository(ctx: CosmosContext): AwaitingInstallRepository {
  return {
    async put(waiting, audit) {
      const record = recordToStore({ ...waiting, aadObjectId: waiting.aadObjectId.toLowerCase() });
      const document = awaitingDocument(record);
      await upsertAudited(
        ctx,
        { entity: 'app-install', key: record.aadObjectId, partnershipId: record.partnershipId, document },
        audit,
      );
    },

    async listForPerson(partnershipId, aadObjectId) {
      const docs = await queryAll<ReadDocument<AwaitingInstall>>(
        ctx.calls,
        ctx.data,
        `SELECT * FROM c WHERE c.partnershipId = @partnershipId AND c.type = 'awaiting' AND c.aadObjectId = @aad`,
        [
          { name: '@partnershipId', value: partnershipId },
          { name: '@aad', value: aadObjectId.toLowerCase() },
        ],
        partnershipId,
      );
      // Ordered here: a person has a handful at most, and Cosmos would need a composite index to sort.
      return docs
        .sort((a, b) => (a.requestedMs as number) - (b.requestedMs as number) || (a.record.ref < b.record.ref ? -1 : 1))
        .map((d) => storedOf(d));
    },

    async take(waiting, audit) {
      const { etag, ...rest } = waiting;
      const record = recordToStore(rest);
      const event = auditDocument(
        {
          partnershipId: record.partnershipId,
          entityType: 'app-install',
          entityId: record.aadObjectId.toLowerCase(),
          before: record,
          after: null,
        },
        audit,
        ctx.auditTtlSeconds,
      );
      // The conditional delete goes first: when another instance took it, nothing is written.
      // (The SDK's type leaves out a delete's ifMatch; the batch API honours it, as it does for replace.)
      const remove = {
        operationType: BulkOperationType.Delete,
        id: awaitingId(record.aadObjectId, record.ref),
        ifMatch: etag,
      } as OperationInput;
      const outcome = await runBatch(ctx.calls, ctx.data, record.partnershipId, [remove, op.create(event)]);
      if (outcome.ok) return true;
      if (outcome.index === 0 && [404, 412].includes(outcome.status)) return false;
      throw batchFailed(outcome);
    },
  };
}
