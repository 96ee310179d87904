import { actionFacts, type ActionDraft, type ActionFacts, type FourPAction } from '../../domain/action.js';
import { refPrefixForStrand } from '../../domain/refs.js';
import type { ActionLink, ActionRepository } from '../store.js';
import type { CosmosContext } from './context.js';
import { queryAll } from './reads.js';
import { trackedRepository } from './tracked-repository.js';

/**
 * 4P actions: the tracked repository, and the links of a district's actions to the gaps they were
 * raised from, projected by the query so that the gaps list and a gap's card do not read every
 * action of the district whole. The same composite index as listByDistrict serves it.
 */
export function actionRepository(ctx: CosmosContext): ActionRepository {
  return {
    ...trackedRepository<FourPAction, ActionDraft, ActionFacts>(ctx, {
      factsOf: actionFacts,
      entity: 'action',
      agencyField: 'leadAgencyId',
      prefixOf: (draft) => refPrefixForStrand(draft.strand),
    }),
    linksByDistrict: (partnershipId, districtId) =>
      queryAll<ActionLink>(
        ctx.calls,
        ctx.data,
        `SELECT c.record.ref AS ref, c.record.fromGapRef AS fromGapRef, c.record.classification AS classification FROM c
         WHERE c.partnershipId = @partnershipId AND c.type = @type AND c.record.districtId = @districtId
           AND IS_DEFINED(c.record.fromGapRef)
         ORDER BY c.record.districtId ASC, c.refPrefix ASC, c.refNumber ASC`,
        [
          { name: '@partnershipId', value: partnershipId },
          { name: '@type', value: 'action' },
          { name: '@districtId', value: districtId },
        ],
        partnershipId,
      ),
  };
}
