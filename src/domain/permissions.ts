import type { Member, Role } from './member.js';

export type Permission =
  | 'profile.read'
  | 'profile.review'
  | 'gap.read'
  | 'gap.create'
  | 'gap.assign'
  | 'gap.update-own'
  | 'action.read'
  | 'action.create'
  | 'action.assign'
  | 'action.update-own'
  | 'digest.request'
  | 'member.manage'
  /** Adding and removing members and agencies in chat (issue 16): clearance above OFFICIAL stays member.manage. */
  | 'member.onboard'
  | 'board.manage'
  /** `reminder settings` (issue 16): the partnership's lead time and escalation threshold. */
  | 'reminders.manage';

const READ: Permission[] = ['profile.read', 'gap.read', 'action.read'];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  officer: READ,
  partner: [...READ, 'gap.update-own', 'action.update-own'],
  board: [...READ, 'digest.request'],
  coordinator: [
    ...READ,
    'profile.review',
    'gap.create',
    'gap.assign',
    'gap.update-own',
    'action.create',
    'action.assign',
    'action.update-own',
    'digest.request',
    // The board's channel and its digest schedule (issue 5): the coordinator runs the board's business.
    'board.manage',
    // Bringing partner agencies' people in (guidance 3.8): the coordinator runs the partnership day to day.
    'member.onboard',
    'reminders.manage',
  ],
  admin: [...READ, 'member.manage', 'member.onboard', 'board.manage', 'digest.request', 'reminders.manage'],
};

export function can(member: Pick<Member, 'roles' | 'active'>, permission: Permission): boolean {
  return member.active && member.roles.some((r) => ROLE_PERMISSIONS[r].includes(permission));
}

/** The role names that grant a permission, for a kind "you need to be …" answer. */
export function rolesGranting(permission: Permission): Role[] {
  return (Object.keys(ROLE_PERMISSIONS) as Role[]).filter((r) => ROLE_PERMISSIONS[r].includes(permission));
}

/** A gap or an action as the item-level rule sees it: who owns it. */
export interface OwnedItem {
  kind: 'gap' | 'action';
  /** The gap's owning agency, or the action's lead agency. */
  agencyId?: string | undefined;
  ownerAadObjectId?: string | undefined;
}

/**
 * Who may change a gap or action (guidance 3.8, clear ownership): coordinators, its named owner,
 * and members of the agency that owns or leads it whose role updates their agency's work. Chat
 * and card paths both ask this, in the service, so they cannot disagree.
 */
export function mayChangeItem(
  member: Pick<Member, 'roles' | 'active' | 'aadObjectId' | 'agencyId'>,
  item: OwnedItem,
): boolean {
  if (!member.active) return false;
  if (can(member, `${item.kind}.assign`)) return true;
  if (item.ownerAadObjectId !== undefined && item.ownerAadObjectId === member.aadObjectId.toLowerCase()) return true;
  return item.agencyId !== undefined && item.agencyId === member.agencyId && can(member, `${item.kind}.update-own`);
}
