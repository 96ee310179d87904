import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditContext } from '../../src/domain/audit.js';
import { ConcurrencyError, NotFoundError } from '../../src/domain/errors.js';
import { Partnership } from '../../src/domain/partnership.js';
import type { Store, Stored } from '../../src/store/store.js';

/**
 * A partnership's settings changed in Teams (`reminder settings`, issue 16): written only if the
 * partnership is still as read, with its audit event (before and after), together or not at all.
 */
const T0 = '2026-03-02T09:00:00.000Z';
const ACTOR = '5c1f2e7a-9b0d-4e3c-8a61-2f4d6b8c0e13';

const audit = (at = T0): AuditContext => ({ actor: ACTOR, action: 'partnership.reminders', at });

function partnership(id: string): Partnership {
  return Partnership.parse({ id, name: 'Heldshire CSP', force: 'Heldshire Police', createdAt: T0 });
}

function plain(p: Stored<Partnership>): Partnership {
  const { etag: _etag, ...rest } = p;
  return rest;
}

export function partnershipSettingsCases(store: () => Store): void {
  describe('partnership settings changed in Teams', () => {
    it('replaces a partnership as read, with an audit event holding it before and after', async () => {
      const id = `p-${randomUUID().slice(0, 13)}`;
      const put = await store().partnerships.put(partnership(id));
      const changed = { ...plain(put), reminders: { leadDays: 5, escalationDays: 21 } };

      const replaced = await store().partnerships.replace(changed, put.etag, audit());

      expect(replaced).toStrictEqual({ ...changed, etag: replaced.etag });
      expect(replaced.etag).not.toBe(put.etag);
      expect(await store().partnerships.get(id)).toStrictEqual(replaced);
      const trail = await store().audit.listForEntity(id, 'partnership', id);
      expect(trail).toHaveLength(1);
      expect(trail[0]).toMatchObject({
        actor: ACTOR,
        action: 'partnership.reminders',
        at: T0,
        before: plain(put),
        after: changed,
      });
    });

    it('of two changes made from the same read, exactly one stands, with its audit event alone', async () => {
      const id = `p-${randomUUID().slice(0, 13)}`;
      const put = await store().partnerships.put(partnership(id));
      const first = { ...plain(put), reminders: { leadDays: 3, escalationDays: 10 } };
      const second = { ...plain(put), reminders: { leadDays: 9, escalationDays: 30 } };

      const won = await store().partnerships.replace(first, put.etag, audit());
      await expect(store().partnerships.replace(second, put.etag, audit())).rejects.toBeInstanceOf(ConcurrencyError);

      expect(await store().partnerships.get(id)).toStrictEqual(won);
      const trail = await store().audit.listForEntity(id, 'partnership', id);
      expect(trail.map((e) => e.after)).toStrictEqual([first]);
    });

    it('refuses to replace a partnership that does not exist, writing nothing', async () => {
      const id = `p-${randomUUID().slice(0, 13)}`;
      await expect(store().partnerships.replace(partnership(id), '1', audit())).rejects.toBeInstanceOf(NotFoundError);
      expect(await store().partnerships.get(id)).toBeUndefined();
      expect(await store().audit.listForEntity(id, 'partnership', id)).toStrictEqual([]);
    });
  });
}
