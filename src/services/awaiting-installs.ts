import { AWAITING_INSTALL_MS, SYSTEM_APP_INSTALL, type AwaitingInstall } from '../domain/awaiting-install.js';
import type { Store, Stored } from '../store/store.js';
import type { Clock } from './clock.js';
import type { Requester } from './membership.js';

/**
 * Task cards that wait for their owner's app install (made through Graph because they had no 1:1
 * chat with the bot). Recorded before Graph is asked, so a conversationUpdate that arrives before
 * Graph answers still finds it; taken once, by whichever instance Teams sends the install to.
 * Every step is in the audit trail (entity `app-install`, id the owner's object id).
 */
export class AwaitingInstalls {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** The card of `ref` now waits for `ownerAadObjectId`'s install, asked for by the coordinator `req`. */
  async wait(req: Requester, tenantId: string, ownerAadObjectId: string, ref: string): Promise<AwaitingInstall> {
    const now = this.clock();
    const waiting: AwaitingInstall = {
      partnershipId: req.partnership.id,
      tenantId,
      aadObjectId: ownerAadObjectId.toLowerCase(),
      ref,
      assignedBy: req.member.aadObjectId,
      requestedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + AWAITING_INSTALL_MS).toISOString(),
    };
    await this.store.awaitingInstalls.put(waiting, {
      actor: req.member.aadObjectId,
      action: 'install.requested',
      at: waiting.requestedAt,
    });
    return waiting;
  }

  /** Graph did not install it (refused, failed): the card no longer waits; the task is in `my tasks`. */
  async withdraw(waiting: AwaitingInstall): Promise<void> {
    const current = (await this.store.awaitingInstalls.listForPerson(waiting.partnershipId, waiting.aadObjectId)).find(
      (w) => w.ref === waiting.ref && w.requestedAt === waiting.requestedAt,
    );
    if (current) await this.take(current, 'install.failed');
  }

  /**
   * The install arrived: the person's waiting cards that this caller took (another instance
   * handling the same install takes none of them). Expired ones are taken and left out: their
   * tasks wait in `my tasks`, as the coordinator was told.
   */
  async arrived(partnershipId: string, aadObjectId: string): Promise<AwaitingInstall[]> {
    const waiting = await this.store.awaitingInstalls.listForPerson(partnershipId, aadObjectId);
    const now = this.clock().getTime();
    const taken: AwaitingInstall[] = [];
    for (const w of waiting) {
      const expired = Date.parse(w.expiresAt) <= now;
      if (!(await this.take(w, expired ? 'install.expired' : 'install.arrived')) || expired) continue;
      const { etag: _etag, ...plain } = w;
      taken.push(plain);
    }
    return taken;
  }

  private take(waiting: Stored<AwaitingInstall>, action: string): Promise<boolean> {
    return this.store.awaitingInstalls.take(waiting, {
      actor: SYSTEM_APP_INSTALL,
      action,
      at: this.clock().toISOString(),
    });
  }
}
