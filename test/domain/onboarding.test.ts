import { describe, expect, it } from 'vitest';
import {
  agencySlug,
  clearanceNamed,
  parseAddAgency,
  parseAddMember,
  sectorNamed,
} from '../../src/domain/onboarding.js';

describe('onboarding words', () => {
  it('reads the agency up to the last " as ", the role, and an optional clearance', () => {
    expect(parseAddMember(' to Heldshire Council as partner')).toEqual({
      ok: true,
      value: { agency: 'Heldshire Council', role: 'partner' },
    });
    expect(parseAddMember(' to Stay Safe as One Trust as an officer cleared for official sensitive')).toEqual({
      ok: true,
      value: { agency: 'Stay Safe as One Trust', role: 'officer', clearance: 'OFFICIAL-SENSITIVE' },
    });
    expect(parseAddMember(' Heldshire Council as partner')).toEqual({ ok: false, problem: 'to' });
    expect(parseAddMember(' to Heldshire Council')).toEqual({ ok: false, problem: 'as' });
    expect(parseAddMember(' to Heldshire Council as wizard')).toEqual({ ok: false, problem: 'role' });
    expect(parseAddMember(' to X as officer cleared for SECRET')).toEqual({ ok: false, problem: 'clearance' });
  });

  it('takes a sector by id or label, derives a slug, and holds names to 2–120 characters', () => {
    expect(['fire', 'Fire and rescue', 'FIRE AND RESCUE', 'fire'].map(sectorNamed)).toEqual([
      'fire',
      'fire',
      'fire',
      'fire',
    ]);
    expect(sectorNamed('local authority')).toBe('local-authority');
    expect(sectorNamed('Voluntary sector')).toBe('voluntary');
    expect(sectorNamed('council')).toBeUndefined();
    expect(agencySlug("  St Helen's Council — Youth & Family  ")).toBe('st-helen-s-council-youth-family');
    expect(agencySlug('x'.repeat(200))).toHaveLength(64);
    expect(parseAddAgency('Heldshire Fire and Rescue (Fire and rescue)')).toEqual({
      ok: true,
      value: { name: 'Heldshire Fire and Rescue', sector: 'fire' },
    });
    expect(parseAddAgency('H (fire)')).toEqual({ ok: false, problem: 'name-length' });
    expect(parseAddAgency(`${'H'.repeat(121)} (fire)`)).toEqual({ ok: false, problem: 'name-length' });
    expect(clearanceNamed('OS')).toBe('OFFICIAL-SENSITIVE');
  });
});
