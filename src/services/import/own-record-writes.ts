import type { FourPAction } from '../../domain/action.js';
import { ValidationError } from '../../domain/errors.js';
import type { IntelligenceGap } from '../../domain/gap.js';
import type { OwnRow } from '../../domain/import-rows.js';
import type { Member } from '../../domain/member.js';
import type { Agency } from '../../domain/partnership.js';
import { changeOf, type Change } from '../../domain/same-record.js';
import type { Store } from '../../store/store.js';
import type { Located } from './own-records.js';

export interface Changes {
  added: number;
  changed: number;
  unchanged: number;
}

export const noChanges = (): Changes => ({ added: 0, changed: 0, unchanged: 0 });

/** The agencies, members, gaps and actions that differ from the store, to write. */
export interface OwnWrites {
  agencies: Agency[];
  /** `etag` for a member that exists (replaced), none for a new one (created). */
  members: { member: Member; etag?: string }[];
  gaps: IntelligenceGap[];
  actions: FourPAction[];
  /** The etag each written gap and action had when read here, or null: written only if still so. */
  expected: { gaps: Map<string, string | null>; actions: Map<string, string | null> };
}

export interface OwnRows {
  agencies: readonly Located<OwnRow['agencies']>[];
  members: readonly Located<OwnRow['members']>[];
  gaps: readonly Located<OwnRow['gaps']>[];
  actions: readonly Located<OwnRow['actions']>[];
}

/**
 * Compares each imported record with the stored one. What no file holds is kept from the stored
 * record (who created it and when, the owner a partner set in Teams); `updatedAt` moves only for a
 * record that changed, so the same file imported twice writes nothing.
 */
export async function ownWrites(
  store: Store,
  partnershipId: string,
  actor: string,
  at: string,
  rows: OwnRows,
  counts: Record<'agencies' | 'members' | 'gaps' | 'actions', Changes>,
): Promise<OwnWrites> {
  const out: OwnWrites = {
    agencies: [],
    members: [],
    gaps: [],
    actions: [],
    expected: { gaps: new Map(), actions: new Map() },
  };
  const count = (kind: keyof typeof counts, change: Change) => {
    counts[kind][change] += 1;
    return change !== 'unchanged';
  };

  for (const { row } of rows.agencies) {
    const agency: Agency = { ...row, partnershipId };
    if (count('agencies', changeOf(await store.agencies.get(partnershipId, row.id), agency))) out.agencies.push(agency);
  }
  for (const { row } of rows.members) {
    const stored = await store.members.get(row.aadObjectId);
    if (stored && stored.partnershipId !== partnershipId) {
      throw new ValidationError(`member ${row.aadObjectId} belongs to partnership ${stored.partnershipId}`);
    }
    const { etag, ...before } = stored ?? { etag: undefined };
    const member: Member = {
      ...row,
      partnershipId,
      createdAt: stored?.createdAt ?? at,
      updatedAt: stored?.updatedAt ?? at,
    };
    if (count('members', changeOf(stored && before, member))) {
      out.members.push({ member: { ...member, updatedAt: at }, ...(etag !== undefined && { etag }) });
    }
  }
  const tracked = <T extends IntelligenceGap | FourPAction>(
    row: OwnRow['gaps'] | OwnRow['actions'],
    stored: (T & { etag: string }) | undefined,
  ): { record: T; before: T | undefined } => {
    const { etag: _etag, ...before } = stored ?? { etag: '' };
    const record = {
      ...row,
      partnershipId,
      createdBy: stored?.createdBy ?? actor,
      createdAt: stored?.createdAt ?? at,
      updatedAt: stored?.updatedAt ?? at,
      ...(stored?.ownerAadObjectId !== undefined && { ownerAadObjectId: stored.ownerAadObjectId }),
      // The recommendation an action takes forward is set in Teams (Make action); no file carries it.
      ...(stored && 'fromRecommendation' in stored && { fromRecommendation: stored.fromRecommendation }),
    } as T;
    return { record, before: stored && (before as T) };
  };
  for (const { row } of rows.gaps) {
    const stored = await store.gaps.get(partnershipId, row.ref);
    const { record, before } = tracked<IntelligenceGap>(row, stored);
    if (count('gaps', changeOf(before, record))) {
      out.gaps.push({ ...record, updatedAt: at });
      out.expected.gaps.set(row.ref, stored?.etag ?? null);
    }
  }
  for (const { row } of rows.actions) {
    const stored = await store.actions.get(partnershipId, row.ref);
    const { record, before } = tracked<FourPAction>(row, stored);
    if (count('actions', changeOf(before, record))) {
      out.actions.push({ ...record, updatedAt: at });
      out.expected.actions.set(row.ref, stored?.etag ?? null);
    }
  }
  return out;
}
