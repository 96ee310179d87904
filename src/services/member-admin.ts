import type { z } from 'zod';
import type { AuditContext } from '../domain/audit.js';
import { Classification } from '../domain/classification.js';
import { ConcurrencyError, NotFoundError, ValidationError } from '../domain/errors.js';
import { Member, Role } from '../domain/member.js';
import { Agency, Partnership, Sector } from '../domain/partnership.js';
import { AadObjectId } from '../domain/text.js';
import type { Store, Stored } from '../store/store.js';
import type { Clock } from './clock.js';

/**
 * Partnerships, agencies and members, managed by an admin outside Teams (the admin CLI): this is
 * how a deployment gets its first admin. Everything is checked against the domain schemas before
 * anything is written; a refusal says what was wrong and what would be valid, naming fields and
 * ids, never repeating free text. Member changes are audited with the given actor.
 */

export interface PartnershipInput {
  id: string;
  name: string;
  force: string;
  tenantIds?: readonly string[];
}

export interface AgencyInput {
  partnershipId: string;
  id: string;
  name: string;
  sector: string;
}

export interface MemberInput {
  partnershipId: string;
  aadObjectId: string;
  displayName: string;
  agencyId: string;
  roles: readonly string[];
  clearance?: string;
}

/** What a member change did: `changed` is false when the member already was as asked. */
export interface MemberChange {
  member: Member;
  changed: boolean;
}

/** How often a member change is re-read and re-applied when someone else wrote in between. */
const CONCURRENCY_ATTEMPTS = 3;

export class MemberAdmin {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** Who the audit trail names: an admin's AAD object id, or "system:cli". */
    private readonly actor: string,
  ) {}

  async addPartnership(input: PartnershipInput): Promise<Partnership> {
    const partnership = parse(Partnership, 'partnership', {
      id: input.id,
      name: input.name,
      force: input.force,
      // Membership compares the sender's tenant in lower case.
      tenantIds: [...new Set((input.tenantIds ?? []).map((t) => t.toLowerCase()))],
      demo: false,
      createdAt: this.clock().toISOString(),
    });
    if (await this.store.partnerships.get(partnership.id)) {
      throw new ValidationError(`partnership ${partnership.id} already exists; choose another --id`, ['id']);
    }
    const { etag: _etag, ...stored } = await this.store.partnerships.put(partnership);
    return stored;
  }

  listPartnerships(): Promise<Partnership[]> {
    return this.store.partnerships.list();
  }

  async addAgency(input: AgencyInput): Promise<Agency> {
    const agency = parse(Agency, 'agency', { ...input });
    await this.partnership(agency.partnershipId);
    if (await this.store.agencies.get(agency.partnershipId, agency.id)) {
      throw new ValidationError(
        `agency ${agency.id} already exists in partnership ${agency.partnershipId}; choose another --id`,
        ['id'],
      );
    }
    await this.store.agencies.put(agency);
    return agency;
  }

  async listAgencies(partnershipId: string): Promise<Agency[]> {
    await this.partnership(partnershipId);
    return this.store.agencies.list(partnershipId);
  }

  async addMember(input: MemberInput): Promise<Member> {
    const at = this.clock().toISOString();
    const member = parse(Member, 'member', {
      aadObjectId: input.aadObjectId,
      partnershipId: input.partnershipId,
      agencyId: input.agencyId,
      displayName: input.displayName,
      roles: uniqueRoles(input.roles),
      ...(input.clearance !== undefined && { clearance: input.clearance }),
      active: true,
      createdAt: at,
      updatedAt: at,
    });
    await this.partnership(member.partnershipId);
    await this.agency(member.partnershipId, member.agencyId);
    const existing = await this.store.members.get(member.aadObjectId);
    if (existing) {
      throw new ValidationError(
        existing.partnershipId === member.partnershipId
          ? `member ${member.aadObjectId} already exists in partnership ${member.partnershipId}; use member set-roles or member set-clearance to change them`
          : `member ${member.aadObjectId} already belongs to partnership ${existing.partnershipId}; a member belongs to one partnership`,
        ['aad'],
      );
    }
    try {
      return withoutEtag(await this.store.members.create(member, this.audit('member.created', at)));
    } catch (err) {
      // Created by someone else between the check and the write.
      if (err instanceof ConcurrencyError) {
        throw new ValidationError(`member ${member.aadObjectId} already exists`, ['aad']);
      }
      throw err;
    }
  }

  async listMembers(partnershipId: string): Promise<Member[]> {
    await this.partnership(partnershipId);
    return this.store.members.listByPartnership(partnershipId);
  }

  async setRoles(aadObjectId: string, roles: readonly string[], partnershipId?: string): Promise<MemberChange> {
    const wanted = parse(Member.shape.roles, 'roles', uniqueRoles(roles));
    return this.change(aadObjectId, partnershipId, 'member.roles', (m) =>
      sameSet(m.roles, wanted) ? undefined : { ...m, roles: wanted },
    );
  }

  async setClearance(aadObjectId: string, clearance: string, partnershipId?: string): Promise<MemberChange> {
    const wanted = parse(Classification, 'clearance', clearance);
    return this.change(aadObjectId, partnershipId, 'member.clearance', (m) =>
      m.clearance === wanted ? undefined : { ...m, clearance: wanted },
    );
  }

  /** `reminders off` / `reminders on`: on is the field cleared, so a member never asked has none. */
  async setRemindersOff(aadObjectId: string, off: boolean, partnershipId?: string): Promise<MemberChange> {
    return this.change(aadObjectId, partnershipId, 'member.reminders', (m) => {
      if ((m.remindersOff === true) === off) return undefined;
      const { remindersOff: _was, ...rest } = m;
      return off ? { ...rest, remindersOff: true } : rest;
    });
  }

  async deactivate(aadObjectId: string, partnershipId?: string): Promise<MemberChange> {
    return this.change(aadObjectId, partnershipId, 'member.deactivated', (m) =>
      m.active ? { ...m, active: false } : undefined,
    );
  }

  async activate(aadObjectId: string, partnershipId?: string): Promise<MemberChange> {
    return this.change(aadObjectId, partnershipId, 'member.activated', (m) =>
      m.active ? undefined : { ...m, active: true },
    );
  }

  /**
   * Read, change, replace with the etag read. When someone else wrote in between, the change is
   * applied again to what they wrote (it sets a field, so their other changes stand); after a
   * few such races the conflict is reported rather than retried for ever. A change to what is
   * already there writes nothing and audits nothing.
   */
  private async change(
    aadObjectId: string,
    partnershipId: string | undefined,
    action: string,
    apply: (member: Member) => Member | undefined,
  ): Promise<MemberChange> {
    const id = parse(AadObjectId, 'aad', aadObjectId);
    for (let attempt = 1; ; attempt++) {
      const current = await this.store.members.get(id);
      if (!current) throw new NotFoundError('member', id);
      if (partnershipId !== undefined && current.partnershipId !== partnershipId) {
        throw new ValidationError(
          `member ${id} belongs to partnership ${current.partnershipId}, not ${partnershipId}`,
          ['partnership'],
        );
      }
      const { etag, ...before } = current;
      const next = apply(before);
      if (!next) return { member: before, changed: false };
      const at = this.clock().toISOString();
      const after = parse(Member, 'member', { ...next, updatedAt: at });
      try {
        const stored = await this.store.members.replace(after, etag, this.audit(action, at));
        return { member: withoutEtag(stored), changed: true };
      } catch (err) {
        if (!(err instanceof ConcurrencyError) || attempt >= CONCURRENCY_ATTEMPTS) throw err;
      }
    }
  }

  private async partnership(id: string): Promise<Partnership> {
    const found = await this.store.partnerships.get(id);
    if (found) return found;
    const known = (await this.store.partnerships.list()).map((p) => p.id);
    throw new ValidationError(
      `partnership ${id} does not exist; ${known.length ? `known: ${known.join(', ')}` : 'add one first with partnership add'}`,
      ['partnership'],
    );
  }

  private async agency(partnershipId: string, id: string): Promise<Agency> {
    const found = await this.store.agencies.get(partnershipId, id);
    if (found) return found;
    const known = (await this.store.agencies.list(partnershipId)).map((a) => a.id);
    throw new ValidationError(
      `agency ${id} is not in partnership ${partnershipId}; ${known.length ? `valid: ${known.join(', ')}` : 'add one first with agency add'}`,
      ['agency'],
    );
  }

  private audit(action: string, at: string): AuditContext {
    return { actor: this.actor, action, at };
  }
}

/** Values the CLI accepts for each enum, for "what would be valid". */
export const VALID = {
  roles: Role.options,
  clearances: Classification.options,
  sectors: Sector.options,
} as const;

/**
 * Parses with a domain schema; a failure names each field and says what would be valid, without
 * repeating the value given (it may be free text).
 */
function parse<S extends z.ZodTypeAny>(schema: S, what: string, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data as z.output<S>;
  const issues = result.error.issues.map((i) => {
    const field = i.path.length ? i.path.join('.') : what;
    return `${field}: ${describeIssue(field, i)}`;
  });
  // A bare value (a clearance, a list of roles) is named once: "clearance: must be one of …".
  const message = result.error.issues.every((i) => i.path.length === 0)
    ? issues.join('; ')
    : `${what} is not valid: ${issues.join('; ')}`;
  throw new ValidationError(message, issues);
}

function describeIssue(field: string, issue: z.ZodIssue): string {
  if (issue.code === 'invalid_enum_value') return `must be one of ${issue.options.join(', ')}`;
  if (issue.code === 'invalid_string' && issue.validation === 'uuid') return 'must be a GUID';
  if (issue.code === 'invalid_type' && issue.received === 'undefined') return 'is required';
  // The domain schema's own words ("must be letters, digits, - or _", "must be at most 120 characters").
  return field === 'roles' && issue.code === 'too_small' ? 'give at least one role' : issue.message;
}

/** Roles as given, lower-cased and once each; a word that is no role is named with the valid ones. */
function uniqueRoles(roles: readonly string[]): string[] {
  const unique = [...new Set(roles.map((r) => r.trim().toLowerCase()).filter((r) => r !== ''))];
  const unknown = unique.filter((r) => !(Role.options as readonly string[]).includes(r));
  if (unknown.length > 0) {
    throw new ValidationError(
      `${unknown.join(', ')} ${unknown.length === 1 ? 'is not a role' : 'are not roles'}; valid: ${Role.options.join(', ')}`,
      ['roles'],
    );
  }
  return unique;
}

function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function withoutEtag<T>(record: Stored<T>): T {
  const { etag: _etag, ...rest } = record;
  return rest as T;
}
