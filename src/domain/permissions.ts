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
  | 'action.update-own'
  | 'digest.request'
  | 'member.manage'
  | 'board.manage';

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
    'action.update-own',
    'digest.request',
    // The board's channel and its digest schedule (issue 5): the coordinator runs the board's business.
    'board.manage',
  ],
  admin: [...READ, 'member.manage', 'board.manage', 'digest.request'],
};

export function can(member: Pick<Member, 'roles' | 'active'>, permission: Permission): boolean {
  return member.active && member.roles.some((r) => ROLE_PERMISSIONS[r].includes(permission));
}

/** The role names that grant a permission, for a kind "you need to be …" answer. */
export function rolesGranting(permission: Permission): Role[] {
  return (Object.keys(ROLE_PERMISSIONS) as Role[]).filter((r) => ROLE_PERMISSIONS[r].includes(permission));
}
