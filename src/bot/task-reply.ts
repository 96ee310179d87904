import type { AdaptiveCard } from '@microsoft/teams-ai';
import type { ChangeOutcome, StoredTask } from '../services/tasks.js';
import { renderCard } from './cards.js';
import type { RouteContext } from './guard.js';
import type { DeliveryReport } from './task-delivery.js';

/**
 * The task card for whoever is asking. In a group chat or channel it has no buttons (others are
 * reading); Teams refreshes it for the owner and coordinators, who then get their own.
 */
export async function taskCard(
  rc: RouteContext,
  stored: StoredTask,
  note = '',
  options: { personalView?: boolean } = {},
): Promise<AdaptiveCard> {
  const shared = !options.personalView && rc.facts.conversation !== 'personal';
  const view = await rc.deps.tasks.view(rc.requester, rc.viewer, rc.requester.member, stored, {
    tenantId: rc.facts.tenantId,
    note,
    shared,
  });
  return renderCard('task', view);
}

/** The line at the top of the card after a change: nothing to add, or why nothing was recorded. */
export function outcomeNote(outcome: ChangeOutcome): string {
  if (outcome.kind === 'conflict') {
    return `Changed by ${outcome.byName} at ${outcome.at} since you opened it, so what you sent was not recorded. This is the card as it is now.`;
  }
  return '';
}

/** What the coordinator is told after assigning: who has the card, and who could not be reached. */
export function deliveryText(ref: string, report: DeliveryReport): string {
  const parts: string[] = [];
  if (report.sent.length) parts.push(`The task card was sent to ${report.sent.join(', ')} in their chat with me.`);
  if (report.installing.length) {
    parts.push(
      `I installed the app for ${report.installing.join(', ')}, who had not chatted with me yet; the card is on its way to their chat with me. If Teams has not opened that chat within a day, ${ref} still waits for them in "my tasks".`,
    );
  }
  if (report.unreachable.length) {
    parts.push(
      `I could not reach ${report.unreachable.join(', ')}: they have not chatted with me yet. ${ref} waits for them in "my tasks" once they do.`,
    );
  }
  if (report.notCleared.length) {
    parts.push(
      `${report.notCleared.join(', ')} ${report.notCleared.length === 1 ? 'is' : 'are'} not cleared for OFFICIAL-SENSITIVE, so no card was sent to them.`,
    );
  }
  if (!parts.length)
    parts.push(
      `Nobody in that agency works on tasks in this bot yet, so no card was sent; ${ref} is listed in "my tasks" for its members.`,
    );
  return parts.join(' ');
}
