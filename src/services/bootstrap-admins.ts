import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import type { Clock } from './clock.js';
import { MemberAdmin } from './member-admin.js';

/** Who the audit trail names for a role given at start-up from the configuration. */
export const BOOTSTRAP_ACTOR = 'system:bootstrap';

export interface BootstrapResult {
  granted: string[];
  alreadyAdmin: string[];
  /** Not members (they need adding with the admin CLI first) or deactivated: left alone. */
  skipped: string[];
}

/**
 * ADMIN_AAD_OBJECT_IDS: each listed member holds the admin role, so a new deployment has someone
 * who can grant roles in chat. The grant is an ordinary audited role change; a member who is
 * not there, or was deactivated, is not created or revived here (that is a deliberate act,
 * done with the admin CLI), only logged by id.
 */
export async function bootstrapAdmins(
  store: Store,
  clock: Clock,
  aadObjectIds: readonly string[],
  log: Logger,
): Promise<BootstrapResult> {
  const admin = new MemberAdmin(store, clock, BOOTSTRAP_ACTOR);
  const result: BootstrapResult = { granted: [], alreadyAdmin: [], skipped: [] };
  for (const id of aadObjectIds) {
    const member = await store.members.get(id);
    if (!member || !member.active) {
      log.warn({ aadObjectId: id, found: Boolean(member) }, 'bootstrap admin skipped: not an active member');
      result.skipped.push(id);
      continue;
    }
    const change = await admin.setRoles(id, [...member.roles, 'admin']);
    (change.changed ? result.granted : result.alreadyAdmin).push(id);
  }
  if (result.granted.length) log.info({ aadObjectIds: result.granted }, 'bootstrap admins granted');
  return result;
}
