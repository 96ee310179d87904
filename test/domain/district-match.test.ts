import { describe, expect, it } from 'vitest';
import { buildNameIndex, matchDistrict, normalizeName } from '../../src/domain/district-match.js';

const index = buildNameIndex([
  { id: 'E1', name: 'Everton', localAuthorityName: 'Liverpool' },
  { id: 'E2', name: 'Church', localAuthorityName: 'Liverpool' },
  { id: 'E3', name: 'Church', localAuthorityName: 'Sefton' },
  { id: 'E4', name: "St Michael's", localAuthorityName: 'Liverpool' },
  { id: 'E5', name: 'St Michaels', localAuthorityName: 'Knowsley' },
  { id: 'E6', name: 'Halewood North', localAuthorityName: 'Knowsley' },
  { id: 'E7', name: 'Halewood South', localAuthorityName: 'Knowsley' },
  { id: 'E8', name: 'Kensington and Fairfield', localAuthorityName: 'Liverpool' },
  { id: 'E9', name: 'Speke-Garston', localAuthorityName: 'Liverpool' },
  { id: 'E10', name: 'Town Centre', localAuthorityName: 'St. Helens' },
  { id: 'E11', name: 'Meols', localAuthorityName: 'Sefton' },
  { id: 'E12', name: 'Hoylake and Meols', localAuthorityName: 'Wirral' },
  { id: 'E13', name: 'Kirkdale', localAuthorityName: 'Liverpool' },
]);

const ids = (q: string) => {
  const m = matchDistrict(index, q);
  switch (m.kind) {
    case 'exact':
    case 'corrected':
      return { kind: m.kind, ids: [m.district.id] };
    case 'ambiguous':
      return { kind: m.kind, ids: m.candidates.map((c) => c.id) };
    case 'unknown':
      return { kind: m.kind, ids: m.suggestions.map((c) => c.id) };
  }
};

describe('normalizeName', () => {
  it('folds case, punctuation, accents, "&" and "saint"', () => {
    expect(normalizeName("  ST. MICHAEL'S ")).toBe('st michaels');
    expect(normalizeName('Saint Michaels')).toBe('st michaels');
    expect(normalizeName('Speke-Garston')).toBe('speke garston');
    expect(normalizeName('Kensington & Fairfield')).toBe('kensington and fairfield');
    expect(normalizeName('Crosby Café')).toBe('crosby cafe');
  });
});

describe('matchDistrict', () => {
  it('finds a name however it is cased or punctuated', () => {
    expect(ids('EVERTON')).toEqual({ kind: 'exact', ids: ['E1'] });
    expect(ids('speke garston')).toEqual({ kind: 'exact', ids: ['E9'] });
    expect(ids('Kensington & Fairfield')).toEqual({ kind: 'exact', ids: ['E8'] });
  });

  it('corrects small typos, and says it did', () => {
    expect(ids('evrton')).toEqual({ kind: 'corrected', ids: ['E1'] });
    expect(ids('kirkdal')).toEqual({ kind: 'corrected', ids: ['E13'] });
    expect(ids('kensingtn and fairfeld')).toEqual({ kind: 'corrected', ids: ['E8'] });
  });

  it('does not "correct" a short word into a different district', () => {
    expect(ids('kew').kind).toBe('unknown');
  });

  it('asks which one when names are shared, or differ only by punctuation', () => {
    expect(ids('church')).toEqual({ kind: 'ambiguous', ids: ['E2', 'E3'] });
    expect(ids('st michaels')).toEqual({ kind: 'ambiguous', ids: ['E4', 'E5'] });
  });

  it('settles a shared name with its authority, however it is written', () => {
    expect(ids('Church (Sefton)')).toEqual({ kind: 'exact', ids: ['E3'] });
    expect(ids('church, liverpool')).toEqual({ kind: 'exact', ids: ['E2'] });
    expect(ids('church sefton')).toEqual({ kind: 'exact', ids: ['E3'] });
    expect(ids("St Michael's (Knowsley)")).toEqual({ kind: 'exact', ids: ['E5'] });
  });

  it('offers every district that begins with what was typed', () => {
    expect(ids('halewood')).toEqual({ kind: 'ambiguous', ids: ['E6', 'E7'] });
  });

  it('takes a whole word of a longer name when only one has it', () => {
    expect(ids('fairfield')).toEqual({ kind: 'corrected', ids: ['E8'] });
  });

  it('prefers the exact name over a longer one that contains it', () => {
    expect(ids('meols')).toEqual({ kind: 'exact', ids: ['E11'] });
  });

  it('offers the closest names for something it cannot place', () => {
    const m = ids('liverpool city centre');
    expect(m.kind).toBe('unknown');
    expect(m.ids.length).toBeGreaterThan(0);
    expect(m.ids.length).toBeLessThanOrEqual(6);
    expect(ids('town centr')).toEqual({ kind: 'corrected', ids: ['E10'] });
  });
});
