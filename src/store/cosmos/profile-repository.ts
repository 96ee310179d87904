import type { Profile } from '../../domain/profile.js';
import type { ProfileRepository, SeverityRow } from '../store.js';
import { createAudited, replaceAudited } from './audited-writes.js';
import type { CosmosContext } from './context.js';
import { docId, recordToStore, storedOf, type Envelope } from './documents.js';
import { pointRead, queryAll } from './reads.js';

/** A profile as a document: keyed by district; `rank` (null without a severity) orders the ranking. */
export function profileDocument(profile: Profile): Envelope<Profile> {
  return {
    id: docId('profile', profile.districtId),
    type: 'profile',
    partnershipId: profile.partnershipId,
    rank: profile.threat.severity?.rank ?? null,
    record: profile,
  };
}

export function profileRepository(ctx: CosmosContext): ProfileRepository {
  const audited = (profile: Profile) => ({
    entity: 'profile' as const,
    key: profile.districtId,
    partnershipId: profile.partnershipId,
    document: profileDocument(profile),
    districtId: profile.districtId,
  });
  return {
    async get(partnershipId, districtId) {
      const doc = await pointRead<Profile>(ctx.calls, ctx.data, docId('profile', districtId), partnershipId);
      return doc && storedOf(doc);
    },

    create: (profile, audit) => createAudited(ctx, audited(recordToStore(profile)), audit),

    replace: (profile, ifMatch, audit) => replaceAudited(ctx, audited(recordToStore(profile)), ifMatch, audit),

    async severityRanking(partnershipId, limit) {
      const top = Math.max(0, Math.floor(limit));
      if (top === 0) return [];
      const rows = await queryAll<{ districtId: string; score: number; rank: number; rankAtLastReview?: number }>(
        ctx.calls,
        ctx.data,
        `SELECT TOP @top c.record.districtId AS districtId, c.record.threat.severity.score AS score,
           c.rank AS rank, c.record.threat.severity.rankAtLastReview AS rankAtLastReview
         FROM c
         WHERE c.partnershipId = @partnershipId AND c.type = 'profile' AND IS_NUMBER(c.rank)
         ORDER BY c.rank ASC, c.record.districtId ASC`,
        [
          { name: '@partnershipId', value: partnershipId },
          { name: '@top', value: top },
        ],
        partnershipId,
      );
      return rows.map((r): SeverityRow => {
        const row: SeverityRow = { districtId: r.districtId, score: r.score, rank: r.rank };
        if (typeof r.rankAtLastReview === 'number') row.rankAtLastReview = r.rankAtLastReview;
        return row;
      });
    },
  };
}
