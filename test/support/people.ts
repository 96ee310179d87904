import { PLAYGROUND_USERS } from '../../src/services/demo-partnership.js';
import type { Person } from './activities.js';

/** The demo partnership's members (the Agents Playground's default users), by role. */
function person(i: number): Person {
  const u = PLAYGROUND_USERS[i]!;
  return { aadObjectId: u.aadObjectId, name: u.displayName };
}

/** Coordinator, cleared to OFFICIAL-SENSITIVE. */
export const alex = person(0);
/** Officer, OFFICIAL. */
export const megan = person(1);
/** Partner (Liverpool City Council), OFFICIAL. */
export const adele = person(2);
/** Board member, OFFICIAL. */
export const isaiah = person(3);
/** Partner (NHS Cheshire and Merseyside), OFFICIAL. */
export const patti = person(4);
/** Somebody in the tenant who is not a member of any partnership. */
export const stranger: Person = { aadObjectId: '99999999-8888-7777-6666-555555555555', name: 'Not A Member' };
