import { errorSummary } from './guard.js';
import { maySee } from '../domain/visibility.js';
import type { Requester } from '../services/membership.js';
import type { StoredTask } from '../services/tasks.js';
import { renderCard } from './cards.js';
import type { BotDeps } from './deps.js';
import type { SendCard } from './proactive.js';

/** Who got the task card, and who could not be reached (no 1:1 chat yet, or not cleared for it). */
export interface DeliveryReport {
  sent: string[];
  unreachable: string[];
  notCleared: string[];
}

/**
 * Sends a task card to its owner's 1:1 chat with the bot, proactively, from the conversation
 * reference stored when they last spoke to it (the only way a bot may start a message in Teams),
 * through the bot's one proactive sender (throttled, failures reported rather than swallowed).
 */
export class TaskDelivery {
  constructor(
    private readonly send: SendCard,
    private readonly deps: BotDeps,
  ) {}

  async deliver(req: Requester, tenantId: string | undefined, stored: StoredTask): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: [], unreachable: [], notCleared: [] };
    const targets = await this.deps.tasks.deliveries(req, tenantId, stored.task);
    for (const { member, ref } of targets) {
      if (!ref) {
        report.unreachable.push(member.displayName);
        continue;
      }
      const viewer = { clearance: member.clearance, conversation: 'personal' } as const;
      if (!maySee(viewer, stored.task.record.classification)) {
        report.notCleared.push(member.displayName);
        continue;
      }
      const view = await this.deps.tasks.view(req, viewer, member, stored, {
        tenantId,
        note: `${req.member.displayName} assigned this to ${member.aadObjectId === stored.task.record.ownerAadObjectId ? 'you' : 'your agency'}.`,
      });
      try {
        await this.send(ref, renderCard('task', view));
        report.sent.push(member.displayName);
      } catch (err) {
        this.deps.log.warn({ ref: stored.task.record.ref, err: errorSummary(err) }, 'task card not delivered');
        report.unreachable.push(member.displayName);
      }
    }
    return report;
  }

  /** From a card press, which Teams waits on: sent after the answer, never holding it up. */
  deliverLater(req: Requester, tenantId: string | undefined, stored: StoredTask): void {
    setImmediate(() => {
      this.deliver(req, tenantId, stored).catch((err: unknown) =>
        this.deps.log.error({ ref: stored.task.record.ref, err: errorSummary(err) }, 'task delivery failed'),
      );
    });
  }
}
