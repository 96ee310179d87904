import { describe, expect, it } from 'vitest';
import { ACTION_TRANSITIONS, changeActionStatus, FourPAction, type ActionStatus } from '../../src/domain/action.js';
import { InvalidTransitionError } from '../../src/domain/errors.js';
import { changeGapStatus, GAP_TRANSITIONS, IntelligenceGap, isGapOpen, type GapStatus } from '../../src/domain/gap.js';

const NOW = new Date('2026-11-25T10:00:00Z');
const gap = (status: GapStatus, owner?: string): IntelligenceGap =>
  IntelligenceGap.parse({
    ref: 'G-7',
    partnershipId: 'p',
    districtId: 'd',
    question: 'Which premises are used to launder cash?',
    status,
    ...(owner ? { ownerAgencyId: owner } : {}),
    createdBy: 'system:test',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  });

describe('intelligence gap status', () => {
  it('goes open → assigned → in progress → filled, with an owning agency once assigned', () => {
    const assigned = changeGapStatus(gap('open'), 'assigned', NOW, { ownerAgencyId: 'council' });
    const working = changeGapStatus(assigned, 'in_progress', NOW);
    const filled = changeGapStatus(working, 'filled', NOW, { resolution: 'Three premises identified' });
    expect(filled).toMatchObject({ status: 'filled', ownerAgencyId: 'council', updatedAt: NOW.toISOString() });
    expect(isGapOpen(filled.status)).toBe(false);
  });

  it('cannot be assigned without an agency to own it', () => {
    expect(() => changeGapStatus(gap('open'), 'assigned', NOW)).toThrow(/owning agency/);
  });

  it('returns to open, unowned, when the agency declines it', () => {
    const declined = changeGapStatus(gap('assigned', 'council'), 'open', NOW);
    expect(declined.status).toBe('open');
    expect(declined.ownerAgencyId).toBeUndefined();
  });

  it('refuses transitions the table does not allow, and names them', () => {
    expect(() => changeGapStatus(gap('open'), 'filled', NOW)).toThrow(InvalidTransitionError);
    expect(() => changeGapStatus(gap('open'), 'filled', NOW)).toThrow('A gap cannot go from open to filled');
    expect(() => changeGapStatus(gap('filled', 'council'), 'in_progress', NOW)).toThrow(InvalidTransitionError);
  });

  it('can be reopened once filled or closed', () => {
    expect(changeGapStatus(gap('closed'), 'open', NOW).status).toBe('open');
    expect(changeGapStatus(gap('filled', 'council'), 'open', NOW).status).toBe('open');
  });

  it('allows exactly the transitions in the table', () => {
    const statuses = Object.keys(GAP_TRANSITIONS) as GapStatus[];
    for (const from of statuses) {
      for (const to of statuses) {
        const allowed = GAP_TRANSITIONS[from].includes(to);
        const attempt = () => changeGapStatus(gap(from, 'council'), to, NOW, { ownerAgencyId: 'council' });
        if (allowed) expect(attempt, `${from} → ${to}`).not.toThrow();
        else expect(attempt, `${from} → ${to}`).toThrow(InvalidTransitionError);
      }
    }
  });
});

const action = (status: ActionStatus): FourPAction =>
  FourPAction.parse({
    ref: 'PREV-3',
    partnershipId: 'p',
    districtId: 'd',
    strand: 'prevent',
    title: 'Youth diversion sessions in the two schools nearest the hotspot',
    leadAgencyId: 'council',
    status,
    impactMeasure: 'Referrals into the programme and repeat contacts',
    createdBy: 'system:test',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  });

describe('4P action status', () => {
  it('goes planned → in progress → blocked → in progress → done, keeping the latest note', () => {
    let a = changeActionStatus(action('planned'), 'in_progress', NOW);
    a = changeActionStatus(a, 'blocked', NOW, 'Waiting for the venue');
    a = changeActionStatus(a, 'in_progress', NOW);
    a = changeActionStatus(a, 'done', NOW, '12 sessions delivered');
    expect(a).toMatchObject({ status: 'done', lastUpdate: '12 sessions delivered' });
  });

  it('refuses what the table does not allow', () => {
    expect(() => changeActionStatus(action('done'), 'blocked', NOW)).toThrow(
      'A 4P action cannot go from done to blocked',
    );
    expect(() => changeActionStatus(action('cancelled'), 'done', NOW)).toThrow(InvalidTransitionError);
  });

  it('allows exactly the transitions in the table', () => {
    const statuses = Object.keys(ACTION_TRANSITIONS) as ActionStatus[];
    for (const from of statuses) {
      for (const to of statuses) {
        const attempt = () => changeActionStatus(action(from), to, NOW);
        if (ACTION_TRANSITIONS[from].includes(to)) expect(attempt, `${from} → ${to}`).not.toThrow();
        else expect(attempt, `${from} → ${to}`).toThrow(InvalidTransitionError);
      }
    }
  });

  it('keeps the reference prefix true to the strand', () => {
    expect(() => FourPAction.parse({ ...action('planned'), ref: 'PURS-3' })).toThrow(/prefix must match the strand/);
  });
});
