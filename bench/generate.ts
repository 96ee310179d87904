import type { ActionStatus, FourPAction } from '../src/domain/action.js';
import type { Classification } from '../src/domain/classification.js';
import {
  POLICE_UK_CRIME_TYPES,
  SEVERITY_METHOD,
  rankBySeverity,
  severityScore,
  type CategoryWeights,
  type PoliceUkCrimeType,
} from '../src/domain/crime-severity.js';
import { addMonths, toIsoDate } from '../src/domain/dates.js';
import type { District } from '../src/domain/district.js';
import type { GapStatus, IntelligenceGap } from '../src/domain/gap.js';
import type { Member } from '../src/domain/member.js';
import type { Agency, Partnership, Sector } from '../src/domain/partnership.js';
import type { CrimePeriod, DataSource, Indicator, OcgRef, Profile, Recommendation } from '../src/domain/profile.js';
import { formatRef } from '../src/domain/refs.js';
import { seededRandom, type SeededRandom } from '../src/domain/seeded-random.js';
import { STRAND_PREFIX, STRANDS, type Strand } from '../src/domain/strand.js';
import type { BulkLoad } from '../src/store/store.js';

/**
 * A made-up partnership the size of a large force area: `districts` wards across forty
 * authorities, each with a full profile (crime by the 14 police.uk types for two quarters, a
 * severity score and rank, deprivation and other vulnerability indicators with their sources,
 * OCG references) and about `itemsPerDistrict` gaps and 4P actions. Every ward's content comes
 * from a PRNG keyed on the seed and the ward's id, so a run is the same on every machine.
 * Nothing names a person; OCGs are references with MoRILE scores, as the product requires.
 */

export const BENCH_PARTNERSHIP_ID = 'bench-partnership';
export const BENCH_TENANT_ID = '11111111-2222-3333-4444-555555555555';
/** The coordinator who sends every message: cleared for OFFICIAL-SENSITIVE, so nothing is withheld. */
export const SENDER = { aadObjectId: 'b0b0b0b0-0000-4000-8000-000000000001', name: 'Bench Coordinator' };

export interface GeneratedPartnership {
  partnership: Partnership;
  agencies: Agency[];
  members: Member[];
  load: BulkLoad;
}

export interface Counts {
  districts: number;
  profiles: number;
  gaps: number;
  actions: number;
  sensitiveItems: number;
  overdueItems: number;
  ocgs: number;
  members: number;
  agencies: number;
}

// Two-word ward names, "<place> <feature>": 125 x 100 distinct pairs, no word used twice in a name.
const PLACES = [
  'Abbey',
  'Acton',
  'Ainsdale',
  'Allerton',
  'Alder',
  'Appleton',
  'Arden',
  'Ashby',
  'Ashton',
  'Aston',
  'Avon',
  'Bankside',
  'Barnwell',
  'Beacon',
  'Bedford',
  'Beech',
  'Belgrave',
  'Belle',
  'Birch',
  'Blackburn',
  'Bramley',
  'Brent',
  'Bridgefoot',
  'Broad',
  'Brook',
  'Burley',
  'Byron',
  'Calder',
  'Canal',
  'Carlton',
  'Castle',
  'Cedar',
  'Chapel',
  'Charnwood',
  'Chester',
  'Church',
  'Clayton',
  'Cliff',
  'Colne',
  'Coombe',
  'Cotton',
  'Cranbrook',
  'Cressington',
  'Crosby',
  'Dale',
  'Darley',
  'Deane',
  'Denton',
  'Derwent',
  'Dove',
  'Eden',
  'Elm',
  'Eltham',
  'Elton',
  'Fairfield',
  'Farnley',
  'Fern',
  'Ferry',
  'Fleet',
  'Forest',
  'Fulwood',
  'Garston',
  'Gorse',
  'Grange',
  'Granby',
  'Harbour',
  'Harewood',
  'Hatfield',
  'Hawthorn',
  'Hazel',
  'Heath',
  'Highfield',
  'Hollin',
  'Holme',
  'Horton',
  'Hyde',
  'Kings',
  'Kirk',
  'Langley',
  'Lark',
  'Lea',
  'Linden',
  'Long',
  'Lyme',
  'Manor',
  'Maple',
  'Marsh',
  'Meadow',
  'Mill',
  'Moor',
  'Moss',
  'Netherton',
  'Newton',
  'Norbury',
  'Oak',
  'Orchard',
  'Otley',
  'Oulton',
  'Pendle',
  'Pine',
  'Priory',
  'Queens',
  'Radcliffe',
  'Raven',
  'Ribble',
  'River',
  'Rose',
  'Rowan',
  'Rydal',
  'Sandy',
  'Shaw',
  'Sherwood',
  'Spring',
  'Stanley',
  'Stone',
  'Swan',
  'Thornton',
  'Tower',
  'Trent',
  'Walton',
  'Water',
  'Wensley',
  'Westbury',
  'Willow',
  'Windmill',
] as const;

const FEATURES = [
  'Park',
  'Green',
  'Vale',
  'Hill',
  'Heights',
  'Common',
  'Cross',
  'Bridge',
  'Gate',
  'End',
  'Side',
  'Fields',
  'Lane',
  'Road',
  'Row',
  'Square',
  'Court',
  'Grove',
  'Mount',
  'Rise',
  'Wood',
  'Brook',
  'Bank',
  'Moor',
  'Marsh',
  'Meadows',
  'Valley',
  'Edge',
  'Top',
  'Bottom',
  'Village',
  'Town',
  'Central',
  'North',
  'South',
  'East',
  'West',
  'Upper',
  'Lower',
  'Estate',
  'Quarter',
  'Wharf',
  'Quay',
  'Docks',
  'Street',
  'Hall',
  'Farm',
  'Mills',
  'Hollow',
  'Dene',
  'Leys',
  'Croft',
  'Fold',
  'Garth',
  'Heath',
  'Howe',
  'Knoll',
  'Lea',
  'Mead',
  'Nook',
  'Pike',
  'Scar',
  'Shaw',
  'Thorpe',
  'Walk',
  'Way',
  'Yard',
  'Chase',
  'Close',
  'Crescent',
  'Drive',
  'Gardens',
  'Terrace',
  'Place',
  'Parade',
  'Promenade',
  'Riverside',
  'Waterside',
  'Links',
  'Downs',
  'Fell',
  'Hurst',
  'Ings',
  'Carr',
  'Holme',
  'Sands',
  'Shore',
  'Cliffs',
  'Point',
  'Spinney',
  'Copse',
  'Woods',
  'Orchard',
  'Priory',
  'Abbey',
  'Manor',
  'Grange',
  'Wells',
  'Springs',
  'Lanes',
] as const;

const AUTHORITIES = [
  'Bradford',
  'Leeds',
  'Kirklees',
  'Calderdale',
  'Wakefield',
  'Sheffield',
  'Rotherham',
  'Barnsley',
  'Doncaster',
  'Manchester',
  'Salford',
  'Bolton',
  'Wigan',
  'Oldham',
  'Rochdale',
  'Stockport',
  'Tameside',
  'Trafford',
  'Bury',
  'Liverpool',
  'Sefton',
  'Wirral',
  'Knowsley',
  'St Helens',
  'Newcastle upon Tyne',
  'Gateshead',
  'Sunderland',
  'Birmingham',
  'Coventry',
  'Dudley',
  'Sandwell',
  'Solihull',
  'Walsall',
  'Wolverhampton',
  'Nottingham',
  'Derby',
  'Leicester',
  'Bristol',
  'Plymouth',
  'Kingston upon Hull',
] as const;

/** The most districts the name lists can name uniquely. */
export const MAX_DISTRICTS =
  PLACES.length * FEATURES.length - PLACES.filter((p) => (FEATURES as readonly string[]).includes(p)).length;

const AGENCIES: readonly { id: string; name: string; sector: Sector }[] = [
  { id: 'bench-police', name: 'Northshire Police', sector: 'police' },
  { id: 'bench-council-north', name: 'Northshire County Council', sector: 'local-authority' },
  { id: 'bench-council-city', name: 'Northshire City Council', sector: 'local-authority' },
  { id: 'bench-health', name: 'NHS Northshire Integrated Care Board', sector: 'health' },
  { id: 'bench-education', name: 'Northshire Schools Partnership', sector: 'education' },
  { id: 'bench-probation', name: 'Probation Service (Northshire)', sector: 'probation' },
  { id: 'bench-prisons', name: 'HM Prison and Probation Service', sector: 'prisons' },
  { id: 'bench-immigration', name: 'Immigration Enforcement', sector: 'immigration' },
  { id: 'bench-fire', name: 'Northshire Fire and Rescue Service', sector: 'fire' },
  { id: 'bench-vrp', name: 'Northshire Violence Reduction Unit', sector: 'other' },
  { id: 'bench-voluntary', name: 'Northshire Youth Trust (fictional)', sector: 'voluntary' },
  { id: 'bench-housing', name: 'Northshire Homes', sector: 'private' },
];

/**
 * Per-type weights shaped like the medians of ONS severity weights by police.uk category
 * (src/domain/crime-severity.ts explains the median); rounded, for made-up data only.
 */
const WEIGHTS: Record<PoliceUkCrimeType, number> = {
  'Anti-social behaviour': 0,
  'Bicycle theft': 37,
  Burglary: 370,
  'Criminal damage and arson': 110,
  Drugs: 140,
  'Other crime': 190,
  'Other theft': 60,
  'Possession of weapons': 230,
  'Public order': 50,
  Robbery: 780,
  Shoplifting: 25,
  'Theft from the person': 120,
  'Vehicle crime': 75,
  'Violence and sexual offences': 270,
};
const CATEGORY_WEIGHTS = Object.fromEntries(
  POLICE_UK_CRIME_TYPES.map((t) => [t, { weight: WEIGHTS[t], offences: 1, min: WEIGHTS[t], max: WEIGHTS[t] }]),
) as unknown as CategoryWeights;

/** Recorded crimes a quarter per 1,000 residents, a typical urban ward. */
const RATE_PER_1000: Record<PoliceUkCrimeType, number> = {
  'Anti-social behaviour': 9,
  'Bicycle theft': 0.6,
  Burglary: 1.6,
  'Criminal damage and arson': 2.4,
  Drugs: 0.9,
  'Other crime': 0.5,
  'Other theft': 2.2,
  'Possession of weapons': 0.25,
  'Public order': 2.2,
  Robbery: 0.35,
  Shoplifting: 1.8,
  'Theft from the person': 0.4,
  'Vehicle crime': 1.7,
  'Violence and sexual offences': 8.5,
};

const PERIODS = {
  latest: { from: '2026-07', to: '2026-09' },
  previous: { from: '2026-04', to: '2026-06' },
} as const;

const OGL = 'Open Government Licence v3.0';
const DATA_SOURCES: readonly DataSource[] = [
  {
    id: 'policeuk-street-crime',
    name: 'police.uk street-level crime',
    publisher: 'police.uk (Home Office)',
    licence: OGL,
    url: 'https://data.police.uk/data/archive/',
    asOf: `${PERIODS.previous.from}/${PERIODS.latest.to}`,
    retrievedAt: '2026-10-28',
  },
  {
    id: 'iod2019-imd',
    name: 'English Indices of Deprivation 2019, File 1',
    publisher: 'Ministry of Housing, Communities and Local Government',
    licence: OGL,
    url: 'https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019',
    asOf: '2019',
  },
  {
    id: 'ons-mid-year-population',
    name: 'Ward-level population estimates',
    publisher: 'Office for National Statistics',
    licence: OGL,
    asOf: 'mid-2022',
  },
  {
    id: 'desnz-fuel-poverty',
    name: 'Sub-regional fuel poverty statistics',
    publisher: 'Department for Energy Security and Net Zero',
    licence: OGL,
    asOf: '2023',
  },
  {
    id: 'dwp-claimant-count',
    name: 'Claimant count by ward (Nomis)',
    publisher: 'Office for National Statistics',
    licence: OGL,
    asOf: '2026-08',
  },
  {
    id: 'dfe-school-census',
    name: 'Schools, pupils and their characteristics',
    publisher: 'Department for Education',
    licence: OGL,
    asOf: '2025/26',
  },
];

const GAP_QUESTIONS: readonly { text: (ward: string) => string; owner: string; sensitive?: boolean }[] = [
  {
    text: (w) => `Which addresses in ${w} are used for drug supply, including cuckooed homes?`,
    owner: 'bench-police',
    sensitive: true,
  },
  {
    text: (w) =>
      `How many children from ${w} are missing from education or repeatedly missing from home? (numbers, not names)`,
    owner: 'bench-council-north',
  },
  {
    text: (w) => `What do A&E and ambulance records show about assault and knife injuries among residents of ${w}?`,
    owner: 'bench-health',
  },
  {
    text: (w) => `Which businesses in ${w} show signs of money laundering (cash-intensive, short-lived or unlicensed)?`,
    owner: 'bench-council-city',
  },
  {
    text: (w) => `Are there signs of labour exploitation in hand car washes, nail bars or HMOs in ${w}?`,
    owner: 'bench-immigration',
  },
  {
    text: (w) => `Which commercial premises in ${w} have fire-safety concerns that suggest OCG use?`,
    owner: 'bench-fire',
  },
  {
    text: (w) => `How many prison leavers returning to ${w} are assessed as at risk of returning to organised crime?`,
    owner: 'bench-probation',
    sensitive: true,
  },
  {
    text: (w) => `How confident are residents of ${w} to report organised crime, and which routes do they trust?`,
    owner: 'bench-voluntary',
  },
  {
    text: (w) => `How many pupils in ${w} do schools see as on the cusp of involvement in SOC? (numbers, not names)`,
    owner: 'bench-education',
  },
  {
    text: (w) => `Which social housing tenancies in ${w} show signs of exploitation or takeover?`,
    owner: 'bench-housing',
  },
  {
    text: (w) => `What contact do OCGs active in ${w} keep with serving prisoners?`,
    owner: 'bench-prisons',
    sensitive: true,
  },
  { text: (w) => `What is driving the change in violence recorded in ${w} this quarter?`, owner: 'bench-vrp' },
];

const ACTION_TITLES: Record<Strand, readonly { text: string; lead: string; measure: string; sensitive?: boolean }[]> = {
  prepare: [
    {
      text: 'Designing-out-crime review of hotspot public spaces (lighting, CCTV, alleyways)',
      lead: 'bench-council-north',
      measure: 'Crime and ASB at the reviewed locations at the next review',
    },
    {
      text: 'Community engagement sessions to gather local intelligence',
      lead: 'bench-police',
      measure: 'Intelligence submissions from the ward per quarter',
    },
    {
      text: 'SOC awareness training for frontline council, housing and health staff',
      lead: 'bench-vrp',
      measure: 'Staff trained; SOC referrals they make in six months',
    },
    {
      text: 'Information sharing agreement with schools and housing providers',
      lead: 'bench-council-city',
      measure: 'Agreement signed; data received for the next refresh',
    },
  ],
  pursue: [
    {
      text: 'Disrupt drug supply lines with partner powers (housing, licensing, trading standards)',
      lead: 'bench-police',
      measure: 'Disruptions recorded; change in MoRILE scores',
      sensitive: true,
    },
    {
      text: 'Financial investigation to identify assets for freezing or confiscation',
      lead: 'bench-police',
      measure: 'Assets restrained or confiscated',
      sensitive: true,
    },
    {
      text: 'Joint management, with prisons, of lifetime offenders linked to the ward',
      lead: 'bench-probation',
      measure: 'Offenders under joint management; breaches acted on',
    },
    {
      text: 'Warrants and overt patrols at locations linked to drug supply',
      lead: 'bench-police',
      measure: 'Warrants executed; drugs and weapons seized',
    },
  ],
  prevent: [
    {
      text: 'Diversionary sport and mentoring scheme for young people at risk of exploitation',
      lead: 'bench-voluntary',
      measure: 'Young people engaged; school attendance over two terms',
    },
    {
      text: 'Early intervention referral route from schools',
      lead: 'bench-education',
      measure: 'Referrals received and supported',
    },
    {
      text: 'Support for prison leavers to exit crime (housing, employment, mentoring)',
      lead: 'bench-probation',
      measure: 'Prison leavers supported; proven reoffending at 12 months',
    },
    {
      text: 'Communications campaign on how to report SOC',
      lead: 'bench-council-city',
      measure: 'Campaign reach; reports through the advertised routes',
    },
  ],
  protect: [
    {
      text: "Exploitation awareness for staff of children's homes and supported accommodation",
      lead: 'bench-council-north',
      measure: 'Homes briefed; exploitation referrals made',
    },
    {
      text: 'Closure notices on properties linked to cuckooing, with support for tenants',
      lead: 'bench-housing',
      measure: 'Notices served; tenants safeguarded',
    },
    {
      text: 'Fire safety checks of commercial premises of concern',
      lead: 'bench-fire',
      measure: 'Premises inspected; notices issued',
    },
    {
      text: 'Safeguarding pathway in A&E for young people with knife or assault injuries',
      lead: 'bench-health',
      measure: 'Young people referred from A&E to youth workers',
    },
  ],
};

const GAP_STATUSES: readonly { value: GapStatus; weight: number }[] = [
  { value: 'open', weight: 25 },
  { value: 'assigned', weight: 20 },
  { value: 'in_progress', weight: 25 },
  { value: 'filled', weight: 20 },
  { value: 'closed', weight: 10 },
];
const ACTION_STATUSES: readonly { value: ActionStatus; weight: number }[] = [
  { value: 'planned', weight: 30 },
  { value: 'in_progress', weight: 35 },
  { value: 'blocked', weight: 10 },
  { value: 'done', weight: 15 },
  { value: 'cancelled', weight: 10 },
];

const DAY = 86_400_000;

function weighted<T>(rng: SeededRandom, options: readonly { value: T; weight: number }[]): T {
  const total = options.reduce((s, o) => s + o.weight, 0);
  let x = rng.next() * total;
  for (const o of options) {
    x -= o.weight;
    if (x < 0) return o.value;
  }
  return options[options.length - 1]!.value;
}

/** Distinct "<place> <feature>" names in a seeded order. */
export function districtNames(count: number, seed: string): string[] {
  if (count > MAX_DISTRICTS) throw new RangeError(`at most ${MAX_DISTRICTS} districts can be named uniquely`);
  const all: string[] = [];
  for (const p of PLACES) for (const f of FEATURES) if (p !== f) all.push(`${p} ${f}`);
  const rng = seededRandom(`${seed}:names`);
  for (let i = all.length - 1; i > 0; i -= 1) {
    const j = rng.int(0, i);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, count);
}

function members(now: string): Member[] {
  const sender: Member = {
    aadObjectId: SENDER.aadObjectId,
    partnershipId: BENCH_PARTNERSHIP_ID,
    agencyId: 'bench-police',
    displayName: SENDER.name,
    roles: ['coordinator'],
    clearance: 'OFFICIAL-SENSITIVE',
    active: true,
    createdAt: now,
    updatedAt: now,
  };
  // One task owner per agency, so gaps and actions can name a person of the partnership's staff.
  const owners = AGENCIES.map((a, i): Member => ({
    aadObjectId: `b0b0b0b0-0000-4000-8000-${String(100 + i).padStart(12, '0')}`,
    partnershipId: BENCH_PARTNERSHIP_ID,
    agencyId: a.id,
    displayName: `${a.name.split(' ')[0]} Task Owner ${i + 1}`,
    roles: ['partner'],
    clearance: 'OFFICIAL',
    active: true,
    createdAt: now,
    updatedAt: now,
  }));
  return [sender, ...owners];
}

/** About `per` items for every district, exactly `per` on average: pairs of districts share 2 x per. */
function itemCounts(districts: number, per: number, seed: string): number[] {
  const rng = seededRandom(`${seed}:counts`);
  const out: number[] = [];
  for (let i = 0; i < districts; i += 2) {
    const spread = Math.min(per - 2, Math.round(per / 2));
    const delta = rng.int(-spread, spread);
    out.push(per + delta);
    if (i + 1 < districts) out.push(per - delta);
  }
  return out;
}

export function generatePartnership(input: { districts: number; itemsPerDistrict: number; seed: string; now: Date }): {
  generated: GeneratedPartnership;
  counts: Counts;
} {
  const { seed, now } = input;
  const at = now.toISOString();
  const names = districtNames(input.districts, seed);
  const partnership: Partnership = {
    id: BENCH_PARTNERSHIP_ID,
    name: 'Northshire SOC Partnership (benchmark)',
    force: 'Northshire Police',
    tenantIds: [BENCH_TENANT_ID],
    demo: false,
    createdAt: new Date(now.getTime() - 400 * DAY).toISOString(),
  };
  const agencies: Agency[] = AGENCIES.map((a) => ({ ...a, partnershipId: BENCH_PARTNERSHIP_ID }));
  const people = members(at);
  const ownerOf = new Map(people.slice(1).map((m) => [m.agencyId, m.aadObjectId]));
  const counts = itemCounts(input.districts, input.itemsPerDistrict, seed);

  // Districts and their crime first: ranks need every district's score.
  const districts: District[] = [];
  const crime = new Map<string, { latest: CrimePeriod; previous: CrimePeriod }>();
  const scores = {
    latest: [] as { districtId: string; score: number }[],
    previous: [] as { districtId: string; score: number }[],
  };
  names.forEach((name, i) => {
    const id = `E05${String(100_000 + i).padStart(6, '0')}`;
    const rng = seededRandom(`${seed}:${id}:district`);
    const authorityIndex = i % AUTHORITIES.length;
    const population = rng.int(4_500, 19_500);
    const lsoas = Array.from(
      { length: Math.max(3, Math.round(population / 1_600)) },
      (_, k) => `E01${String(100_000 + i * 16 + k).padStart(6, '0')}`,
    );
    districts.push({
      id,
      partnershipId: BENCH_PARTNERSHIP_ID,
      name,
      onsCodes: { ward: id, localAuthority: `E08${String(100_000 + authorityIndex).padStart(6, '0')}`, lsoas },
      localAuthorityName: AUTHORITIES[authorityIndex]!,
      population,
      populationSource: 'ONS mid-2022',
    });
    // How much harm the ward carries relative to a typical one: a long tail of high-harm wards.
    const harm = Math.exp((rng.next() - 0.5) * 1.6) * (rng.chance(0.05) ? 2.2 : 1);
    const period = (which: keyof typeof PERIODS, drift: number): CrimePeriod => ({
      period: { ...PERIODS[which] },
      counts: POLICE_UK_CRIME_TYPES.map((crimeType) => {
        const mean = (RATE_PER_1000[crimeType] * population * harm * drift) / 1_000;
        return { crimeType, count: Math.max(0, Math.round(mean * (0.7 + rng.next() * 0.6))) };
      }),
    });
    const latest = period('latest', 1);
    const previous = period('previous', 0.85 + rng.next() * 0.3);
    crime.set(id, { latest, previous });
    scores.latest.push({ districtId: id, score: severityScore(latest.counts, CATEGORY_WEIGHTS, population)! });
    scores.previous.push({ districtId: id, score: severityScore(previous.counts, CATEGORY_WEIGHTS, population)! });
  });
  const rankNow = new Map(rankBySeverity(scores.latest).map((r) => [r.districtId, r]));
  const rankBefore = new Map(rankBySeverity(scores.previous).map((r) => [r.districtId, r]));

  const profiles: Profile[] = [];
  const gaps: IntelligenceGap[] = [];
  const actions: FourPAction[] = [];
  const next = new Map<string, number>();
  const take = (prefix: string) => {
    const n = (next.get(prefix) ?? 0) + 1;
    next.set(prefix, n);
    return n;
  };
  let sensitiveItems = 0;
  let overdueItems = 0;
  let ocgCount = 0;
  const today = toIsoDate(now);

  districts.forEach((district, i) => {
    const rng = seededRandom(`${seed}:${district.id}:profile`);
    const { latest, previous } = crime.get(district.id)!;
    const current = rankNow.get(district.id)!;
    const before = rankBefore.get(district.id)!;
    const tier =
      current.rank <= input.districts * 0.05 ? 'high' : current.rank <= input.districts * 0.3 ? 'medium' : 'low';

    const ocgs: OcgRef[] = Array.from(
      { length: tier === 'high' ? rng.int(1, 4) : tier === 'medium' ? rng.int(0, 2) : rng.chance(0.2) ? 1 : 0 },
      () => {
        const morileScore = rng.int(tier === 'high' ? 380 : 120, tier === 'high' ? 950 : 700);
        ocgCount += 1;
        return {
          ref: `OCG-${take('OCG')}`,
          morileScore,
          band: morileScore >= 600 ? 'High' : morileScore >= 350 ? 'Medium' : 'Low',
          classification: rng.chance(0.25) ? 'OFFICIAL-SENSITIVE' : 'OFFICIAL',
        };
      },
    );

    const imdRank = rng.int(200, 32_700);
    const decile = Math.min(10, Math.floor(imdRank / 3_284.4) + 1);
    const pct = (lo: number, hi: number) => Math.round((lo + rng.next() * (hi - lo)) * 10) / 10;
    const indicator = (
      key: string,
      label: string,
      value: number,
      display: string,
      sourceId: string,
      asOf: string,
      classification: Classification = 'OFFICIAL',
    ): Indicator => ({
      key,
      label,
      value,
      display,
      sourceId,
      asOf,
      classification,
    });
    const mostDeprived = decile === 1 ? pct(40, 100) : decile <= 3 ? pct(0, 40) : 0;
    const children = pct(14, 26);
    const older = pct(12, 32);
    const fuel = pct(8, 24);
    const claimants = pct(1.5, 9);
    const fsm = pct(8, 48);
    const vulnerabilities: Indicator[] = [
      indicator(
        'imd-average-rank',
        'IMD 2019 average rank, population-weighted (1 = most deprived)',
        imdRank,
        `${imdRank.toLocaleString('en-GB')} of 32,844`,
        'iod2019-imd',
        '2019',
      ),
      indicator(
        'imd-average-rank-decile',
        'IMD 2019 decile of the average rank (1 = most deprived 10%)',
        decile,
        `decile ${decile} of 10`,
        'iod2019-imd',
        '2019',
      ),
      indicator(
        'imd-most-deprived-10pct-share',
        "Residents in England's 10% most deprived neighbourhoods (LSOAs)",
        mostDeprived,
        `${mostDeprived}%`,
        'iod2019-imd',
        '2019',
      ),
      indicator(
        'children-0-15-share',
        'Residents aged 0–15',
        children,
        `${children}%`,
        'ons-mid-year-population',
        'mid-2022',
      ),
      indicator(
        'aged-60-plus-share',
        'Residents aged 60 and over',
        older,
        `${older}%`,
        'ons-mid-year-population',
        'mid-2022',
      ),
      indicator(
        'fuel-poverty-share',
        'Households in fuel poverty (LILEE)',
        fuel,
        `${fuel}%`,
        'desnz-fuel-poverty',
        '2023',
      ),
      indicator(
        'claimant-rate',
        'Residents aged 16–64 claiming unemployment benefits',
        claimants,
        `${claimants}%`,
        'dwp-claimant-count',
        '2026-08',
      ),
      indicator(
        'free-school-meals-share',
        'Pupils eligible for free school meals',
        fsm,
        `${fsm}%`,
        'dfe-school-census',
        '2025/26',
        rng.chance(0.1) ? 'OFFICIAL-SENSITIVE' : 'OFFICIAL',
      ),
    ];

    const recommendations: Recommendation[] = [];
    if (tier === 'high') {
      recommendations.push({
        text: `Keep ${district.name} on the partnership's priority list: crime severity rank ${current.rank} of ${input.districts}.`,
        strand: 'prepare',
        classification: 'OFFICIAL',
      });
    }
    if (before.rank - current.rank >= input.districts * 0.1) {
      recommendations.push({
        text: `Severity rank rose from ${before.rank} to ${current.rank} since the last review: agree a 4P response.`,
        strand: 'prepare',
        classification: 'OFFICIAL',
      });
    }

    const daysSinceRefresh = rng.int(20, 430);
    const daysSinceReview = rng.int(3, Math.min(daysSinceRefresh, 270));
    const refreshedAt = new Date(now.getTime() - daysSinceRefresh * DAY).toISOString();
    const reviewedAt = new Date(now.getTime() - daysSinceReview * DAY).toISOString();
    profiles.push({
      partnershipId: BENCH_PARTNERSHIP_ID,
      districtId: district.id,
      classification: rng.chance(0.02) ? 'OFFICIAL-SENSITIVE' : 'OFFICIAL',
      threat: {
        ocgs,
        crime: [latest, previous],
        severity: {
          score: current.score,
          period: { ...PERIODS.latest },
          rank: current.rank,
          outOf: input.districts,
          rankAtLastReview: before.rank,
          scoreAtLastReview: before.score,
          method: SEVERITY_METHOD,
        },
      },
      vulnerabilities,
      dataSources: DATA_SOURCES.map((s) => ({ ...s })),
      recommendations,
      review: {
        lastRefreshedAt: refreshedAt,
        nextRefreshDue: addMonths(refreshedAt, 12),
        csiReviewDue: addMonths(reviewedAt, 6),
        lastReviewedAt: reviewedAt,
        lastReviewedBy: SENDER.aadObjectId,
      },
    });

    // Gaps and actions: 30–50% gaps, the rest actions; the first four actions one per strand.
    const total = counts[i]!;
    const gapCount = Math.round(total * (0.3 + rng.next() * 0.2));
    const dates = (open: boolean) => {
      const created = now.getTime() - rng.int(14, 300) * DAY;
      const updated = created + rng.int(0, Math.floor((now.getTime() - created) / DAY)) * DAY;
      const due = open ? now.getTime() + rng.int(-60, 150) * DAY : created + rng.int(30, 150) * DAY;
      return {
        createdAt: new Date(created).toISOString(),
        updatedAt: new Date(updated).toISOString(),
        due: toIsoDate(new Date(due)),
      };
    };
    for (let k = 0; k < gapCount; k += 1) {
      const template = GAP_QUESTIONS[(i + k) % GAP_QUESTIONS.length]!;
      const status = weighted(rng, GAP_STATUSES);
      const open = status !== 'filled' && status !== 'closed';
      const owned =
        status === 'assigned' ||
        status === 'in_progress' ||
        status === 'filled' ||
        (status === 'closed' && rng.chance(0.5));
      const d = dates(open);
      const classification: Classification = template.sensitive || rng.chance(0.05) ? 'OFFICIAL-SENSITIVE' : 'OFFICIAL';
      if (classification !== 'OFFICIAL') sensitiveItems += 1;
      if (open && d.due < today) overdueItems += 1;
      const gap: IntelligenceGap = {
        ref: formatRef('G', take('G')),
        partnershipId: BENCH_PARTNERSHIP_ID,
        districtId: district.id,
        question: template.text(district.name),
        classification,
        status,
        ...(owned && { ownerAgencyId: template.owner }),
        ...(owned && rng.chance(0.6) && { ownerAadObjectId: ownerOf.get(template.owner)! }),
        due: d.due,
        ...(status === 'filled' && {
          resolution: 'Answered with agency data for the last 12 months; added to the profile.',
        }),
        ...(status === 'closed' && {
          resolution: 'Closed: the data is not held at ward level; raised with the regional organised crime unit.',
        }),
        createdBy: SENDER.aadObjectId,
        createdAt: d.createdAt,
        updatedAt: d.updatedAt,
      };
      gaps.push(gap);
    }
    for (let k = 0; k < total - gapCount; k += 1) {
      const strand: Strand = k < STRANDS.length ? STRANDS[k]! : rng.pick(STRANDS);
      const template = rng.pick(ACTION_TITLES[strand]);
      const status = weighted(rng, ACTION_STATUSES);
      const open = status !== 'done' && status !== 'cancelled';
      const d = dates(open);
      const classification: Classification = template.sensitive || rng.chance(0.05) ? 'OFFICIAL-SENSITIVE' : 'OFFICIAL';
      if (classification !== 'OFFICIAL') sensitiveItems += 1;
      if (open && d.due < today) overdueItems += 1;
      actions.push({
        ref: formatRef(STRAND_PREFIX[strand], take(STRAND_PREFIX[strand])),
        partnershipId: BENCH_PARTNERSHIP_ID,
        districtId: district.id,
        strand,
        title: `${template.text} in ${district.name}`,
        leadAgencyId: template.lead,
        ...(rng.chance(0.6) && { ownerAadObjectId: ownerOf.get(template.lead)! }),
        status,
        due: d.due,
        impactMeasure: template.measure,
        classification,
        ...(status !== 'planned' && {
          lastUpdate: `Update ${d.updatedAt.slice(0, 10)}: ${status === 'blocked' ? 'waiting for an information sharing agreement' : 'partners have agreed the approach and started'}.`,
        }),
        createdBy: SENDER.aadObjectId,
        createdAt: d.createdAt,
        updatedAt: d.updatedAt,
      });
    }
  });

  return {
    generated: { partnership, agencies, members: people, load: { districts, profiles, gaps, actions } },
    counts: {
      districts: districts.length,
      profiles: profiles.length,
      gaps: gaps.length,
      actions: actions.length,
      sensitiveItems,
      overdueItems,
      ocgs: ocgCount,
      members: people.length,
      agencies: agencies.length,
    },
  };
}
