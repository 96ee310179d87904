import { ValidationError } from '../domain/errors.js';
import type { Member, Role } from '../domain/member.js';
import { rolesGranting, type Permission } from '../domain/permissions.js';
import { findMember, type Found, type Named } from '../domain/member-lookup.js';
import type { Store } from '../store/store.js';
import type { Clock } from './clock.js';
import { MemberAdmin, type MemberChange } from './member-admin.js';
import type { Requester } from './membership.js';

/**
 * Roles granted and revoked in chat by a partnership's admin. Only members of the admin's own
 * partnership can be found or changed; every change goes through MemberAdmin, so it is validated
 * and audited with the admin as the actor. The partnership always keeps an active admin.
 */
export class RoleAdmin {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async find(partnershipId: string, named: Named): Promise<Found> {
    const members = (await this.store.members.listByPartnership(partnershipId)).filter((m) => m.active);
    return findMember(members, named);
  }

  async grant(admin: Requester, member: Member, role: Role): Promise<MemberChange> {
    this.sameHouse(admin, member);
    return this.admin(admin).setRoles(member.aadObjectId, [...member.roles, role], admin.partnership.id);
  }

  async revoke(admin: Requester, member: Member, role: Role): Promise<MemberChange> {
    this.sameHouse(admin, member);
    if (!member.roles.includes(role)) return { member, changed: false };
    if (role === 'admin') {
      const admins = (await this.store.members.listByPartnership(admin.partnership.id)).filter(
        (m) => m.active && m.roles.includes('admin'),
      );
      if (admins.length <= 1) {
        throw new ValidationError(
          `${member.displayName} is the partnership's only admin; grant admin to someone else first, so somebody can still manage roles.`,
          ['roles'],
        );
      }
    }
    if (member.roles.length === 1) {
      throw new ValidationError(
        `${member.displayName} has only the ${role} role, and a member needs at least one. Grant the role they should have instead, then revoke this one.`,
        ['roles'],
      );
    }
    return this.admin(admin).setRoles(
      member.aadObjectId,
      member.roles.filter((r) => r !== role),
      admin.partnership.id,
    );
  }

  /** The partnership's active members whose roles grant the permission, by display name. */
  async whoCan(partnershipId: string, permission: Permission): Promise<{ roles: Role[]; members: Member[] }> {
    const roles = rolesGranting(permission);
    const members = (await this.store.members.listByPartnership(partnershipId)).filter(
      (m) => m.active && m.roles.some((r) => roles.includes(r)),
    );
    return { roles, members };
  }

  /** "Name (Agency)" for each member, so two people of one name can be told apart. */
  async labels(partnershipId: string, members: readonly Member[]): Promise<string[]> {
    const agencies = new Map((await this.store.agencies.list(partnershipId)).map((a) => [a.id, a.name]));
    return members.map((m) => `${m.displayName} (${agencies.get(m.agencyId) ?? m.agencyId})`);
  }

  private admin(admin: Requester): MemberAdmin {
    return new MemberAdmin(this.store, this.clock, admin.member.aadObjectId);
  }

  private sameHouse(admin: Requester, member: Member): void {
    // find() only returns the admin's own members; this keeps a caller that skipped it honest.
    if (member.partnershipId !== admin.partnership.id) {
      throw new ValidationError('That person is not a member of your partnership.', ['member']);
    }
  }
}
