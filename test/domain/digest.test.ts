import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/domain/audit.js';
import { changesOf, composeDigest, type DigestDistrict, type DigestInput } from '../../src/domain/digest.js';
import type { Profile } from '../../src/domain/profile.js';

const NOW = new Date('2026-03-30T07:00:00Z');
const FROM = new Date('2026-03-23T08:00:00Z');
const PID = 'safer-bradford';
let n = 0;

function event(
  entityType: 'gap' | 'action',
  before: object | null,
  after: object | null,
  at = '2026-03-25T10:00:00.000Z',
  action = 'x.changed',
  actor = '5c1f2e7a-9b0d-4e3c-8a61-2f4d6b8c0e13',
): AuditEvent {
  n += 1;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    partnershipId: PID,
    entityType,
    entityId: (after as { ref?: string } | null)?.ref ?? 'G-1',
    action,
    actor,
    at,
    before,
    after,
  };
}

const gap = (ref: string, status: string, extra: object = {}) => ({
  ref,
  districtId: 'bradford-moor',
  status,
  classification: 'OFFICIAL',
  ...extra,
});
const act = (ref: string, status: string, extra: object = {}) => ({
  ref,
  districtId: 'bradford-moor',
  status,
  classification: 'OFFICIAL',
  ...extra,
});

function profile(
  over: Partial<Profile['review']> = {},
  severity?: object,
  classification = 'OFFICIAL',
): DigestDistrict['profile'] {
  return {
    classification,
    review: {
      lastRefreshedAt: '2025-04-01T00:00:00.000Z',
      nextRefreshDue: '2026-12-01',
      csiReviewDue: '2026-09-01',
      ...over,
    },
    threat: { ocgs: [], crime: [], ...(severity ? { severity } : {}) },
  } as DigestDistrict['profile'];
}

function input(districts: DigestDistrict[], events: AuditEvent[] = [], limit = 20): DigestInput {
  return {
    demo: false,
    scopeText: 'Safer Bradford Partnership',
    weekFrom: FROM,
    weekTo: NOW,
    districts,
    events,
    agencyNames: new Map([['bradford-council', 'Bradford Council']]),
    now: NOW,
    limit,
  };
}

describe('changes derived from audit events, by comparing before and after', () => {
  it('sees gaps opened, filled and reassigned whatever the event is called', () => {
    expect(changesOf(event('gap', null, gap('G-1', 'open'), undefined, 'gap.created')).map((c) => c.kind)).toEqual([
      'gap-opened',
    ]);
    // A name another feature may invent: the records say what happened.
    const reassigned = event(
      'gap',
      gap('G-2', 'assigned', { ownerAgencyId: 'police' }),
      gap('G-2', 'assigned', { ownerAgencyId: 'bradford-council' }),
      undefined,
      'gap.handed-over',
    );
    expect(changesOf(reassigned).map((c) => c.kind)).toEqual(['gap-reassigned']);
    const filled = event(
      'gap',
      gap('G-3', 'in_progress', { ownerAgencyId: 'police' }),
      gap('G-3', 'filled', { ownerAgencyId: 'police' }),
      undefined,
      'gap.status',
    );
    expect(changesOf(filled).map((c) => c.kind)).toEqual(['gap-filled']);
    // Closed as no longer needed (issue 19): the board sees it in the week it happened.
    const closed = event('gap', gap('G-7', 'in_progress', { ownerAgencyId: 'police' }), gap('G-7', 'closed'));
    expect(changesOf(closed).map((c) => c.kind)).toEqual(['gap-closed']);
    const reopened = event('gap', gap('G-4', 'closed'), gap('G-4', 'open'));
    expect(changesOf(reopened).map((c) => c.kind)).toEqual(['gap-opened']);
    // An edit that changes neither status nor owner is no change for the board.
    expect(
      changesOf(event('gap', gap('G-5', 'open', { question: 'a' }), gap('G-5', 'open', { question: 'b' }))),
    ).toEqual([]);
  });

  it('sees actions started, blocked and done; resuming from blocked is not a start', () => {
    const kinds = (from: string, to: string) =>
      changesOf(event('action', act('PREV-3', from), act('PREV-3', to), undefined, 'action.whatever')).map(
        (c) => c.kind,
      );
    expect(kinds('planned', 'in_progress')).toEqual(['action-started']);
    expect(kinds('in_progress', 'blocked')).toEqual(['action-blocked']);
    expect(kinds('in_progress', 'done')).toEqual(['action-done']);
    expect(kinds('blocked', 'cancelled')).toEqual(['action-cancelled']);
    expect(kinds('blocked', 'in_progress')).toEqual([]);
    expect(kinds('planned', 'planned')).toEqual([]);
    // An action created is planned work, not yet started.
    expect(changesOf(event('action', null, act('PREV-4', 'planned')))).toEqual([]);
  });

  it('ignores bulk imports, profiles and members, and keeps the higher marking of before and after', () => {
    expect(changesOf(event('gap', null, gap('G-6', 'open'), undefined, 'gap.imported', 'system:import'))).toEqual([]);
    const sensitive = changesOf(
      event(
        'gap',
        gap('G-7', 'open', { classification: 'OFFICIAL-SENSITIVE' }),
        gap('G-7', 'assigned', { ownerAgencyId: 'police' }),
      ),
    );
    expect(sensitive[0]?.classification).toBe('OFFICIAL-SENSITIVE');
  });
});

describe('the weekly digest view', () => {
  const moor: DigestDistrict = {
    id: 'bradford-moor',
    label: 'Bradford Moor',
    profile: profile(
      { nextRefreshDue: '2026-03-01', csiReviewDue: '2026-04-15' },
      { score: 40, period: { from: '2025-10', to: '2025-12' }, rank: 2, outOf: 30, rankAtLastReview: 9, method: 'm' },
    ),
    gaps: [
      { ref: 'G-12', status: 'open', classification: 'OFFICIAL' },
      { ref: 'G-13', status: 'open', classification: 'OFFICIAL-SENSITIVE' },
      { ref: 'G-14', status: 'assigned', ownerAgencyId: 'bradford-council', classification: 'OFFICIAL' },
    ],
    actions: [
      {
        ref: 'PREV-3',
        status: 'in_progress',
        due: '2026-03-20',
        leadAgencyId: 'bradford-council',
        classification: 'OFFICIAL',
      },
      {
        ref: 'PURS-7',
        status: 'blocked',
        due: '2026-03-01',
        leadAgencyId: 'police',
        classification: 'OFFICIAL-SENSITIVE',
      },
      { ref: 'PROT-1', status: 'done', due: '2026-03-01', leadAgencyId: 'police', classification: 'OFFICIAL' },
      { ref: 'PREP-2', status: 'planned', due: '2026-04-30', leadAgencyId: 'police', classification: 'OFFICIAL' },
    ],
  };
  const quiet: DigestDistrict = { id: 'ilkley', label: 'Ilkley', profile: profile(), gaps: [], actions: [] };

  it('names OFFICIAL items by reference, with the overdue action’s lead agency; sensitive ones only counted', () => {
    const view = composeDigest(
      input(
        [moor, quiet],
        [
          event('gap', null, gap('G-12', 'open')),
          event('gap', null, gap('G-13', 'open', { classification: 'OFFICIAL-SENSITIVE' })),
          event('action', act('PREV-3', 'planned'), act('PREV-3', 'in_progress')),
          // Outside the week, or another partnership's district: not in this digest.
          event('action', act('PROT-1', 'in_progress'), act('PROT-1', 'done'), '2026-03-23T07:59:59.000Z'),
          event('gap', null, { ...gap('G-99', 'open'), districtId: 'elsewhere' }),
        ],
      ),
    );
    expect(view.banner.text).toBe('OFFICIAL');
    expect(view.sections).toEqual([
      {
        title: 'Bradford Moor',
        lines: [
          { label: 'Gaps opened', text: 'G-12 · 1 OFFICIAL-SENSITIVE item (counted, not shown)' },
          { label: 'Actions started', text: 'PREV-3' },
          {
            label: 'Overdue actions',
            text: 'PREV-3 (Bradford Council, due 20 Mar 2026) · 1 OFFICIAL-SENSITIVE item (counted, not shown)',
          },
          { label: 'Unowned gaps', text: 'G-12 · 1 OFFICIAL-SENSITIVE item (counted, not shown)' },
          { label: 'Review', text: '12-month refresh OVERDUE 1 Mar 2026 · 6-month severity review due 15 Apr 2026' },
        ],
      },
    ]);
    expect(view.totals).toEqual([
      { title: 'Changes this week', value: '3' },
      { title: 'Overdue actions', value: '2' },
      { title: 'Unowned gaps', value: '2' },
      { title: 'Profiles due for review', value: '1' },
    ]);
    expect(view.quiet).toBe('1 district with nothing to report.');
    expect(view.withheld).toMatch(/^3 OFFICIAL-SENSITIVE items counted above but not shown/);
    expect(JSON.stringify(view)).not.toContain('G-13');
    expect(JSON.stringify(view)).not.toContain('PURS-7');
    expect(view.risers).toEqual(['Bradford Moor: up 7 places to 2nd of 30 (was 9th)']);
  });

  it('lists the risers by how far they rose, and never a sensitive profile', () => {
    const d = (id: string, rank: number, was: number, classification = 'OFFICIAL'): DigestDistrict => ({
      id,
      label: id,
      profile: profile(
        {},
        { score: 1, period: { from: '2025-10', to: '2025-12' }, rank, outOf: 30, rankAtLastReview: was, method: 'm' },
        classification,
      ),
      gaps: [],
      actions: [],
    });
    const view = composeDigest(
      input([d('a', 5, 6), d('b', 3, 10), d('c', 8, 8), d('d', 20, 12), d('e', 1, 29, 'OFFICIAL-SENSITIVE')]),
    );
    expect(view.risers).toEqual(['b: up 7 places to 3rd of 30 (was 10th)', 'a: up 1 place to 5th of 30 (was 6th)']);
  });

  it('shows at most `limit` districts and says how many more have items', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ ...moor, id: `d-${i}`, label: `District ${i}` }));
    const view = composeDigest(input([...many, quiet], [], 5));
    expect(view.sections.map((s) => s.title)).toEqual([
      'District 0',
      'District 1',
      'District 2',
      'District 3',
      'District 4',
    ]);
    expect(view.more).toBe('And 7 more districts with items: ask summary <district> for each.');
    expect(view.totals[1]).toEqual({ title: 'Overdue actions', value: '24' });
  });

  it('cuts a long list of references with "and N more"', () => {
    const gaps = Array.from({ length: 10 }, (_, i) => ({
      ref: `G-${i + 1}`,
      status: 'open' as const,
      classification: 'OFFICIAL' as const,
    }));
    const view = composeDigest(input([{ ...quiet, gaps }]));
    expect(view.sections[0]!.lines).toEqual([
      { label: 'Unowned gaps', text: 'G-1, G-2, G-3, G-4, G-5, G-6 · and 4 more' },
    ]);
  });
});
