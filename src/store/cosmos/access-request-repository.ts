import type { AccessRequest } from '../../domain/access-request.js';
import type { AccessRequestRepository } from '../store.js';
import { createAudited, replaceAudited, type AuditedDocument } from './audited-writes.js';
import type { CosmosContext } from './context.js';
import { docId, recordToStore, storedOf } from './documents.js';
import { pointRead } from './reads.js';

const idOf = (aadObjectId: string) => docId('access-request', aadObjectId.toLowerCase());

/**
 * Access requests live in the partnership's partition (`access-request:<object id>`), so a
 * decision and its audit event are one TransactionalBatch, and the IfMatch on the request lets
 * only one of two admins deciding at once succeed.
 */
export function accessRequestRepository(ctx: CosmosContext): AccessRequestRepository {
  const target = (request: AccessRequest): AuditedDocument<AccessRequest> => {
    const record = recordToStore({ ...request, aadObjectId: request.aadObjectId.toLowerCase() });
    return {
      entity: 'access-request',
      key: record.aadObjectId,
      partnershipId: record.partnershipId,
      document: { id: idOf(record.aadObjectId), type: 'access-request', partnershipId: record.partnershipId, record },
    };
  };
  return {
    async get(partnershipId, aadObjectId) {
      const doc = await pointRead<AccessRequest>(ctx.calls, ctx.data, idOf(aadObjectId), partnershipId);
      return doc && storedOf(doc);
    },
    create: (request, audit) => createAudited(ctx, target(request), audit),
    replace: (request, ifMatch, audit) => replaceAudited(ctx, target(request), ifMatch, audit),
  };
}
