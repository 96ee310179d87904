import type { AccessRequest } from './access-request.js';
import type { AuditEvent } from './audit.js';
import type { Member } from './member.js';
import { banner } from './summary.js';
import type { HistoryView } from './task-view.js';
import { formatWhen } from './task-view.js';

const WORDS: Record<string, string> = {
  'member.created': 'Added',
  'member.imported': 'Loaded by an import',
  'member.roles': 'Roles changed',
  'member.clearance': 'Clearance changed',
  'member.deactivated': 'Removed',
  'member.activated': 'Made active again',
  'member.reactivated': 'Added back',
  'access.requested': 'Asked for access',
  'access.approved': 'Access request approved',
  'access.declined': 'Access request declined',
};

/**
 * `audit @person` (admins): every change to a person's membership and access requests, oldest
 * first, as the history card shows a gap's. Names come from the partnership's members; a reason
 * is the admin's own words, shown as plain text.
 */
export function composeMemberHistory(input: {
  name: string;
  demo: boolean;
  events: readonly AuditEvent[];
  /** Object id to display name, for actors and agencies. */
  people: ReadonlyMap<string, string>;
  agencies: ReadonlyMap<string, string>;
  limit: number;
}): HistoryView {
  const events = [...input.events].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const shown = events.slice(-input.limit);
  const earlier = events.length - shown.length;
  return {
    banner: banner('OFFICIAL', input.demo),
    title: `Membership history of ${input.name}`,
    earlier: earlier > 0 ? `${earlier} earlier ${earlier === 1 ? 'change' : 'changes'} not shown.` : '',
    events: shown.map((e) => {
      const after = (e.after ?? {}) as Partial<Member & AccessRequest>;
      const details: string[] = [];
      if (e.entityType === 'member' && after.roles) {
        details.push(`${after.roles.join(' and ')} in ${input.agencies.get(after.agencyId ?? '') ?? after.agencyId}`);
        details.push(`cleared for ${after.clearance ?? 'OFFICIAL'}`);
      }
      if (e.action === 'access.declined' && after.reason) details.push(`Reason: ${after.reason}`);
      return {
        when: formatWhen(e.at),
        who: e.actor.startsWith('system:')
          ? 'the system'
          : e.action === 'access.requested'
            ? 'themself, in Teams'
            : (input.people.get(e.actor) ?? 'a former member'),
        what: WORDS[e.action] ?? e.action,
        detail: details.join(' · '),
      };
    }),
    hasEvents: events.length > 0,
  };
}
