import { describe, expect, it } from 'vitest';
import type { FourPAction } from '../../src/domain/action.js';
import { InvalidTransitionError, ValidationError } from '../../src/domain/errors.js';
import type { IntelligenceGap } from '../../src/domain/gap.js';
import type { Member } from '../../src/domain/member.js';
import { mayChangeItem } from '../../src/domain/permissions.js';
import { applyTaskChange, offeredChanges, ownedItem, type Task } from '../../src/domain/task.js';

const NOW = new Date('2026-11-25T10:00:00Z');
const AT = '2026-11-01T09:00:00.000Z';
const OWNER = 'aaaaaaaa-0000-0000-0000-000000000001';
const COLLEAGUE = 'aaaaaaaa-0000-0000-0000-000000000002';

function gap(status: IntelligenceGap['status'], extra: Partial<IntelligenceGap> = {}): Task {
  return {
    kind: 'gap',
    record: {
      ref: 'G-12',
      partnershipId: 'p',
      districtId: 'E05000896',
      question: 'Which car washes front cash laundering?',
      classification: 'OFFICIAL',
      status,
      ...(status !== 'open' && status !== 'closed' && { ownerAgencyId: 'council' }),
      createdBy: OWNER,
      createdAt: AT,
      updatedAt: AT,
      ...extra,
    },
  };
}

function action(status: FourPAction['status'], extra: Partial<FourPAction> = {}): Task {
  return {
    kind: 'action',
    record: {
      ref: 'PREV-3',
      partnershipId: 'p',
      districtId: 'E05000896',
      strand: 'prevent',
      title: 'Youth diversion sessions',
      leadAgencyId: 'council',
      status,
      impactMeasure: 'Referrals',
      classification: 'OFFICIAL',
      createdBy: OWNER,
      createdAt: AT,
      updatedAt: AT,
      ...extra,
    },
  };
}

function member(roles: Member['roles'], agencyId: string, aadObjectId = COLLEAGUE) {
  return { roles, agencyId, aadObjectId, active: true };
}

describe('who may change a gap or action', () => {
  const item = ownedItem(gap('assigned', { ownerAadObjectId: OWNER }));

  it('lets coordinators, the owner and partners of the owning agency change it', () => {
    expect(mayChangeItem(member(['coordinator'], 'police'), item)).toBe(true);
    expect(mayChangeItem(member(['officer'], 'police', OWNER), item)).toBe(true);
    expect(mayChangeItem(member(['partner'], 'council'), item)).toBe(true);
  });

  it('refuses other agencies, roles that only read, and inactive members', () => {
    expect(mayChangeItem(member(['partner'], 'health'), item)).toBe(false);
    expect(mayChangeItem(member(['officer'], 'council'), item)).toBe(false);
    expect(mayChangeItem(member(['board'], 'council'), item)).toBe(false);
    expect(mayChangeItem(member(['admin'], 'council'), item)).toBe(false);
    expect(mayChangeItem({ ...member(['coordinator'], 'council'), active: false }, item)).toBe(false);
  });
});

describe('task changes', () => {
  it('accepting an assigned gap starts it and makes the acceptor its owner', () => {
    const next = applyTaskChange(gap('assigned'), { op: 'accept' }, OWNER, NOW);
    expect(next.record).toMatchObject({ status: 'in_progress', ownerAadObjectId: OWNER, updatedAt: NOW.toISOString() });
  });

  it('filling a gap records the outcome; a note changes nothing else', () => {
    const filled = applyTaskChange(gap('in_progress'), { op: 'done', note: 'Shared under the ISA' }, OWNER, NOW);
    expect(filled.record).toMatchObject({ status: 'filled', resolution: 'Shared under the ISA' });
    const noted = applyTaskChange(gap('in_progress'), { op: 'note', note: 'Visited two' }, OWNER, NOW);
    expect(noted.record).toMatchObject({ status: 'in_progress', lastUpdate: 'Visited two' });
  });

  it('refuses a move the status table does not allow, saying what is allowed from here', () => {
    expect(() => applyTaskChange(gap('open'), { op: 'done', note: 'x' }, OWNER, NOW)).toThrow(InvalidTransitionError);
    expect(() => applyTaskChange(action('cancelled'), { op: 'done', note: 'x' }, OWNER, NOW)).toThrow(
      'A 4P action cannot go from cancelled to done. From cancelled it can go to: planned.',
    );
    expect(() => applyTaskChange(action('done'), { op: 'block', reason: 'x' }, OWNER, NOW)).toThrow(
      'From done it can go to: in progress.',
    );
    expect(() => applyTaskChange(gap('open'), { op: 'block', reason: 'x' }, OWNER, NOW)).toThrow(
      'A gap cannot go from open to blocked. From open it can go to: assigned, closed.',
    );
  });

  it('blocks a gap from assigned or in progress with its reason, and resumes it (issue 16, item 7)', () => {
    for (const from of ['assigned', 'in_progress'] as const) {
      const blocked = applyTaskChange(gap(from), { op: 'block', reason: 'Awaiting the licensing list' }, OWNER, NOW);
      expect(blocked.record).toMatchObject({ status: 'blocked', lastUpdate: 'Awaiting the licensing list' });
      expect(applyTaskChange(blocked, { op: 'progress' }, OWNER, NOW).record.status).toBe('in_progress');
    }
  });

  it('blocks a planned action before it starts (issue 16, item 7)', () => {
    const blocked = applyTaskChange(action('planned'), { op: 'block', reason: 'Awaiting funding' }, OWNER, NOW);
    expect(blocked.record).toMatchObject({ status: 'blocked', lastUpdate: 'Awaiting funding' });
  });

  it('blocks an action with its reason and records the impact reading when done', () => {
    const blocked = applyTaskChange(action('in_progress'), { op: 'block', reason: 'Awaiting HMRC data' }, OWNER, NOW);
    expect(blocked.record).toMatchObject({ status: 'blocked', lastUpdate: 'Awaiting HMRC data' });
    const done = applyTaskChange(action('in_progress'), { op: 'done', note: 'Agreed', impactAfter: 7 }, OWNER, NOW);
    expect(done.record).toMatchObject({ status: 'done', lastUpdate: 'Agreed', impactAfter: 7 });
  });

  it('reassigns to an agency (clearing the person) or a person, and not once finished', () => {
    const toAgency = applyTaskChange(
      action('planned', { ownerAadObjectId: OWNER }),
      { op: 'assign', agencyId: 'health' },
      OWNER,
      NOW,
    );
    expect(toAgency.record).toMatchObject({ leadAgencyId: 'health' });
    expect(toAgency.record.ownerAadObjectId).toBeUndefined();
    const toPerson = applyTaskChange(
      gap('open'),
      { op: 'assign', agencyId: 'council', ownerAadObjectId: COLLEAGUE },
      OWNER,
      NOW,
    );
    expect(toPerson.record).toMatchObject({
      status: 'assigned',
      ownerAgencyId: 'council',
      ownerAadObjectId: COLLEAGUE,
    });
    expect(() => applyTaskChange(action('done'), { op: 'assign', agencyId: 'health' }, OWNER, NOW)).toThrow(
      ValidationError,
    );
  });

  it('closes a gap or cancels an action in any open status with its reason, and not once finished', () => {
    const closed = applyTaskChange(gap('in_progress'), { op: 'close', reason: 'Superseded by G-19' }, OWNER, NOW);
    expect(closed.record).toMatchObject({
      status: 'closed',
      resolution: 'Superseded by G-19',
      ownerAgencyId: 'council',
    });
    for (const status of ['planned', 'in_progress', 'blocked'] as const) {
      const cancelled = applyTaskChange(action(status), { op: 'close', reason: 'Operation ended' }, OWNER, NOW);
      expect(cancelled.record).toMatchObject({ status: 'cancelled', lastUpdate: 'Operation ended' });
    }
    expect(() => applyTaskChange(gap('filled'), { op: 'close', reason: 'x' }, OWNER, NOW)).toThrow(
      InvalidTransitionError,
    );
    expect(() => applyTaskChange(action('done'), { op: 'close', reason: 'x' }, OWNER, NOW)).toThrow(
      InvalidTransitionError,
    );
  });

  it('reassigns a gap in progress: back to assigned, with the new owner', () => {
    const moved = applyTaskChange(
      gap('in_progress', { ownerAadObjectId: OWNER }),
      { op: 'assign', agencyId: 'health', ownerAadObjectId: COLLEAGUE },
      OWNER,
      NOW,
    );
    expect(moved.record).toMatchObject({ status: 'assigned', ownerAgencyId: 'health', ownerAadObjectId: COLLEAGUE });
  });

  it('refuses a note that is too long, storing nothing', () => {
    expect(() => applyTaskChange(gap('assigned'), { op: 'note', note: 'x'.repeat(1001) }, OWNER, NOW)).toThrow(
      /lastUpdate: must be at most 1000 characters/,
    );
  });

  it('offers the buttons that make sense from each status', () => {
    expect([...offeredChanges(gap('assigned'))].sort()).toEqual([
      'accept',
      'assign',
      'block',
      'close',
      'note',
      'progress',
    ]);
    // A coordinator may reassign work in progress (issue 19); open work may be closed as no longer needed.
    expect([...offeredChanges(gap('in_progress'))].sort()).toEqual(['assign', 'block', 'close', 'done', 'note']);
    expect([...offeredChanges(gap('blocked'))].sort()).toEqual(['assign', 'close', 'note', 'progress']);
    expect([...offeredChanges(gap('filled'))].sort()).toEqual(['note']);
    expect([...offeredChanges(action('planned'))].sort()).toEqual([
      'accept',
      'assign',
      'block',
      'close',
      'done',
      'note',
      'progress',
    ]);
    expect([...offeredChanges(action('in_progress'))].sort()).toEqual([
      'accept',
      'assign',
      'block',
      'close',
      'done',
      'note',
    ]);
    expect([...offeredChanges(action('blocked'))].sort()).toEqual(['accept', 'assign', 'close', 'note', 'progress']);
    expect([...offeredChanges(action('done'))].sort()).toEqual(['note']);
  });
});
