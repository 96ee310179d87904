import { describe, expect, it } from 'vitest';
import { ActionDraft } from '../../src/domain/action.js';
import { GapDraft } from '../../src/domain/gap.js';
import { Member } from '../../src/domain/member.js';
import { Agency, Partnership } from '../../src/domain/partnership.js';
import { personalIdentifierIn } from '../../src/domain/personal-data.js';
import { OcgRef, Profile, Recommendation } from '../../src/domain/profile.js';

const AT = '2026-01-01T00:00:00Z';
const gap = {
  partnershipId: 'p',
  districtId: 'd',
  question: 'Which premises are used to launder cash?',
  status: 'open',
  createdBy: 'system:test',
  createdAt: AT,
  updatedAt: AT,
};
const action = {
  partnershipId: 'p',
  districtId: 'd',
  strand: 'prevent',
  title: 'Deliver county lines awareness sessions in two schools',
  leadAgencyId: 'council',
  status: 'planned',
  impactMeasure: 'Referrals to the youth service',
  createdBy: 'system:test',
  createdAt: AT,
  updatedAt: AT,
};
const profile = {
  partnershipId: 'p',
  districtId: 'd',
  threat: { ocgs: [{ ref: 'OCG-14', morileScore: 320 }] },
  review: { lastRefreshedAt: AT, nextRefreshDue: '2027-01-01', csiReviewDue: '2026-07-01' },
};
const member = {
  aadObjectId: 'aaaaaaaa-1111-2222-3333-444444444444',
  partnershipId: 'p',
  agencyId: 'police',
  displayName: 'Sam Patel',
  roles: ['officer'],
  createdAt: AT,
  updatedAt: AT,
};

const refusedFields = (r: { success: boolean; error?: { issues: { code: string; keys?: string[] }[] } }) =>
  r.success ? [] : r.error!.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys! : []));

describe('no named individuals are stored', () => {
  it('the records accept their own fields', () => {
    expect(GapDraft.safeParse(gap).success).toBe(true);
    expect(ActionDraft.safeParse(action).success).toBe(true);
    expect(Profile.safeParse(profile).success).toBe(true);
    expect(Member.safeParse(member).success).toBe(true);
  });

  it.each(['name', 'nominal', 'suspect', 'victim', 'suspectName', 'dateOfBirth'])(
    'refuses a "%s" field on a gap, an action, an OCG, a profile and its threat, and a member',
    (field) => {
      const person = 'John Smith';
      expect(refusedFields(GapDraft.safeParse({ ...gap, [field]: person }))).toEqual([field]);
      expect(refusedFields(ActionDraft.safeParse({ ...action, [field]: person }))).toEqual([field]);
      expect(refusedFields(OcgRef.safeParse({ ref: 'OCG-14', morileScore: 320, [field]: person }))).toEqual([field]);
      expect(refusedFields(Profile.safeParse({ ...profile, [field]: person }))).toEqual([field]);
      expect(refusedFields(Profile.safeParse({ ...profile, threat: { ...profile.threat, [field]: person } }))).toEqual([
        field,
      ]);
      expect(refusedFields(Member.safeParse({ ...member, [field]: person }))).toEqual([field]);
      // An agency's and a partnership's own name is the organisation's, so only the others apply there.
      if (field === 'name') return;
      expect(
        refusedFields(Agency.safeParse({ id: 'a', partnershipId: 'p', name: 'A', sector: 'police', [field]: person })),
      ).toEqual([field]);
      expect(
        refusedFields(Partnership.safeParse({ id: 'p', name: 'P', force: 'F', createdAt: AT, [field]: person })),
      ).toEqual([field]);
    },
  );

  it('an OCG is a reference with a MoRILE score, not a name', () => {
    expect(OcgRef.safeParse({ ref: 'The Smith family', morileScore: 10 }).success).toBe(false);
  });

  it.each([
    ['a date of birth', 'Linked to male, DOB 01/02/1990, seen at the address'],
    ['a date of birth', 'Subject born 1990 lives nearby'],
    ['a National Insurance number', 'Check employment for AB 12 34 56 C'],
    ['a PNC id', 'Cross-check PNC 19/123456X'],
    ['an email address', 'Contact j.smith@example.com about the premises'],
    ['a phone number', 'Burner phone 07700 900123 used for deals'],
    ['a person labelled by name', "Suspect's name to be confirmed by CID"],
    ['a person labelled by name', 'Named: J Bloggs'],
  ])('refuses free text about the work that carries %s', (what, text) => {
    expect(personalIdentifierIn(text)).toBe(what);
    const r = GapDraft.safeParse({ ...gap, question: text });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/^must not identify a person/);
    expect(ActionDraft.safeParse({ ...action, lastUpdate: text }).success).toBe(false);
    expect(Recommendation.safeParse({ text }).success).toBe(false);
  });

  it.each([
    ['a postcode', 'Premises at 14 Breck Road L5 6PX'],
    ['a postcode', 'seen around l5 6px and EC1A 1BB'],
    ['a vehicle registration', 'drives AB12 CDE'],
    ['a vehicle registration', 'an older car, A123 BCD'],
    ['a vehicle registration', 'and a van, ABC 123D'],
    ['a phone number', 'Burner 07700-900-123'],
    ['a phone number', 'rings +44 (0)7700 900123 at night'],
    ['a phone number', 'or +447700900123'],
    ['a phone number', 'landline 0151 123 4567'],
    ['a phone number', 'landline (0151) 123 4567'],
    ['a phone number', 'landline 020 7946 0018'],
    ['a National Insurance number', 'NI QQ-12-34-56-C'],
    ['a National Insurance number', 'NI QQ 12 34 56 C'],
    ['an email address', 'writes from john(at)example.com'],
    ['an email address', 'writes from john [at] example [dot] com'],
    ['an email address', 'writes from john at example dot com'],
    ['a person labelled by name', 'Suspect John Smith runs the car wash'],
    ['a person labelled by name', 'the nominal Jones is linked'],
    ['a person labelled by name', 'Nominal: Smith'],
  ])('refuses %s in its common written forms (issue 13): %s', (what, text) => {
    expect(personalIdentifierIn(text)).toBe(what);
    expect(GapDraft.safeParse({ ...gap, question: text }).success).toBe(false);
  });

  it('refuses the whole example from issue 13', () => {
    expect(personalIdentifierIn('Suspect John Smith, 14 Breck Road L5 6PX, drives AB12 CDE')).toBeDefined();
  });

  it('accepts the product’s own references, ward names, dates and scores (issue 13)', () => {
    for (const text of [
      'G-12 led to PREV-3, PURS-7 and PROT-5; OCG-14 (MoRILE 84) and OCG-3',
      'Everton, Kirkdale, Bradford Moor, County and Anfield wards; E05000896 and LSOA E01006512',
      'Due 2027-01-31, reviewed 2026-03-31 and in Q3 2026/27, H1 2026',
      'FY24 and FY25 spend near the M62; OCG-14 works the A580 East Lancs Road and the A59 NHS clinic',
      'SOC 4P plan review; KS2 2nd year pupils; Refer to Victim Support Merseyside',
      'suspect County Lines activity near the school; nominal OCG-14 links; Suspected exploitation in Everton',
      'the 0151 area; 2,000 people in 12 wards; call 999 or 101',
    ]) {
      expect(personalIdentifierIn(text), text).toBeUndefined();
    }
  });

  it('accepts the ordinary language of a profile', () => {
    for (const text of [
      'Which premises are used to launder cash in 2019/20?',
      'Drug supply linked to OCG-14 (MoRILE 320) around the station',
      'Victims of exploitation referred through the NRM: 12 in Q3',
      'Deliver 4 sessions by 2026-03-31; 07:00 patrols at the retail park',
    ]) {
      expect(personalIdentifierIn(text)).toBeUndefined();
    }
  });
});
