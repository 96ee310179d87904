import type { OperationInput } from '@azure/cosmos';
import type { District } from '../../domain/district.js';
import type { DistrictName, DistrictRepository } from '../store.js';
import { op, writeInBatches } from './batch.js';
import type { CosmosContext } from './context.js';
import { readStamp, stampOperations } from './district-stamps.js';
import { docId, recordToStore, type Envelope } from './documents.js';
import { pointRead, queryAll } from './reads.js';

export function districtDocument(district: District): Envelope<District> {
  return {
    id: docId('district', district.id),
    type: 'district',
    partnershipId: district.partnershipId,
    record: district,
  };
}

export function districtRepository(ctx: CosmosContext): DistrictRepository {
  return {
    async get(partnershipId, id) {
      const doc = await pointRead<District>(ctx.calls, ctx.data, docId('district', id), partnershipId);
      return doc?.record;
    },

    async listNames(partnershipId) {
      const rows = await queryAll<{ id: string; name: string; localAuthorityName?: string | null }>(
        ctx.calls,
        ctx.data,
        `SELECT c.record.id AS id, c.record.name AS name, c.record.localAuthorityName AS localAuthorityName
         FROM c WHERE c.partnershipId = @partnershipId AND c.type = 'district'
         ORDER BY c.record.name ASC, c.id ASC`,
        [{ name: '@partnershipId', value: partnershipId }],
        partnershipId,
      );
      return rows.map((r): DistrictName => {
        const name: DistrictName = { id: r.id, name: r.name };
        if (typeof r.localAuthorityName === 'string') name.localAuthorityName = r.localAuthorityName;
        return name;
      });
    },

    async count(partnershipId) {
      const [n] = await queryAll<number>(
        ctx.calls,
        ctx.data,
        `SELECT VALUE COUNT(1) FROM c WHERE c.partnershipId = @partnershipId AND c.type = 'district'`,
        [{ name: '@partnershipId', value: partnershipId }],
        partnershipId,
      );
      return n ?? 0;
    },

    async putMany(districts) {
      const byPartnership = new Map<string, OperationInput[][]>();
      for (const district of districts) {
        const units = byPartnership.get(district.partnershipId) ?? [];
        units.push([op.upsert(districtDocument(recordToStore(district)))]);
        byPartnership.set(district.partnershipId, units);
      }
      for (const [partnershipId, units] of byPartnership) {
        const ids = districts.filter((d) => d.partnershipId === partnershipId).map((d) => d.id);
        await writeInBatches(ctx, partnershipId, [...units, ...stampOperations(partnershipId, ids)]);
      }
    },

    stamp: (partnershipId, id) => readStamp(ctx, partnershipId, id),
  };
}
