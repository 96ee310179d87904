import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AccessRequest } from '../../src/domain/access-request.js';
import type { AuditContext } from '../../src/domain/audit.js';
import { ConcurrencyError, NotFoundError } from '../../src/domain/errors.js';
import type { Store } from '../../src/store/store.js';

/**
 * Access requests (issue 16): one per person per partnership, audited with every write, and
 * decided once: of two admins deciding from the same read, one wins and the other is refused.
 * Agencies added in chat are audited with their write.
 */
const T0 = '2026-03-02T09:00:00.000Z';
const ADMIN = '5c1f2e7a-9b0d-4e3c-8a61-2f4d6b8c0e13';
const audit = (action: string, actor = ADMIN): AuditContext => ({ actor, action, at: T0 });
const freshPartnershipId = () => `p-${randomUUID().slice(0, 13)}`;

function request(partnershipId: string): AccessRequest {
  return AccessRequest.parse({
    partnershipId,
    aadObjectId: randomUUID().toUpperCase(),
    tenantId: randomUUID(),
    displayName: 'Pat Partner',
    serviceUrl: 'https://smba.trafficmanager.net/uk/',
    conversationId: `a:1personal-${randomUUID()}`,
    botId: '28:22222222-3333-4444-5555-666666666666',
    state: 'open',
    requestedAt: T0,
  });
}

export function runAccessRequestContract(store: () => Store): void {
  describe('access requests and agencies added in chat', () => {
    it('creates one request per person and partnership, audited, and a second create is refused', async () => {
      const pid = freshPartnershipId();
      const r = request(pid);
      const created = await store().accessRequests.create(r, audit('access.requested', r.aadObjectId));
      const id = r.aadObjectId.toLowerCase();
      expect(created).toMatchObject({ ...r, aadObjectId: id });
      expect(await store().accessRequests.get(pid, r.aadObjectId)).toStrictEqual(created);
      expect(await store().accessRequests.get(freshPartnershipId(), r.aadObjectId)).toBeUndefined();
      await expect(store().accessRequests.create(r, audit('access.requested'))).rejects.toBeInstanceOf(
        ConcurrencyError,
      );
      const trail = await store().audit.listForEntity(pid, 'access-request', id);
      expect(trail).toHaveLength(1);
      expect(trail[0]).toMatchObject({ action: 'access.requested', before: null, after: { state: 'open' } });
    });

    it('of two decisions made from the same read, exactly one stands, with its audit event alone', async () => {
      const pid = freshPartnershipId();
      const read = await store().accessRequests.create(request(pid), audit('access.requested'));
      const { etag, ...r } = read;
      const approved = await store().accessRequests.replace(
        { ...r, state: 'approved', decidedAt: T0, decidedBy: ADMIN },
        etag,
        audit('access.approved'),
      );
      await expect(
        store().accessRequests.replace(
          { ...r, state: 'declined', decidedAt: T0, reason: 'Not on our list' },
          etag,
          audit('access.declined'),
        ),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      expect(await store().accessRequests.get(pid, r.aadObjectId)).toStrictEqual(approved);
      const trail = await store().audit.listForEntity(pid, 'access-request', r.aadObjectId);
      expect(trail.map((e) => e.action)).toEqual(['access.requested', 'access.approved']);
      expect(trail[1]).toMatchObject({ before: { state: 'open' }, after: { state: 'approved', decidedBy: ADMIN } });
      await expect(
        store().accessRequests.replace({ ...request(pid), state: 'declined' }, '1', audit('access.declined')),
      ).rejects.toBeInstanceOf(NotFoundError);
    });

    it('audits an agency put with an audit context, and not one without (imports)', async () => {
      const pid = freshPartnershipId();
      const agency = {
        id: 'heldshire-fire',
        partnershipId: pid,
        name: 'Heldshire Fire and Rescue',
        sector: 'fire' as const,
      };
      await store().agencies.put(agency, audit('agency.created'));
      await store().agencies.put({ ...agency, id: 'quiet', name: 'Quiet' });
      expect(await store().agencies.get(pid, 'heldshire-fire')).toStrictEqual(agency);
      expect(await store().audit.listForEntity(pid, 'agency', 'heldshire-fire')).toMatchObject([
        { action: 'agency.created', actor: ADMIN, before: null, after: agency },
      ]);
      expect(await store().audit.listForEntity(pid, 'agency', 'quiet')).toEqual([]);
    });
  });
}
