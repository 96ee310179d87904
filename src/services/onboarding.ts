import type { AuditContext } from '../domain/audit.js';
import type { Classification } from '../domain/classification.js';
import { ConcurrencyError, ForbiddenError, ValidationError } from '../domain/errors.js';
import { composeMemberHistory } from '../domain/member-history.js';
import type { HistoryView } from '../domain/task-view.js';
import { Member, type Role } from '../domain/member.js';
import { agencyNamed, agencySlug, agencySuggestions } from '../domain/onboarding.js';
import { Agency, type Sector } from '../domain/partnership.js';
import { can } from '../domain/permissions.js';
import type { Store, Stored } from '../store/store.js';
import type { Clock } from './clock.js';
import type { Requester } from './membership.js';

/** A person as Teams named them: their Entra object id (from a resolved @mention) and display name. */
export interface TeamsPerson {
  aadObjectId: string;
  displayName: string;
}

export interface MemberAdded {
  member: Member;
  agency: Agency;
  /** A former member of this partnership, made active again with the roles asked for. */
  reactivated: boolean;
}

export interface AgencyRow {
  agency: Agency;
  /** Active members. */
  members: number;
}

/**
 * Members and agencies added and removed in chat by a partnership's admins and coordinators
 * (issue 16). Only the actor's own partnership is touched; every write is audited with the actor.
 * Clearance above OFFICIAL, and the admin role, are an admin's to give. A removal deactivates
 * (the member's history stays), and never leaves the partnership without an active admin.
 */
export class Onboarding {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /**
   * Checks everything and returns the write, so a caller with its own claim to make first (an
   * approved access request) writes nothing when the member could not be added.
   */
  async prepareAdd(
    actor: Requester,
    person: TeamsPerson,
    agencyTyped: string,
    role: Role,
    clearance: Classification | undefined,
  ): Promise<{ agency: Agency; commit: () => Promise<MemberAdded> }> {
    const admin = can(actor.member, 'member.manage');
    if (clearance && clearance !== 'OFFICIAL' && !admin) {
      throw new ForbiddenError(
        'member.manage',
        'Only an admin may set a clearance above OFFICIAL. Nothing was changed.',
      );
    }
    if (role === 'admin' && !admin) {
      throw new ForbiddenError('member.manage', 'Only an admin may add someone as an admin. Nothing was changed.');
    }
    const pid = actor.partnership.id;
    const agencies = await this.store.agencies.list(pid);
    const agency = agencyNamed(agencies, agencyTyped);
    if (!agency) {
      const near = agencySuggestions(agencies, agencyTyped);
      throw new ValidationError(
        `${actor.partnership.name} has no agency of that name.` +
          (near.length ? ` Did you mean ${near.map((a) => a.name).join(', or ')}?` : '') +
          ' Type agencies for the list, or add agency <name> (<sector>) to add one.',
        ['agency'],
      );
    }
    const existing = await this.store.members.get(person.aadObjectId);
    if (existing && existing.partnershipId !== pid) {
      throw new ValidationError(
        `${person.displayName} is a member of another partnership, and a person belongs to one partnership. Nothing was changed.`,
        ['member'],
      );
    }
    if (existing?.active) {
      throw new ValidationError(
        `${person.displayName} is already a member (${existing.roles.join(' and ')}). To change their roles, use grant or revoke.`,
        ['member'],
      );
    }
    const at = this.clock().toISOString();
    // Stamped when written: after an approval's own event, when the commit follows one.
    const audit = (action: string): AuditContext => ({
      actor: actor.member.aadObjectId,
      action,
      at: this.clock().toISOString(),
    });
    const wanted = {
      aadObjectId: person.aadObjectId,
      partnershipId: pid,
      agencyId: agency.id,
      displayName: person.displayName,
      roles: [role],
      clearance: clearance ?? 'OFFICIAL',
      active: true,
      createdAt: existing?.createdAt ?? at,
      updatedAt: at,
    };
    const parsed = Member.safeParse(wanted);
    if (!parsed.success) {
      throw new ValidationError(
        `Teams gave a name or id I cannot store (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}). Nothing was changed.`,
        ['member'],
      );
    }
    const member = parsed.data;
    const commit = async (): Promise<MemberAdded> => {
      try {
        const stored = existing
          ? await this.store.members.replace(member, existing.etag, audit('member.reactivated'))
          : await this.store.members.create(member, audit('member.created'));
        return { member: plain(stored), agency, reactivated: existing !== undefined };
      } catch (err) {
        if (err instanceof ConcurrencyError) {
          throw new ValidationError(
            `${person.displayName} was added or changed by someone else just now. Nothing more was changed.`,
            ['member'],
          );
        }
        throw err;
      }
    };
    return { agency, commit };
  }

  async addMember(
    actor: Requester,
    person: TeamsPerson,
    agencyTyped: string,
    role: Role,
    clearance?: Classification,
  ): Promise<MemberAdded> {
    return (await this.prepareAdd(actor, person, agencyTyped, role, clearance)).commit();
  }

  /** Deactivates a member of the actor's partnership; their record and history stay. */
  async remove(actor: Requester, aadObjectId: string): Promise<{ member: Member; changed: boolean }> {
    const pid = actor.partnership.id;
    const current = await this.store.members.get(aadObjectId);
    if (!current || current.partnershipId !== pid) {
      throw new ValidationError('That person is not a member of your partnership, so there is nobody to remove.', [
        'member',
      ]);
    }
    if (!current.active) return { member: plain(current), changed: false };
    if (current.roles.includes('admin')) {
      if (!can(actor.member, 'member.manage')) {
        throw new ForbiddenError('member.manage', 'Only an admin may remove an admin. Nothing was changed.');
      }
      const admins = (await this.store.members.listByPartnership(pid)).filter(
        (m) => m.active && m.roles.includes('admin'),
      );
      if (admins.length <= 1) {
        const self = current.aadObjectId === actor.member.aadObjectId;
        throw new ValidationError(
          self
            ? `You are ${actor.partnership.name}'s only admin, so you cannot remove yourself: grant admin to someone else first.`
            : `${current.displayName} is ${actor.partnership.name}'s only admin; grant admin to someone else first.`,
          ['member'],
        );
      }
    }
    const at = this.clock().toISOString();
    const { etag, ...before } = current;
    const stored = await this.store.members.replace({ ...before, active: false, updatedAt: at }, etag, {
      actor: actor.member.aadObjectId,
      action: 'member.deactivated',
      at,
    });
    return { member: plain(stored), changed: true };
  }

  /**
   * `audit @person`: the person's membership and access-request events in the actor's own
   * partnership (someone of another partnership has none here, so nothing of theirs is shown).
   */
  async history(actor: Requester, aadObjectId: string, name: string): Promise<HistoryView> {
    const pid = actor.partnership.id;
    const id = aadObjectId.toLowerCase();
    const [memberEvents, requestEvents, members, agencies] = await Promise.all([
      this.store.audit.listForEntity(pid, 'member', id),
      this.store.audit.listForEntity(pid, 'access-request', id),
      this.store.members.listByPartnership(pid),
      this.store.agencies.list(pid),
    ]);
    const known = members.find((m) => m.aadObjectId === id)?.displayName;
    return composeMemberHistory({
      name: known ?? name,
      demo: actor.partnership.demo,
      // At one instant, the request's decision comes before the member it made (a stable sort keeps this order).
      events: [...requestEvents, ...memberEvents],
      people: new Map(members.map((m) => [m.aadObjectId, m.displayName])),
      agencies: new Map(agencies.map((a) => [a.id, a.name])),
      limit: 25,
    });
  }

  /** The partnership's agencies by name, each with its number of active members. */
  async agencies(partnershipId: string): Promise<AgencyRow[]> {
    const [agencies, members] = await Promise.all([
      this.store.agencies.list(partnershipId),
      this.store.members.listByPartnership(partnershipId),
    ]);
    const counts = new Map<string, number>();
    for (const m of members) if (m.active) counts.set(m.agencyId, (counts.get(m.agencyId) ?? 0) + 1);
    return agencies.map((agency) => ({ agency, members: counts.get(agency.id) ?? 0 }));
  }

  async addAgency(actor: Requester, name: string, sector: Sector): Promise<Agency> {
    const pid = actor.partnership.id;
    const id = agencySlug(name);
    if (!id) {
      throw new ValidationError(
        'An agency name needs letters or digits, for example: add agency Heldshire Fire and Rescue (fire).',
        ['name'],
      );
    }
    const parsed = Agency.safeParse({ id, partnershipId: pid, name, sector });
    if (!parsed.success) {
      throw new ValidationError(
        'An agency name is 2 to 120 characters of plain text, for example: add agency Heldshire Fire and Rescue (fire).',
        ['name'],
      );
    }
    const agencies = await this.store.agencies.list(pid);
    const same = agencyNamed(agencies, name) ?? agencies.find((a) => a.id === id);
    if (same) {
      throw new ValidationError(
        `${actor.partnership.name} already has ${same.name} (id ${same.id}), so nothing was added. Type agencies for the list.`,
        ['name'],
      );
    }
    await this.store.agencies.put(parsed.data, {
      actor: actor.member.aadObjectId,
      action: 'agency.created',
      at: this.clock().toISOString(),
    });
    return parsed.data;
  }
}

function plain<T>(record: Stored<T>): T {
  const { etag: _etag, ...rest } = record;
  return rest as T;
}
