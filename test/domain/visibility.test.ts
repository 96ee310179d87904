import { describe, expect, it } from 'vitest';
import { can, rolesGranting } from '../../src/domain/permissions.js';
import { maySee, splitVisible } from '../../src/domain/visibility.js';

describe('who may see OFFICIAL-SENSITIVE', () => {
  const items = [
    { ref: 'G-1', classification: 'OFFICIAL' as const },
    { ref: 'G-2', classification: 'OFFICIAL-SENSITIVE' as const },
  ];

  it('a cleared member in a 1:1 chat sees everything', () => {
    const v = { clearance: 'OFFICIAL-SENSITIVE' as const, conversation: 'personal' as const };
    expect(splitVisible(v, items)).toEqual({ shown: items, withheld: 0 });
  });

  it('nobody sees it in a channel or group chat, cleared or not', () => {
    for (const conversation of ['channel', 'groupChat'] as const) {
      expect(maySee({ clearance: 'OFFICIAL-SENSITIVE', conversation }, 'OFFICIAL-SENSITIVE')).toBe(false);
      expect(splitVisible({ clearance: 'OFFICIAL-SENSITIVE', conversation }, items)).toEqual({
        shown: [items[0]],
        withheld: 1,
      });
    }
  });

  it('an uncleared member does not see it even in a 1:1 chat', () => {
    expect(maySee({ clearance: 'OFFICIAL', conversation: 'personal' }, 'OFFICIAL-SENSITIVE')).toBe(false);
    expect(maySee({ clearance: 'OFFICIAL', conversation: 'personal' }, 'OFFICIAL')).toBe(true);
  });
});

describe('roles', () => {
  it('let only coordinators record a review', () => {
    expect(rolesGranting('profile.review')).toEqual(['coordinator']);
    expect(can({ roles: ['officer', 'board'], active: true }, 'profile.review')).toBe(false);
    expect(can({ roles: ['coordinator'], active: true }, 'profile.review')).toBe(true);
  });

  it('let every role read the picture', () => {
    for (const role of ['admin', 'coordinator', 'partner', 'officer', 'board'] as const) {
      expect(can({ roles: [role], active: true }, 'profile.read')).toBe(true);
    }
  });

  it('give a deactivated member nothing', () => {
    expect(can({ roles: ['coordinator'], active: false }, 'profile.read')).toBe(false);
  });
});
