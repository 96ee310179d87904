import type { FourPAction, ActionStatus } from '../domain/action.js';
import type { Classification } from '../domain/classification.js';
import { POLICE_UK_CRIME_TYPES, ANTI_SOCIAL_BEHAVIOUR } from '../domain/crime-severity.js';
import { addMonths, formatPeriod, toIsoDate } from '../domain/dates.js';
import { districtLabel, type District } from '../domain/district.js';
import type { GapStatus, IntelligenceGap } from '../domain/gap.js';
import type { Member, Role } from '../domain/member.js';
import type { Agency, Partnership, Sector } from '../domain/partnership.js';
import type { OcgRef, Profile, Recommendation, Review } from '../domain/profile.js';
import { formatRef } from '../domain/refs.js';
import { CSI_REVIEW_MONTHS, reviewAfterRefresh } from '../domain/review.js';
import { seededRandom, type SeededRandom } from '../domain/seeded-random.js';
import { STRAND_PREFIX, type Strand } from '../domain/strand.js';
import type { BulkLoad } from '../store/store.js';
import { buildWardProfiles } from './import/ward-profiles.js';

/**
 * The demo partnership: Merseyside's 105 real ward profiles (population, deprivation, crime and
 * severity ranks from the published 2019 files), with what no public data holds made up on top:
 * OCG references, intelligence gaps, 4P actions and review dates. The made-up part is drawn from
 * a PRNG keyed on each ward's code, so the same files and the same `now` give the same partnership.
 * No text names a person; OCGs are references with MoRILE scores.
 */

export const DEMO_PARTNERSHIP_ID = 'merseyside-demo';

/** Knowsley, Liverpool, St Helens, Sefton, Wirral: the Merseyside Police force area. */
export const MERSEYSIDE_AUTHORITIES = ['E08000011', 'E08000012', 'E08000013', 'E08000014', 'E08000015'] as const;

export interface DemoPartnership {
  partnership: Partnership;
  agencies: Agency[];
  members: Member[];
  load: BulkLoad;
}

type AgencyKey =
  | 'police'
  | 'knowsley'
  | 'liverpool'
  | 'st-helens'
  | 'sefton'
  | 'wirral'
  | 'health'
  | 'fire'
  | 'probation'
  | 'prisons'
  | 'immigration'
  | 'vrp'
  | 'voluntary';

const AGENCIES: Record<AgencyKey, { id: string; name: string; sector: Sector }> = {
  police: { id: 'merseyside-police', name: 'Merseyside Police', sector: 'police' },
  knowsley: { id: 'knowsley-council', name: 'Knowsley Council', sector: 'local-authority' },
  liverpool: { id: 'liverpool-city-council', name: 'Liverpool City Council', sector: 'local-authority' },
  'st-helens': { id: 'st-helens-council', name: 'St Helens Borough Council', sector: 'local-authority' },
  sefton: { id: 'sefton-council', name: 'Sefton Council', sector: 'local-authority' },
  wirral: { id: 'wirral-council', name: 'Wirral Council', sector: 'local-authority' },
  health: { id: 'nhs-cheshire-merseyside', name: 'NHS Cheshire and Merseyside', sector: 'health' },
  fire: { id: 'merseyside-fire-rescue', name: 'Merseyside Fire and Rescue Service', sector: 'fire' },
  probation: { id: 'probation-north-west', name: 'Probation Service (North West)', sector: 'probation' },
  prisons: { id: 'hm-prison-service', name: 'HM Prison Service', sector: 'prisons' },
  immigration: { id: 'immigration-enforcement', name: 'Immigration Enforcement', sector: 'immigration' },
  vrp: { id: 'merseyside-vrp', name: 'Merseyside Violence Reduction Partnership', sector: 'other' },
  // Invented, and says so: the demo must not put words in a real charity's mouth.
  voluntary: { id: 'harbourlight-youth-trust', name: 'Harbourlight Youth Trust (fictional)', sector: 'voluntary' },
};

const COUNCIL_OF: Record<(typeof MERSEYSIDE_AUTHORITIES)[number], AgencyKey> = {
  E08000011: 'knowsley',
  E08000012: 'liverpool',
  E08000013: 'st-helens',
  E08000014: 'sefton',
  E08000015: 'wirral',
};

/**
 * The six users of Microsoft 365 Agents Playground's default configuration, so whoever tries the
 * bot there is already a member. Ids and names exactly as the playground sends them.
 */
export const PLAYGROUND_USERS = [
  {
    aadObjectId: '00000000-0000-0000-0000-0000000000020',
    displayName: 'Alex Wilber',
    role: 'coordinator',
    agency: 'police',
    clearance: 'OFFICIAL-SENSITIVE',
  },
  {
    aadObjectId: '00000000-0000-0000-0000-0000000000021',
    displayName: 'Megan Bowen',
    role: 'officer',
    agency: 'police',
    clearance: 'OFFICIAL',
  },
  {
    aadObjectId: '00000000-0000-0000-0000-0000000000022',
    displayName: 'Adele Vance',
    role: 'partner',
    agency: 'liverpool',
    clearance: 'OFFICIAL',
  },
  {
    aadObjectId: '00000000-0000-0000-0000-0000000000023',
    displayName: 'Isaiah Langer',
    role: 'board',
    agency: 'police',
    clearance: 'OFFICIAL',
  },
  {
    aadObjectId: '00000000-0000-0000-0000-0000000000024',
    displayName: 'Patti Fernandez',
    role: 'partner',
    agency: 'health',
    clearance: 'OFFICIAL',
  },
  {
    aadObjectId: '00000000-0000-0000-0000-0000000000025',
    displayName: 'Lynne Robbins',
    role: 'admin',
    agency: 'police',
    clearance: 'OFFICIAL',
  },
] as const satisfies readonly {
  aadObjectId: string;
  displayName: string;
  role: Role;
  agency: AgencyKey;
  clearance: Classification;
}[];

const COORDINATOR = PLAYGROUND_USERS[0].aadObjectId;

/** Who may be named as a task's owner: members whose role works on gaps and actions. */
const OWNERS: Partial<Record<AgencyKey, readonly string[]>> = {
  police: [PLAYGROUND_USERS[0].aadObjectId, PLAYGROUND_USERS[1].aadObjectId],
  liverpool: [PLAYGROUND_USERS[2].aadObjectId],
  health: [PLAYGROUND_USERS[4].aadObjectId],
};

export async function buildDemoPartnership(input: { datasetDir: string; now: Date }): Promise<DemoPartnership> {
  const { now } = input;
  const at = now.toISOString();
  const built = await buildWardProfiles({
    datasetDir: input.datasetDir,
    partnershipId: DEMO_PARTNERSHIP_ID,
    localAuthorityCodes: MERSEYSIDE_AUTHORITIES,
    now,
  });

  const partnership: Partnership = {
    id: DEMO_PARTNERSHIP_ID,
    name: 'Merseyside SOC Partnership (DEMO)',
    force: 'Merseyside Police',
    tenantIds: [],
    demo: true,
    createdAt: at,
  };
  const agencies: Agency[] = Object.values(AGENCIES)
    .map((a) => ({ ...a, partnershipId: DEMO_PARTNERSHIP_ID }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
  const members: Member[] = PLAYGROUND_USERS.map((u) => ({
    aadObjectId: u.aadObjectId,
    partnershipId: DEMO_PARTNERSHIP_ID,
    agencyId: AGENCIES[u.agency].id,
    displayName: u.displayName,
    roles: [u.role],
    clearance: u.clearance,
    active: true,
    createdAt: at,
    updatedAt: at,
  }));

  const districtById = new Map(built.districts.map((d) => [d.id, d]));
  // Highest harm first, so the top wards get the low reference numbers and the most content.
  const ordered = [...built.profiles].sort(
    (a, b) =>
      (a.threat.severity?.rank ?? Infinity) - (b.threat.severity?.rank ?? Infinity) ||
      (a.districtId < b.districtId ? -1 : 1),
  );
  const refs = new RefCounter();
  const gaps: IntelligenceGap[] = [];
  const actions: FourPAction[] = [];
  const profiles = new Map<string, Profile>();
  for (const profile of ordered) {
    const district = districtById.get(profile.districtId)!;
    const ward: WardContext = {
      district,
      profile,
      council: COUNCIL_OF[district.onsCodes.localAuthority as keyof typeof COUNCIL_OF],
      tier: tierOf(profile.threat.severity?.rank),
      now,
    };
    const ocgs = makeOcgs(ward, refs);
    const wardGaps = makeGaps(ward, ocgs, refs);
    const wardActions = makeActions(ward, ocgs, refs, wardGaps.length === 0);
    gaps.push(...wardGaps);
    actions.push(...wardActions);
    profiles.set(profile.districtId, {
      ...profile,
      threat: { ...profile.threat, ocgs },
      recommendations: makeRecommendations(ward),
      review: makeReview(ward),
    });
  }

  return {
    partnership,
    agencies,
    members,
    load: {
      districts: built.districts,
      profiles: built.districts.map((d) => profiles.get(d.id)!),
      gaps,
      actions,
    },
  };
}

type Tier = 'high' | 'medium' | 'low';

interface WardContext {
  district: District;
  profile: Profile;
  council: AgencyKey;
  tier: Tier;
  now: Date;
}

/** The ten highest-harm wards carry most of the plan; the next twenty some; every ward something. */
function tierOf(rank: number | undefined): Tier {
  if (rank !== undefined && rank <= 10) return 'high';
  if (rank !== undefined && rank <= 30) return 'medium';
  return 'low';
}

class RefCounter {
  private readonly next = new Map<string, number>();
  take(prefix: string): number {
    const n = (this.next.get(prefix) ?? 0) + 1;
    this.next.set(prefix, n);
    return n;
  }
}

function makeOcgs(ward: WardContext, refs: RefCounter): OcgRef[] {
  const rng = seededRandom(`${ward.district.id}:ocgs`);
  const count = { high: rng.int(1, 3), medium: rng.chance(0.5) ? 1 : 0, low: rng.chance(0.06) ? 1 : 0 }[ward.tier];
  const [lo, hi] = ({ high: [380, 920], medium: [250, 700], low: [120, 480] } as const)[ward.tier];
  return Array.from({ length: count }, () => {
    const morileScore = rng.int(lo, hi);
    return {
      ref: `OCG-${refs.take('OCG')}`,
      morileScore,
      band: morileScore >= 600 ? 'High' : morileScore >= 350 ? 'Medium' : 'Low',
      classification: rng.chance(0.25) ? 'OFFICIAL-SENSITIVE' : 'OFFICIAL',
    };
  });
}

/** Where a task falls due, relative to `now`: some already past, so "overdue" shows. */
function dates(rng: SeededRandom, now: Date, open: boolean): { createdAt: string; updatedAt: string; due: string } {
  const day = 86_400_000;
  const created = now.getTime() - rng.int(14, 200) * day;
  const updated = created + rng.int(0, Math.floor((now.getTime() - created) / day)) * day;
  const due = open ? now.getTime() + rng.int(-45, 120) * day : created + rng.int(30, 150) * day;
  return {
    createdAt: new Date(created).toISOString(),
    updatedAt: new Date(updated).toISOString(),
    due: toIsoDate(new Date(due)),
  };
}

// ---------------------------------------------------------------------------------------------
// Intelligence gaps: what the partnership does not yet know (guidance 2.1, and the data sources
// of principle 3: OCGs and enablers, serious violence, health, education, local authority data).

interface GapTemplate {
  question: (w: WardContext) => string;
  owner: AgencyKey | 'council';
  sensitive?: boolean;
}

const GAP_TEMPLATES: readonly GapTemplate[] = [
  {
    question: () =>
      'Which addresses in the ward are used for drug supply, including homes taken over by dealers (cuckooing)?',
    owner: 'police',
    sensitive: true,
  },
  {
    question: () =>
      'How many children from the ward are missing from education or repeatedly missing from home, and are any being exploited by county lines? (numbers, not names)',
    owner: 'council',
  },
  {
    question: () =>
      'What do A&E and ambulance records show about assault and knife injuries among residents of the ward?',
    owner: 'health',
  },
  {
    question: () =>
      'Which businesses in the ward show signs of money laundering or illegitimate trading (cash-intensive, short-lived or unlicensed)?',
    owner: 'council',
  },
  {
    question: () =>
      "Are there signs of labour exploitation or modern slavery in the ward's hand car washes, nail bars or houses in multiple occupation?",
    owner: 'immigration',
  },
  {
    question: () =>
      'Which commercial premises in the ward have fire-safety concerns that suggest OCG use, such as people sleeping on site?',
    owner: 'fire',
  },
  {
    question: () =>
      'How many people released from prison into the ward are assessed as at risk of returning to organised crime?',
    owner: 'probation',
    sensitive: true,
  },
  {
    question: () =>
      'What contact do OCGs active in the ward keep with serving prisoners (illicit phones, visits, money transfers)?',
    owner: 'prisons',
    sensitive: true,
  },
  {
    question: () =>
      'How confident are residents of the ward to report organised crime, and which routes do they trust?',
    owner: 'voluntary',
  },
  {
    question: () =>
      'How many young people in the ward do schools and youth services see as on the cusp of involvement in SOC? (numbers, not names)',
    owner: 'vrp',
  },
  {
    question: () =>
      'Are taxi or private-hire vehicles licensed in the area being used to move drugs or exploited people?',
    owner: 'council',
  },
  { question: crimeChangeQuestion, owner: 'police' },
];

/** The one gap grounded in the real counts: the notifiable crime type that rose most. */
function crimeChangeQuestion(w: WardContext): string {
  const [latest, previous] = w.profile.threat.crime;
  if (!latest || !previous) return 'What are the main drivers of recorded crime in the ward?';
  const count = (p: typeof latest, t: string) => p.counts.find((c) => c.crimeType === t)?.count ?? 0;
  let best: { type: string; rise: number } | undefined;
  for (const type of POLICE_UK_CRIME_TYPES) {
    if (type === ANTI_SOCIAL_BEHAVIOUR) continue;
    const rise = count(latest, type) - count(previous, type);
    if (rise > 0 && (best === undefined || rise > best.rise)) best = { type, rise };
  }
  if (best === undefined)
    return 'Which partnership activity lies behind the fall in recorded crime in the ward, and can it be repeated elsewhere?';
  return `Recorded crime in the police.uk category "${best.type}" rose from ${count(previous, best.type)} (${formatPeriod(previous.period)}) to ${count(latest, best.type)} (${formatPeriod(latest.period)}): what lies behind the rise?`;
}

const GAP_STATUSES: readonly { status: GapStatus; weight: number }[] = [
  { status: 'open', weight: 25 },
  { status: 'assigned', weight: 25 },
  { status: 'in_progress', weight: 25 },
  { status: 'filled', weight: 15 },
  { status: 'closed', weight: 10 },
];

function makeGaps(ward: WardContext, ocgs: readonly OcgRef[], refs: RefCounter): IntelligenceGap[] {
  const rng = seededRandom(`${ward.district.id}:gaps`);
  const count = { high: rng.int(2, 3), medium: 1, low: rng.chance(0.5) ? 1 : 0 }[ward.tier];
  return rng.sample(GAP_TEMPLATES, count).map((t) => {
    const status = weighted(rng, GAP_STATUSES).status;
    const open = status === 'open' || status === 'assigned' || status === 'in_progress';
    const { createdAt, updatedAt, due } = dates(rng, ward.now, open);
    const ownerKey = t.owner === 'council' ? ward.council : t.owner;
    // An open gap has no owner yet: the coordinator still has to find an agency for it.
    const owned = status !== 'open';
    const person = owned ? ownerFrom(rng, ownerKey, 0.5) : undefined;
    const sensitive = t.sensitive === true && (ocgs.length > 0 || rng.chance(0.3));
    return {
      ref: formatRef('G', refs.take('G')),
      partnershipId: DEMO_PARTNERSHIP_ID,
      districtId: ward.district.id,
      question: t.question(ward),
      classification: sensitive ? 'OFFICIAL-SENSITIVE' : 'OFFICIAL',
      status,
      ...(owned && { ownerAgencyId: AGENCIES[ownerKey].id }),
      ...(person && { ownerAadObjectId: person }),
      ...(status !== 'closed' && { due }),
      ...(status === 'filled' && { resolution: rng.pick(FILLED) }),
      ...(status === 'closed' && { resolution: rng.pick(CLOSED) }),
      createdBy: COORDINATOR,
      createdAt,
      updatedAt,
    };
  });
}

const FILLED = [
  'Answered with agency data for the last 12 months; summary shared with the partnership and added to the profile.',
  'Answered at the partnership meeting; figures to be included in the next profile refresh.',
] as const;

const CLOSED = [
  'Closed: the question is covered by the force-wide drugs market profile.',
  'Closed: the data is not held at ward level; raised with the regional organised crime unit instead.',
] as const;

// ---------------------------------------------------------------------------------------------
// 4P actions, each a concrete form of an activity listed in section 2.4 of the guidance.

interface ActionTemplate {
  title: (w: WardContext, ocg: OcgRef | undefined) => string;
  lead: AgencyKey | 'council';
  impactMeasure: string;
  /** Needs an OCG in the ward (Pursue work against a mapped group). */
  needsOcg?: boolean;
  sensitive?: boolean;
}

const ACTION_TEMPLATES: Record<Strand, readonly ActionTemplate[]> = {
  prepare: [
    {
      title: () => "Designing-out-crime review of the ward's hotspot public spaces (lighting, CCTV, alleyways)",
      lead: 'council',
      impactMeasure: 'Crime and ASB at the reviewed locations at the next six-monthly review',
    },
    {
      title: () => 'Community engagement sessions to gather local intelligence and reach under-represented groups',
      lead: 'police',
      impactMeasure: 'Intelligence submissions from the ward per quarter',
    },
    {
      title: () => 'SOC awareness training for frontline council, housing and health staff working in the ward',
      lead: 'vrp',
      impactMeasure: 'Staff trained, and SOC referrals they make in the following six months',
    },
    {
      title: () => 'Information sharing agreement with schools and housing providers serving the ward',
      lead: 'council',
      impactMeasure: 'Agreement signed; data received in time for the next profile refresh',
    },
    {
      title: () => 'Horizon scan for places in the ward vulnerable to SOC (vacant commercial units, new developments)',
      lead: 'police',
      impactMeasure: 'Locations assessed and added to the profile',
    },
  ],
  prevent: [
    {
      title: () => 'Diversionary sport and mentoring scheme for young people at risk of exploitation',
      lead: 'voluntary',
      impactMeasure: 'Young people engaged, and their school attendance over two terms',
    },
    {
      title: () => 'Early intervention referral route from schools for pupils at risk of being drawn into SOC',
      lead: 'council',
      impactMeasure: 'Referrals received and supported',
    },
    {
      title: () => "Consider civil and ancillary orders against those involved in the ward's drug supply",
      lead: 'police',
      impactMeasure: 'Orders applied for and granted',
      sensitive: true,
    },
    {
      title: () => 'Communications campaign to reassure residents of partnership activity and how to report SOC',
      lead: 'council',
      impactMeasure: 'Reach of the campaign; reports received through the advertised routes',
    },
    {
      title: () => 'Support for prison leavers returning to the ward to exit crime (housing, employment, mentoring)',
      lead: 'probation',
      impactMeasure: 'Prison leavers supported; proven reoffending after 12 months',
    },
    {
      title: () => 'Evaluate the youth prevent offer with the people who used it, and adjust it',
      lead: 'vrp',
      impactMeasure: 'Evaluation reported to the partnership board',
    },
  ],
  protect: [
    {
      title: () => "Exploitation awareness for staff of children's homes and supported accommodation in the ward",
      lead: 'council',
      impactMeasure: 'Homes briefed; exploitation referrals made',
    },
    {
      title: () => 'Closure notices on properties linked to cuckooing, with support for the tenants affected',
      lead: 'council',
      impactMeasure: 'Notices served; tenants safeguarded',
    },
    {
      title: () => 'Fire safety checks of commercial premises of concern',
      lead: 'fire',
      impactMeasure: 'Premises inspected; enforcement notices issued',
    },
    {
      title: () => 'Multi-agency visits with trading standards to businesses at risk of operating illegitimately',
      lead: 'council',
      impactMeasure: 'Businesses visited; concerns referred',
    },
    {
      title: () => 'Brief licensed taxi and private-hire operators on spotting and flagging exploitation',
      lead: 'council',
      impactMeasure: 'Operators briefed; flags raised',
    },
    {
      title: () => 'Refer potential victims of modern slavery through the National Referral Mechanism',
      lead: 'immigration',
      impactMeasure: 'NRM referrals made from the ward',
    },
    {
      title: () => 'Safeguarding pathway in A&E for young people presenting with knife or assault injuries',
      lead: 'health',
      impactMeasure: 'Young people referred from A&E to youth workers',
    },
  ],
  pursue: [
    {
      title: (_w, ocg) =>
        `Disrupt ${ocg!.ref}'s drug supply with partner powers (housing, licensing, trading standards)`,
      lead: 'police',
      impactMeasure: 'Disruptions recorded against the group; change in its MoRILE score',
      needsOcg: true,
      sensitive: true,
    },
    {
      title: (_w, ocg) => `Financial investigation to identify ${ocg!.ref}'s assets for freezing or confiscation`,
      lead: 'police',
      impactMeasure: 'Assets restrained or confiscated',
      needsOcg: true,
      sensitive: true,
    },
    {
      title: () => 'Joint management, with prisons, of lifetime offenders linked to the ward',
      lead: 'probation',
      impactMeasure: 'Offenders under joint management; licence breaches acted on',
    },
    {
      title: () => 'Warrants and overt patrols at locations linked to drug supply in the ward',
      lead: 'police',
      impactMeasure: 'Warrants executed; drugs and weapons seized',
    },
  ],
};

const ACTION_STATUSES: readonly { status: ActionStatus; weight: number }[] = [
  { status: 'planned', weight: 30 },
  { status: 'in_progress', weight: 35 },
  { status: 'blocked', weight: 10 },
  { status: 'done', weight: 15 },
  { status: 'cancelled', weight: 10 },
];

const PROGRESS: Partial<Record<ActionStatus, readonly string[]>> = {
  in_progress: [
    'Under way: first sessions held, the rest are booked.',
    'Under way: partners have agreed the approach and started.',
  ],
  blocked: [
    'Blocked: waiting for an information sharing agreement before the data can be used.',
    'Blocked: no funding confirmed for this quarter.',
  ],
  done: ['Completed; results reported to the partnership board.'],
  cancelled: ['Cancelled: superseded by force-wide activity.'],
};

function makeActions(
  ward: WardContext,
  ocgs: readonly OcgRef[],
  refs: RefCounter,
  mustHaveOne: boolean,
): FourPAction[] {
  const rng = seededRandom(`${ward.district.id}:actions`);
  const strands: Strand[] = [];
  if (ward.tier === 'high') {
    // A top-harm ward gets a whole plan: every strand, and sometimes a second action.
    strands.push('prepare', 'pursue', 'prevent', 'protect');
    if (rng.chance(0.5)) strands.push(rng.pick(['pursue', 'protect'] as const));
  } else if (ward.tier === 'medium') {
    strands.push(...rng.sample(['prepare', 'pursue', 'prevent', 'protect'] as const, rng.int(1, 2)));
  } else if (mustHaveOne || rng.chance(0.2)) {
    strands.push(rng.pick(['prepare', 'prevent', 'protect'] as const));
  }
  const used = new Set<ActionTemplate>();
  return strands.map((strand) => {
    const fits = ACTION_TEMPLATES[strand].filter((t) => !used.has(t) && (!t.needsOcg || ocgs.length > 0));
    const template = rng.pick(fits);
    used.add(template);
    const ocg = template.needsOcg ? rng.pick(ocgs) : undefined;
    const status = weighted(rng, ACTION_STATUSES).status;
    const open = status !== 'done' && status !== 'cancelled';
    const { createdAt, updatedAt, due } = dates(rng, ward.now, open);
    const leadKey = template.lead === 'council' ? ward.council : template.lead;
    const person = ownerFrom(rng, leadKey, 0.6);
    const note = PROGRESS[status];
    const sensitive = template.sensitive === true || ocg?.classification === 'OFFICIAL-SENSITIVE';
    return {
      ref: formatRef(STRAND_PREFIX[strand], refs.take(STRAND_PREFIX[strand])),
      partnershipId: DEMO_PARTNERSHIP_ID,
      districtId: ward.district.id,
      strand,
      title: template.title(ward, ocg),
      leadAgencyId: AGENCIES[leadKey].id,
      ...(person && { ownerAadObjectId: person }),
      status,
      due,
      impactMeasure: template.impactMeasure,
      classification: sensitive ? 'OFFICIAL-SENSITIVE' : 'OFFICIAL',
      ...(note && { lastUpdate: rng.pick(note) }),
      createdBy: COORDINATOR,
      createdAt,
      updatedAt,
    };
  });
}

// ---------------------------------------------------------------------------------------------

function makeRecommendations(ward: WardContext): Recommendation[] {
  const severity = ward.profile.threat.severity;
  if (!severity) return [];
  const label = districtLabel(ward.district);
  const out: Omit<Recommendation, 'number'>[] = [];
  if (ward.tier === 'high') {
    out.push({
      text: `Keep ${label} on the partnership's priority list: crime severity rank ${severity.rank} of ${severity.outOf} in ${formatPeriod(severity.period)}.`,
      strand: 'prepare',
      agencyId: AGENCIES.police.id,
      state: 'open',
      classification: 'OFFICIAL',
    });
    out.push({
      text: `Offer youth diversion sessions in ${label} to young people at risk of exploitation by county lines.`,
      strand: 'prevent',
      agencyId: AGENCIES[ward.council].id,
      state: 'open',
      classification: 'OFFICIAL',
    });
  }
  if (severity.rankAtLastReview !== undefined && severity.rankAtLastReview - severity.rank >= 15) {
    out.push({
      text: `Severity rank rose from ${severity.rankAtLastReview} to ${severity.rank} since the last review: agree a 4P response at the next partnership meeting.`,
      strand: 'prepare',
      agencyId: AGENCIES.vrp.id,
      state: 'open',
      classification: 'OFFICIAL',
    });
  }
  // Numbered as the board refers to them ("recommendation 2").
  return out.map((r, i) => ({ number: i + 1, ...r }));
}

/**
 * Spreads refreshes over the last 14 months and severity reviews over the last 9 (never before the
 * refresh), so that some wards are overdue for the 12-monthly refresh and some for the six-monthly
 * severity review.
 */
function makeReview(ward: WardContext): Review {
  const rng = seededRandom(`${ward.district.id}:review`);
  const day = 86_400_000;
  const daysSinceRefresh = rng.int(20, 430);
  const daysSinceReview = rng.int(3, Math.min(daysSinceRefresh, 270));
  const refreshedAt = new Date(ward.now.getTime() - daysSinceRefresh * day);
  const reviewedAt = new Date(ward.now.getTime() - daysSinceReview * day);
  return {
    ...reviewAfterRefresh(refreshedAt),
    lastReviewedAt: reviewedAt.toISOString(),
    lastReviewedBy: COORDINATOR,
    csiReviewDue: addMonths(reviewedAt.toISOString(), CSI_REVIEW_MONTHS),
  };
}

function ownerFrom(rng: SeededRandom, agency: AgencyKey, probability: number): string | undefined {
  const people = OWNERS[agency];
  return people && rng.chance(probability) ? rng.pick(people) : undefined;
}

function weighted<T extends { weight: number }>(rng: SeededRandom, options: readonly T[]): T {
  const total = options.reduce((s, o) => s + o.weight, 0);
  let x = rng.next() * total;
  for (const o of options) {
    x -= o.weight;
    if (x < 0) return o;
  }
  return options[options.length - 1]!;
}
