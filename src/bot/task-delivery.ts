import { errorSummary } from './guard.js';
import type { Member } from '../domain/member.js';
import { maySee } from '../domain/visibility.js';
import type { AwaitingInstalls } from '../services/awaiting-installs.js';
import type { Requester } from '../services/membership.js';
import type { StoredTask } from '../services/tasks.js';
import type { TeamsAppInstaller } from '../services/teams-app-installer.js';
import { renderCard } from './cards.js';
import type { BotDeps } from './deps.js';
import type { OpenPersonalChat, SendCard } from './proactive.js';

/**
 * Who got the task card; who will once Teams opens the chat the bot installed itself into
 * (`installing`); who could not be reached (no 1:1 chat and no install), or not cleared for it.
 */
export interface DeliveryReport {
  sent: string[];
  installing: string[];
  unreachable: string[];
  notCleared: string[];
}

/**
 * Reaching an owner who has no 1:1 chat with the bot: install the app for them through Graph
 * (TEAMS_APP_CATALOG_ID set), and send the card when Teams' conversationUpdate for it arrives.
 */
export interface InstallReach {
  installer: TeamsAppInstaller;
  waiting: AwaitingInstalls;
  openChat: OpenPersonalChat;
}

/** Graph installs asked for by one assignment at most: an agency of strangers is not installed for wholesale. */
export const MAX_INSTALLS_PER_DELIVERY = 10;

/**
 * Sends a task card to its owner's 1:1 chat with the bot, proactively, from the conversation
 * reference stored when they last spoke to it (the only way a bot may start a message in Teams),
 * through the bot's one proactive sender (throttled, failures reported rather than swallowed).
 */
export class TaskDelivery {
  constructor(
    private readonly send: SendCard,
    private readonly deps: BotDeps,
    private readonly reach?: InstallReach,
  ) {}

  /** `serviceUrl` is the asking turn's: where a chat is opened for someone the app is already installed for. */
  async deliver(
    req: Requester,
    tenantId: string | undefined,
    stored: StoredTask,
    serviceUrl?: string,
  ): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: [], installing: [], unreachable: [], notCleared: [] };
    const targets = await this.deps.tasks.deliveries(req, tenantId, stored.task);
    const toInstall: Member[] = [];
    for (const { member, ref } of targets) {
      if (!ref) {
        const cleared = maySee(
          { clearance: member.clearance, conversation: 'personal' },
          stored.task.record.classification,
        );
        if (cleared && toInstall.length < MAX_INSTALLS_PER_DELIVERY) toInstall.push(member);
        else report.unreachable.push(member.displayName);
        continue;
      }
      const viewer = { clearance: member.clearance, conversation: 'personal' } as const;
      if (!maySee(viewer, stored.task.record.classification)) {
        report.notCleared.push(member.displayName);
        continue;
      }
      if (await this.sendTo(req, tenantId, member, stored, ref)) report.sent.push(member.displayName);
      else report.unreachable.push(member.displayName);
    }
    await Promise.all(
      toInstall.map(async (member) => {
        const outcome = await this.install(req, tenantId, member, stored, serviceUrl);
        report[outcome].push(member.displayName);
      }),
    );
    return report;
  }

  /** From a card press, which Teams waits on: sent after the answer, never holding it up. */
  deliverLater(req: Requester, tenantId: string | undefined, stored: StoredTask, serviceUrl?: string): void {
    setImmediate(() => {
      this.deliver(req, tenantId, stored, serviceUrl).catch((err: unknown) =>
        this.deps.log.error({ ref: stored.task.record.ref, err: errorSummary(err) }, 'task delivery failed'),
      );
    });
  }

  /**
   * A personal install arrived (Teams' conversationUpdate or installationUpdate, on whichever
   * instance): the task cards that waited for it, each sent once. The membership guard has
   * already stored the new chat's reference. Cards of tasks reassigned meanwhile are not sent.
   */
  async deliverWaiting(tenantId: string | undefined, aadObjectId: string | undefined): Promise<number> {
    if (!this.reach || !tenantId || !aadObjectId) return 0;
    const owner = await this.deps.membership.resolve(aadObjectId, tenantId);
    const taken = await this.reach.waiting.arrived(owner.partnership.id, aadObjectId);
    let sent = 0;
    for (const w of taken) {
      try {
        // Built as the coordinator who assigned it would have sent it; if they have left, as the owner's own.
        const req = await this.deps.membership.resolve(w.assignedBy, tenantId).catch(() => owner);
        const viewer = { clearance: owner.member.clearance, conversation: 'personal' } as const;
        const stored = await this.deps.tasks.load(req, viewer, w.ref);
        const target = (await this.deps.tasks.deliveries(req, tenantId, stored.task)).find(
          (t) => t.member.aadObjectId === owner.member.aadObjectId,
        );
        if (!target?.ref) {
          this.deps.log.info(
            { ref: w.ref, aadObjectId, code: 'AWAITED_CARD_NOT_SENT' },
            'waiting task card no longer for them',
          );
          continue;
        }
        if (await this.sendTo(req, tenantId, target.member, stored, target.ref)) sent += 1;
      } catch (err) {
        this.deps.log.warn({ ref: w.ref, aadObjectId, err: errorSummary(err) }, 'waiting task card not delivered');
      }
    }
    return sent;
  }

  private async sendTo(
    req: Requester,
    tenantId: string | undefined,
    member: Member,
    stored: StoredTask,
    ref: NonNullable<Awaited<ReturnType<BotDeps['tasks']['deliveries']>>[number]['ref']>,
  ): Promise<boolean> {
    const viewer = { clearance: member.clearance, conversation: 'personal' } as const;
    const view = await this.deps.tasks.view(req, viewer, member, stored, {
      tenantId,
      note: `${req.member.displayName} assigned this to ${member.aadObjectId === stored.task.record.ownerAadObjectId ? 'you' : 'your agency'}.`,
    });
    try {
      await this.send(ref, renderCard('task', view));
      return true;
    } catch (err) {
      this.deps.log.warn({ ref: stored.task.record.ref, err: errorSummary(err) }, 'task card not delivered');
      return false;
    }
  }

  /**
   * The card waits in the store before Graph is asked, so a conversationUpdate that beats Graph's
   * answer still finds it. Installed: it goes when Teams opens the chat. Already installed: the
   * chat is opened through the connector and the card goes now. Refused or failed: nothing waits.
   */
  private async install(
    req: Requester,
    tenantId: string | undefined,
    member: Member,
    stored: StoredTask,
    serviceUrl: string | undefined,
  ): Promise<'installing' | 'sent' | 'unreachable'> {
    const ref = stored.task.record.ref;
    if (!this.reach || !tenantId) {
      this.deps.log.info(
        { ref, aadObjectId: member.aadObjectId, code: this.reach ? 'APP_INSTALL_NO_TENANT' : 'APP_INSTALL_OFF' },
        this.reach
          ? 'owner has no chat with the bot, and the turn named no tenant to install the app in'
          : 'owner has no chat with the bot; installing the app for them is off (TEAMS_APP_CATALOG_ID unset)',
      );
      return 'unreachable';
    }
    const { installer, waiting, openChat } = this.reach;
    const record = await waiting.wait(req, tenantId, member.aadObjectId, ref);
    const outcome = await installer.installFor(member.aadObjectId);
    if (outcome.kind === 'installed') return 'installing';
    if (outcome.kind === 'already-installed' && serviceUrl) {
      try {
        await this.deps.conversations.remember(await openChat(serviceUrl, tenantId, member.aadObjectId));
        return (await this.deliverWaiting(tenantId, member.aadObjectId)) > 0 ? 'sent' : 'unreachable';
      } catch (err) {
        this.deps.log.warn(
          { ref, aadObjectId: member.aadObjectId, err: errorSummary(err) },
          'personal chat not opened',
        );
      }
    }
    await waiting.withdraw(record);
    return 'unreachable';
  }
}
