import type { OperationInput } from '@azure/cosmos';
import { op } from './batch.js';
import type { CosmosContext } from './context.js';
import { docId } from './documents.js';
import { pointRead } from './reads.js';

/**
 * A district's version stamp is the `_etag` of a small `stamp:<districtId>` document, upserted
 * by every write to the district, its profile, gaps or actions: in the write's own batch where
 * there is one (so both land or neither), and after the records in a bulk write (so a reader
 * that saw the new stamp also sees the new records). Cosmos changes `_etag` on every upsert.
 */
export function stampOperation(partnershipId: string, districtId: string): OperationInput {
  return op.upsert({
    id: docId('stamp', districtId),
    type: 'stamp',
    partnershipId,
    record: { districtId },
  });
}

/** The stamp operations for the districts these records belong to, one per district. */
export function stampOperations(partnershipId: string, districtIds: Iterable<string>): OperationInput[][] {
  return [...new Set(districtIds)].map((id) => [stampOperation(partnershipId, id)]);
}

/** One point read; '0' for a district never written since stamps began. */
export async function readStamp(ctx: CosmosContext, partnershipId: string, districtId: string): Promise<string> {
  const doc = await pointRead<unknown>(ctx.calls, ctx.data, docId('stamp', districtId), partnershipId);
  return doc?._etag ?? '0';
}
