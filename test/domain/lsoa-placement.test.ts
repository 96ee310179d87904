import { describe, expect, it } from 'vitest';
import { exampleDistrictNames, withOwnDistricts } from '../../src/domain/example-districts.js';
import { authorityOfLsoaName, placeLsoa } from '../../src/domain/lsoa-placement.js';

describe('placing a crime’s LSOA when crime and lookup may be of different vintages', () => {
  const ctx = {
    wardOf: new Map([
      ['E01035001', 'A'],
      ['E01035002', 'B'],
      ['E01035003', 'B'],
    ]),
    inLookup: (l: string) => ['E01035001', 'E01035002', 'E01035003', 'E01018537'].includes(l),
    counterparts: new Map([
      ['E01007285', ['E01035001']],
      ['E01007299', ['E01035002', 'E01035003']],
      ['E01007301', ['E01035001', 'E01035002']],
      ['E01099999', ['E01018537']],
    ]),
    authorityNames: ['Wirral'],
  };

  it('places by the lookup, then through the change lookup when every counterpart is in one ward', () => {
    expect(placeLsoa('E01035001', 'Wirral 033F', ctx)).toEqual({ kind: 'ward', ward: 'A' });
    expect(placeLsoa('E01007285', 'Wirral 033C', ctx)).toEqual({ kind: 'moved', ward: 'A' });
    expect(placeLsoa('E01007299', 'Wirral 035E', ctx)).toEqual({ kind: 'moved', ward: 'B' });
  });

  it('reports a split across wards, and an LSOA of the partnership’s authority that no lookup has', () => {
    expect(placeLsoa('E01007301', 'Wirral 034E', ctx)).toEqual({ kind: 'split' });
    expect(placeLsoa('E01007777', 'Wirral 040A', ctx)).toEqual({ kind: 'unknown' });
    expect(placeLsoa('E01007777', '', ctx)).toEqual({ kind: 'unknown' });
  });

  it('puts an LSOA of another authority outside the partnership, by the lookup or by its name', () => {
    expect(placeLsoa('E01018537', 'Cheshire West and Chester 001D', ctx)).toEqual({ kind: 'outside' });
    expect(placeLsoa('E01099999', 'Cheshire West and Chester 001E', ctx)).toEqual({ kind: 'outside' });
    expect(placeLsoa('E01012393', 'Halton 001B', ctx)).toEqual({ kind: 'outside' });
    expect(authorityOfLsoaName('Cheshire West and Chester 001D')).toBe('cheshire west and chester');
  });
});

describe('examples with the partnership’s own districts', () => {
  it('swaps the demo’s names for two of the partnership’s, the shortest without a comma', () => {
    const names = exampleDistrictNames(['Greasby, Frankby and Irby', 'Upton', 'Kestrel Vale', 'Hoylake']);
    expect(names).toEqual(['Upton', 'Hoylake']);
    expect(withOwnDistricts('subscribe Everton, Anfield', names)).toBe('subscribe Upton, Hoylake');
    expect(withOwnDistricts('new action Everton prevent: …', ['Kestrel Vale'])).toBe(
      'new action Kestrel Vale prevent: …',
    );
    expect(withOwnDistricts('summary Everton', [])).toBe('summary <district>');
  });
});
